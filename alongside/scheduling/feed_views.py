"""iCalendar: the owner's feed settings (make or stop the private address), the feed
itself (no sign-in: the secret in its address is the authority, as a calendar app
cannot sign in), and one appointment as an .ics file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.views import or_404
from alongside.scheduling import feeds, ical


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    secret = None
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            feeds.feed_stop(actor=request.user)
        else:
            secret = feeds.feed_regenerate(actor=request.user)
    context = {
        "feed": feeds.feed_of(request.user),
        "address": feeds.feed_url(secret) if secret else None,
        "nav": "calendar",
    }
    return render(request, "scheduling/calendar/feed.html", context)


@never_cache
@require_GET
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    owner = feeds.feed_owner(secret)
    if owner is None:
        raise Http404("No such feed")
    return _ics(feeds.owner_feed(owner), "alongside.ics")


@login_required
@require_GET
def appointment_ics(request: AuthenticatedHttpRequest, appointment_id: int) -> HttpResponse:
    content = or_404(
        lambda: feeds.appointment_ics(request.user, appointment_id), "No such appointment"
    )
    return _ics(content, f"appointment-{appointment_id}.ics")
