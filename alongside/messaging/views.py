"""Twilio's webhooks: delivery statuses and the texts people send. Both answer only a
request signed with our auth token (X-Twilio-Signature); anything else is a 403."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alongside.messaging import inbound
from alongside.messaging.signatures import is_valid

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signed(request: HttpRequest) -> bool:
    base = settings.MESSAGING_PUBLIC_URL
    url = f"{base}{request.get_full_path()}" if base else request.build_absolute_uri()
    params = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
    given = request.headers.get("X-Twilio-Signature", "")
    return is_valid(settings.TWILIO_AUTH_TOKEN, url, params, given)


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _signed(request):
        return HttpResponseForbidden("Bad signature")
    inbound.record_status(
        provider_id=request.POST.get("MessageSid", "")[:64],
        provider_status=request.POST.get("MessageStatus", "")[:20],
        error_code=request.POST.get("ErrorCode", "")[:10],
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not _signed(request):
        return HttpResponseForbidden("Bad signature")
    sid = request.POST.get("MessageSid", "") or request.POST.get("SmsSid", "")
    if sid:
        inbound.receive_text(
            provider_id=sid[:64],
            from_number=request.POST.get("From", "")[:40],
            to_number=request.POST.get("To", "")[:40],
            body=request.POST.get("Body", "")[:1600],
        )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
