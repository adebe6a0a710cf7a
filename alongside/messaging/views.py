"""Twilio's webhooks: delivery statuses and the texts people send. Both answer only a
request signed with our auth token (X-Twilio-Signature); anything else is a 403. And the
staff page that turns texts back on after STOP, at the person's request."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.raw_text import reads_raw_text, storable
from alongside.lib.views import form_status, or_404, run_service
from alongside.messaging import inbound
from alongside.messaging.models import TextOptOut
from alongside.messaging.signatures import is_valid
from alongside.people import selectors
from alongside.people.models import ContactPoint

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signed(request: HttpRequest) -> bool:
    base = settings.MESSAGING_PUBLIC_URL
    url = f"{base}{request.get_full_path()}" if base else request.build_absolute_uri()
    params = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
    given = request.headers.get("X-Twilio-Signature", "")
    return is_valid(settings.TWILIO_AUTH_TOKEN, url, params, given)


def _given(request: HttpRequest, name: str, limit: int) -> str:
    # A provider's post is kept whatever it holds: a NUL or broken character is dropped.
    return storable(request.POST.get(name, ""))[:limit]


@csrf_exempt
@require_POST
@reads_raw_text
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _signed(request):
        return HttpResponseForbidden("Bad signature")
    inbound.record_status(
        provider_id=_given(request, "MessageSid", 64),
        provider_status=_given(request, "MessageStatus", 20),
        error_code=_given(request, "ErrorCode", 10),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
@reads_raw_text
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not _signed(request):
        return HttpResponseForbidden("Bad signature")
    sid = _given(request, "MessageSid", 64) or _given(request, "SmsSid", 64)
    if sid:
        inbound.receive_text(
            provider_id=sid,
            from_number=_given(request, "From", 40),
            to_number=_given(request, "To", 40),
            body=_given(request, "Body", 1600),
        )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


class TextsOnForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("How the person asked"),
        max_length=300,
        help_text=gettext_lazy(
            "When and how the person asked for texts again, e.g. “In person, 3 March”."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
def texts_on(request: AuthenticatedHttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    person = or_404(
        lambda: selectors.person_detail(request.user, pk, purpose="edit"), "No such person"
    )
    contact = or_404(
        lambda: selectors.record_item(person, ContactPoint, contact_pk), "Not on this record"
    )
    if not TextOptOut.objects.filter(number=contact.normalized, ended_at__isnull=True).exists():
        raise Http404("Texts are not stopped for this number")
    form = TextsOnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        call = lambda: inbound.end_text_opt_out(  # noqa: E731
            actor=request.user, person=person, contact=contact, note=note
        )
        if run_service(form, call):
            messages.success(
                request, _("Texts are on again for %(value)s.") % {"value": contact.value}
            )
            return redirect("people:detail", pk=person.pk)
    title = _("Turn texts back on for %(value)s") % {"value": contact.value}
    context = {"person": person, "form": form, "title": title, "nav": "people"}
    return render(request, "people/form.html", context, status=form_status(form))
