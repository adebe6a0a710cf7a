"""iCalendar: the owner's feed settings (make or stop the private address), the feed
itself (no sign-in: the secret in its address is the authority, as a calendar app
cannot sign in), one appointment as an .ics file, and a person's own feed (made by staff
with the person, saying only what the person allowed)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.views import form_status, or_404
from alongside.scheduling import feeds, ical, person_feeds, selectors
from alongside.scheduling.models import PersonCalendarFeed


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


class PersonFeedForm(forms.Form):
    detail = forms.ChoiceField(
        label=gettext_lazy("What may their calendar show?"),
        choices=PersonCalendarFeed.Detail.choices,
        widget=forms.RadioSelect,
        initial=PersonCalendarFeed.Detail.TIMES,
    )
    agreed = forms.BooleanField(
        label=gettext_lazy("The person asked for this feed and chose what it shows"),
        error_messages={"required": gettext_lazy("Make the feed only when the person asks.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_feed_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Make (or stop) the person's own feed, with them; the address is shown once."""
    person = or_404(lambda: selectors.person_for_scheduling(request.user, pk), "No such person")
    secret = None
    form = PersonFeedForm(request.POST if request.POST.get("action") != "stop" else None)
    if request.method == "POST" and request.POST.get("action") == "stop":
        person_feeds.feed_stop(actor=request.user, person=person)
    elif request.method == "POST" and form.is_valid():
        secret = person_feeds.feed_make(
            actor=request.user, person=person, detail=form.cleaned_data["detail"]
        )
    feed = person_feeds.feed_of(person)
    context = {
        "person": person,
        "form": form,
        "feed": feed,
        "held": feed is not None and person_feeds.shown_detail(feed) != feed.detail,
        "address": person_feeds.feed_url(secret) if secret else None,
        "nav": "people",
    }
    return render(request, "scheduling/person_feed.html", context, status=form_status(form))


@never_cache
@require_GET
def person_feed(request: HttpRequest, secret: str) -> HttpResponse:
    feed = person_feeds.feed_by_secret(secret)
    if feed is None:
        raise Http404("No such feed")
    return _ics(person_feeds.person_feed(feed), "appointments.ics")
