"""A person's own calendar feed: their appointments behind a private address that their
calendar app reads without signing in, saying only what the person allowed.

- Staff in the person's programs make the address with the person, recording what it
  may say (`PersonCalendarFeed.Detail`): only "Appointment" and the time, or also the
  kind, how and where. A sensitive kind is never named: its event reads "Appointment",
  with no place, how or who, as reminders never name a program or service.
- Group sessions where the person holds a seat are in it too, named the same way.
- A calendar feed is written contact that someone else may read on a shared device or
  account, so the safe-contact rules hold it to the bare level ("Appointment" and the
  time) whenever any of the person's contact points says written contact is not safe
  (email or texts refused with a reason) or carries a safety note. That is decided at
  every read, so a rule added later takes effect at the next refresh.
- The feed is in the person's language, each event in the appointment's zone, with the
  staff member's first name only. Each read is recorded in the person's access report.
- Only a digest of the secret is stored (like staff feeds and API tokens)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.models import User
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.messaging.services import person_language
from alongside.people.models import ContactPoint, Person
from alongside.scheduling import common, ical
from alongside.scheduling.availability import zone
from alongside.scheduling.feeds import FUTURE_DAYS, PAST_DAYS, STATUS
from alongside.scheduling.models import Appointment, GroupSeat, PersonCalendarFeed
from alongside.scheduling.reminders import how_words

PREFIX = "alp_"
Detail = PersonCalendarFeed.Detail


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def written_contact_unsafe(person: Person) -> bool:
    """Whether the person's safe-contact rules say someone else may read what is written
    to them: email or texts refused with a reason, or a safety note on any contact."""
    return (
        ContactPoint.objects.filter(person=person)
        .filter(~Q(email_reason="") | ~Q(text_reason="") | ~Q(safety_note=""))
        .exists()
    )


@transaction.atomic
def feed_make(*, actor: Actor, person: Person, detail: str) -> str:
    """A new secret for the person's feed (returned only this once), saying what the
    person allowed; the old address stops at once."""
    common.check_person(actor, person)
    if detail not in Detail.values:
        raise ValueError(f"Unknown feed detail {detail!r}")
    secret = PREFIX + secrets.token_urlsafe(32)
    feed, created = PersonCalendarFeed.objects.select_for_update().update_or_create(
        person=person,
        defaults={
            "digest": _digest(secret),
            "prefix": secret[:8],
            "detail": detail,
            "created_by": actor if isinstance(actor, User) else None,
            "created_at": timezone.now(),
        },
    )
    audit.record_for_person(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        person=person,
        obj=feed,
        fields=["digest", "detail"],
        detail={"prefix": feed.prefix, "detail": detail},
    )
    return secret


@transaction.atomic
def feed_stop(*, actor: Actor, person: Person) -> None:
    common.check_person(actor, person)
    for feed in PersonCalendarFeed.objects.select_for_update().filter(person=person):
        audit.record_for_person(
            actor=actor,
            action=Action.DELETE,
            person=person,
            obj=feed,
            detail={"prefix": feed.prefix},
        )
        feed.delete()


def feed_of(person: Person) -> PersonCalendarFeed | None:
    return PersonCalendarFeed.objects.filter(person=person).first()


def feed_by_secret(secret: str) -> PersonCalendarFeed | None:
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return (
        PersonCalendarFeed.objects.select_related("person__organization")
        .filter(digest=_digest(secret), person__merged_into__isnull=True)
        .first()
    )


def feed_url(secret: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("scheduling:person-feed", args=[secret])


def shown_detail(feed: PersonCalendarFeed) -> str:
    """What the feed may say now: the person's choice, held to the bare level while
    their safe-contact rules say written contact is not safe."""
    if feed.detail == Detail.DETAILS and not written_contact_unsafe(feed.person):
        return Detail.DETAILS
    return Detail.TIMES


def _event(item: Appointment, detail: str) -> ical.FeedEvent:
    where = zone(item.time_zone)
    summary, location, description = _("Appointment"), "", ""
    # A sensitive kind stays "Appointment" with no place or who: a clinic's address or a
    # counsellor's name can say what the person is seen for.
    if detail == Detail.DETAILS and not item.appointment_type.sensitive:
        summary = item.appointment_type.name
        description = _("%(how)s, with %(staff)s") % {
            "how": how_words(item),
            "staff": item.staff.first_name,
        }
        if item.modality == "in_person" and item.location is not None:
            location = ", ".join(p for p in (item.location.name, item.location.address) if p)
    return ical.FeedEvent(
        uid=ical.uid_for("appointment", item.pk),
        start=item.starts_at.astimezone(where),
        end=item.ends_at.astimezone(where),
        summary=summary,
        stamp=item.updated_at,
        sequence=item.version,
        status=STATUS.get(item.status, "CONFIRMED"),  # type: ignore[call-overload]
        location=location,
        description=description,
    )


def person_feed(feed: PersonCalendarFeed, now: dt.datetime | None = None) -> bytes:
    """The person's appointments from a month ago to a year ahead (cancelled ones too,
    so calendar apps remove them; no holds), in the person's language. The read is
    recorded in their access report."""
    now = now or timezone.now()
    person = feed.person
    detail = shown_detail(feed)
    rows = list(
        Appointment.objects.filter(
            # Their own appointments, and the group sessions where they hold a seat.
            Q(person=person)
            | Q(
                pk__in=GroupSeat.objects.filter(
                    person=person, status__in=GroupSeat.TAKEN_STATUSES
                ).values("appointment_id")
            ),
            starts_at__gte=now - dt.timedelta(days=PAST_DAYS),
            starts_at__lt=now + dt.timedelta(days=FUTURE_DAYS),
        )
        .exclude(status__in=(Appointment.Status.HELD, Appointment.Status.EXPIRED))
        .select_related("appointment_type", "staff", "location")
        .order_by("starts_at", "pk")
    )
    with transaction.atomic():
        audit.record(
            actor=None,
            action=Action.VIEW,
            obj=feed,
            person_id=person.pk,
            organization_id=person.organization_id,
            detail={"page": "person calendar feed", "detail": detail, "count": len(rows)},
        )
        PersonCalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    with translation.override(person_language(person)):
        return ical.calendar(
            (_event(a, detail) for a in rows),
            name=_("My appointments"),
            uid=ical.uid_for("person-feed", person.pk),
        )
