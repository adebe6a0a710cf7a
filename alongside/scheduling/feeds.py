"""iCalendar feeds: a staff member's own appointments behind a private token URL, and
one appointment as an .ics file.

What a feed says is what its owner may see, decided by the calendar pages' rule
(`calendar.show`): an appointment with someone the owner sees names the person by their
preferred name only, and a sensitive type stays neutral outside the care team; anything
else is "Busy". Reading a feed is recorded as its owner's read, naming the people shown.
The token service writes its own audit rows.

A person's own feed, saying only what the person allowed, is `person_feeds.py`."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.scheduling import calendar, ical
from alongside.scheduling.models import Appointment, CalendarFeed

PAST_DAYS, FUTURE_DAYS = 31, 366
STATUS = {
    Appointment.Status.HELD: "TENTATIVE",
    Appointment.Status.CANCELLED: "CANCELLED",
    Appointment.Status.LATE_CANCELLED: "CANCELLED",
    Appointment.Status.EXPIRED: "CANCELLED",
}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def feed_regenerate(*, actor: User) -> str:
    """A new secret for the actor's own feed (returned only this once); the old address
    stops working at once."""
    secret = "alc_" + secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.select_for_update().update_or_create(
        owner=actor,
        defaults={"digest": _digest(secret), "prefix": secret[:8], "created_at": timezone.now()},
    )
    audit.record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=feed,
        fields=["digest"],
        detail={"prefix": feed.prefix},
    )
    return secret


@transaction.atomic
def feed_stop(*, actor: User) -> None:
    for feed in CalendarFeed.objects.select_for_update().filter(owner=actor):
        audit.record(actor=actor, action=Action.DELETE, obj=feed, detail={"prefix": feed.prefix})
        feed.delete()


def feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(owner=user).first()


def feed_owner(secret: str) -> User | None:
    """The active owner of the feed with this secret, or None."""
    if not secret.startswith("alc_") or len(secret) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("owner")
        .filter(digest=_digest(secret), owner__is_active=True)
        .first()
    )
    return None if feed is None else feed.owner


def feed_url(secret: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("scheduling:feed", args=[secret])


def _event(item: Appointment, shown: calendar.Shown) -> ical.FeedEvent:
    if shown.busy:
        summary, description, url, where = _("Busy"), "", "", ""
    else:
        summary = f"{shown.what} · {shown.who}"
        description = shown.modality
        url = settings.SITE_URL.rstrip("/") + shown.url
        where = shown.where or shown.modality
    return ical.FeedEvent(
        uid=ical.uid_for("appointment", item.pk),
        start=shown.starts_at,
        end=shown.ends_at,
        summary=summary,
        stamp=item.updated_at,
        sequence=item.version,
        status=STATUS.get(item.status, "CONFIRMED"),  # type: ignore[call-overload]
        location=where,
        description=description,
        url=url,
    )


def owner_feed(owner: User) -> bytes:
    """The owner's appointments from a month ago to a year ahead, cancelled ones
    included so that calendar apps remove them."""
    now = timezone.now()
    found = list(
        calendar.loaded(Appointment.objects.filter(staff=owner))
        .filter(
            starts_at__gte=now - dt.timedelta(days=PAST_DAYS),
            starts_at__lt=now + dt.timedelta(days=FUTURE_DAYS),
        )
        .exclude(Q(status=Appointment.Status.HELD) & Q(held_until__lte=now))
        .order_by("starts_at", "id")
    )
    viewer = calendar.Viewer(owner, found)
    pairs = [(a, calendar.show(a, viewer, calendar.zone_of(a.time_zone))) for a in found]
    calendar.record_list(owner, "calendar feed", _organization(owner, found), [s for _, s in pairs])
    CalendarFeed.objects.filter(owner=owner).update(last_read_at=now)
    return ical.calendar(
        (_event(a, s) for a, s in pairs),
        name=_("Alongside: %(name)s") % {"name": owner},
        uid=ical.uid_for("feed", owner.pk),
    )


def _organization(owner: User, found: list[Appointment]) -> int:
    if found:
        return found[0].organization_id
    return calendar.scope_for(owner).primary_organization_id or 0


def appointment_ics(user: Any, appointment_id: int) -> bytes:
    """One appointment the user may see in full, as an .ics (DoesNotExist otherwise)."""
    item, shown = calendar.appointment_detail(user, appointment_id)
    return ical.calendar([_event(item, shown)], name=shown.what)
