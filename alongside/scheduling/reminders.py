"""Appointment reminders: each program's schedule (e.g. 72 and 24 hours before), a sweep
the worker runs that asks messaging to send what is due, and the checks that keep a
reminder from ever going out for an appointment that was cancelled or moved.

A reminder's key is (appointment, reminder, appointment start), and messaging adds the
channel: a moved appointment has a new start, so it gets reminders for its new time,
and a reminder queued for the old time finds, at send time, that the start it was for is
gone (`still_wanted`), and is blocked instead."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from alongside.lib.actors import SystemActor
from alongside.lib.links import link
from alongside.messaging.journey_words import said_reason
from alongside.messaging.models import OutboundMessage
from alongside.messaging.purposes import Purpose, purposes
from alongside.messaging.services import Ask, Draft, send_many
from alongside.people.contributions import (
    WorklistItem,
    WorklistReason,
    WorklistRow,
    worklist_reasons,
)
from alongside.people.models import Person
from alongside.scheduling import journey_words, reply_links
from alongside.scheduling.models import Appointment, ReminderRule

PURPOSE = "scheduling.reminder"
BLOCKED_REASON = "scheduling.reminder_blocked"
SYSTEM = SystemActor(username="system:reminders", name="Alongside reminders")
# No reminder this close to the start: it would come too late to be of use.
MIN_LEAD = dt.timedelta(hours=1)
BATCH = 500
LONGEST_RULE = 24 * 30  # ReminderRule's own limit
# What a signed token is made of (URL-safe base64 and its separator): put in a path as is.
_PLAIN_TOKEN = re.compile(r"[A-Za-z0-9_\-:.]+")
Status = OutboundMessage.Status


def source_key(appointment_id: int, hours: int, starts_at: dt.datetime) -> str:
    """reminder:<appointment>:<hours>h:<start, in seconds since the epoch>."""
    return f"reminder:{appointment_id}:{hours}h:{int(starts_at.timestamp())}"


def parse_key(key: str) -> tuple[int, dt.datetime] | None:
    try:
        kind, appointment_id, _hours, start = key.split(":")
        when = dt.datetime.fromtimestamp(int(start), tz=dt.UTC)
        return (int(appointment_id), when) if kind == "reminder" else None
    except (ValueError, OverflowError, OSError):
        return None


def hours_by_program(program_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each program's reminder hours, largest first: its rules, else the default."""
    wanted = set(program_ids)
    found: dict[int, list[int]] = {}
    with_rules: set[int] = set()
    for rule in ReminderRule.objects.filter(program_id__in=wanted):
        with_rules.add(rule.program_id)
        if rule.is_active:
            found.setdefault(rule.program_id, []).append(rule.hours_before)
    default = sorted(settings.SCHEDULING_DEFAULT_REMINDER_HOURS, reverse=True)
    return {
        pk: sorted(found.get(pk, []), reverse=True) if pk in with_rules else default
        for pk in wanted
    }


@dataclass(frozen=True)
class Due:
    appointment: Appointment
    hours: int
    send_by: dt.datetime


def due_hours(
    starts_at: dt.datetime, hours: list[int], now: dt.datetime
) -> tuple[int, dt.datetime] | None:
    """The latest of an appointment's reminders whose time has come (an appointment
    booked tomorrow gets the 24-hour reminder, not the 72-hour one too), with the time it
    must go by: the next reminder's, or shortly before the start."""
    due = [h for h in hours if starts_at - dt.timedelta(hours=h) <= now]
    if not due or starts_at - now < MIN_LEAD:
        return None
    latest = min(due)
    later = [h for h in hours if h < latest]
    send_by = starts_at - (dt.timedelta(hours=max(later)) if later else MIN_LEAD)
    return latest, send_by


def due_reminder(appointment: Appointment, hours: list[int], now: dt.datetime) -> Due | None:
    """`due_hours` for an appointment."""
    found = due_hours(appointment.starts_at, hours, now)
    return Due(appointment, *found) if found else None


def _upcoming(now: dt.datetime, longest: int) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        person__isnull=False,
        person__merged_into__isnull=True,
        starts_at__gt=now + MIN_LEAD,
        starts_at__lte=now + dt.timedelta(hours=longest),
    )


def upcoming_keys(now: dt.datetime, longest: int) -> QuerySet[Appointment, tuple[Any, ...]]:
    """(id, program, start) of the appointments a reminder may be due for, by id."""
    return _upcoming(now, longest).values_list("pk", "program_id", "starts_at").order_by("pk")


def upcoming(now: dt.datetime, longest: int) -> QuerySet[Appointment]:
    return (
        _upcoming(now, longest)
        .select_related("person__organization", "appointment_type")
        .prefetch_related("person__contact_points", "person__languages")
        .order_by("pk")
    )


@dataclass
class SweepOutcome:
    considered: int = 0
    asked: int = 0
    blocked: int = 0


def sweep_reminders(now: dt.datetime | None = None) -> SweepOutcome:
    """Ask for every reminder that is due and not yet asked for. Run again and again
    (every few minutes by the worker): a reminder already sent or waiting is skipped by
    its key, one query per batch."""
    now = now or timezone.now()
    programs = (
        Appointment.objects.filter(
            status=Appointment.Status.BOOKED,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=LONGEST_RULE),
        )
        .values_list("program_id", flat=True)
        .distinct()
    )
    hours = hours_by_program(programs)
    outcome = SweepOutcome()
    longest = max((h for hs in hours.values() for h in hs), default=0)
    if not longest:
        return outcome
    last = 0
    while True:
        # The batch's keys first (three columns), then only the appointments with a
        # reminder still to ask for, with what rendering and choosing a way need.
        rows = list(upcoming_keys(now, longest).filter(pk__gt=last)[:BATCH])
        if not rows:
            return outcome
        last = rows[-1][0]
        outcome.considered += len(rows)
        due = {}
        for pk, program_id, starts_at in rows:
            found = due_hours(starts_at, hours.get(program_id, []), now)
            if found is not None:
                due[source_key(pk, found[0], starts_at)] = (pk, found)
        done = set(
            OutboundMessage.objects.filter(source_key__in=list(due))
            .exclude(status=Status.BLOCKED)
            .values_list("source_key", flat=True)
        )
        wanted = {pk: (key, found) for key, (pk, found) in due.items() if key not in done}
        if not wanted:
            continue
        asks = [
            _ask(Due(appointment, *wanted[appointment.pk][1]), wanted[appointment.pk][0])
            for appointment in upcoming(now, longest).filter(pk__in=list(wanted))
        ]
        sent = send_many(actor=SYSTEM, purpose=PURPOSE, asks=asks, now=now)
        outcome.asked += len(asks)
        outcome.blocked += sum(m.status == Status.BLOCKED for m in sent)


def _ask(item: Due, key: str) -> Ask:
    appointment = item.appointment
    person = appointment.person
    assert person is not None
    return Ask(
        person=person,
        source_key=key,
        render=lambda: render_reminder(appointment, person),
        send_by=item.send_by,
    )


def appointment_zone(appointment: Appointment, person: Person) -> zoneinfo.ZoneInfo:
    """In person: where it happens; by phone or video: where the person is."""
    if appointment.modality == "in_person" and appointment.time_zone:
        return zoneinfo.ZoneInfo(appointment.time_zone)
    return person.zone


HOW = {
    "in_person": pgettext_lazy("how an appointment happens", "in person"),
    "phone": pgettext_lazy("how an appointment happens", "by phone"),
    "video": pgettext_lazy("how an appointment happens", "by video"),
    "home_visit": pgettext_lazy("how an appointment happens", "a home visit"),
}


def how_words(appointment: Appointment) -> str:
    """How the appointment happens, in the active language, lower case for a sentence."""
    words = HOW.get(appointment.modality)
    return str(words) if words is not None else appointment.modality


def when_words(appointment: Appointment, person: Person) -> tuple[str, str]:
    """The day and time of the appointment, in the active language."""
    local = appointment.starts_at.astimezone(appointment_zone(appointment, person))
    # Keyed on the wall time and the zone: aware datetimes of one instant in two zones
    # compare (and hash) equal, so the instant alone would word the first zone's time.
    return _when_words(translation.get_language(), local.replace(tzinfo=None), str(local.tzinfo))


@lru_cache(maxsize=4096)
def _when_words(language: str, local: dt.datetime, zone: str) -> tuple[str, str]:
    """A sweep's reminders share a few days and times: each worded once per language
    (`local` is the naive wall time in `zone`)."""
    day = f"{WEEKDAYS[local.weekday()]} {formats.date_format(local, 'DATE_FORMAT')}"
    return day, formats.time_format(local, "TIME_FORMAT")


@lru_cache(maxsize=16)
def _reply_prefix(script_prefix: str) -> str:
    """The reply page's address up to its token (the same for every reminder)."""
    marker = "TOKEN"
    address = reverse("scheduling-reply:page", args=[marker])
    return settings.SITE_URL.rstrip("/") + address[: address.index(marker)]


def reply_link(appointment: Appointment) -> str:
    token = reply_links.make_token(appointment)
    if not _PLAIN_TOKEN.fullmatch(token):  # never, for a signed token: but stay exact
        return settings.SITE_URL.rstrip("/") + reverse("scheduling-reply:page", args=[token])
    return f"{_reply_prefix(get_script_prefix())}{token}/"


def render_reminder(appointment: Appointment, person: Person) -> Draft:
    """The reminder, in the active language (send_to_person sets the person's). No
    program or service name: a text can be read by someone else."""
    day, time = when_words(appointment, person)
    link = reply_link(appointment)
    body = _(
        "Hi %(name)s, this is a reminder of your appointment on %(day)s at %(time)s "
        "(%(how)s). Reply C to confirm. To confirm, cancel or ask for another time: %(link)s"
    ) % {
        "name": person.first_name,
        "day": day,
        "time": time,
        "how": how_words(appointment),
        "link": link,
    }
    return Draft(body=body, subject=_("Appointment reminder"))


def still_wanted(message: OutboundMessage) -> str:
    """At send time: "" while the appointment stands at the start the reminder was for."""
    parsed = parse_key(message.source_key)
    if parsed is None:
        return "not a reminder this app made"
    appointment_id, start = parsed
    row = Appointment.objects.filter(pk=appointment_id).values("status", "starts_at").first()
    if row is None:
        return "the appointment no longer exists"
    if row["status"] != Appointment.Status.BOOKED:
        return f"the appointment is {row['status'].replace('_', ' ')}"
    if row["starts_at"] != start:
        return "the appointment was moved (its new time has its own reminders)"
    return ""


def confirm_by_text(message: OutboundMessage) -> str:
    parsed = parse_key(message.source_key)
    appointment = Appointment.objects.filter(pk=parsed[0]).first() if parsed else None
    if appointment is None or parsed is None:
        return "nothing to confirm"
    return reply_links.answer(
        appointment=appointment, starts_at=parsed[1], answer="confirm", via="text"
    )


def blocked_rows(viewer: object, caseload: QuerySet[Person], now: dt.datetime) -> QuerySet[Any]:
    """Reminders not sent because no way was safe, for appointments still ahead, unless
    the same reminder went out another way since."""
    sent_since = OutboundMessage.objects.filter(source_key=OuterRef("source_key")).exclude(
        status=Status.BLOCKED
    )
    return (
        OutboundMessage.objects.filter(
            purpose=PURPOSE,
            status=Status.BLOCKED,
            person__in=caseload,
            created_at__gte=now - dt.timedelta(days=3),
        )
        .exclude(Exists(sent_since))
        .values("pk", "person_id", "reason", "created_at")
    )


def blocked_reminders(
    viewer: object, rows: list[WorklistRow], now: dt.datetime
) -> list[WorklistItem]:
    return [
        WorklistItem(
            person_id=row["person_id"],
            reason=BLOCKED_REASON,
            text=_("Reminder could not be sent safely: %(why)s")
            % {"why": said_reason(row["reason"])},
            due_at=row["created_at"],
            link=link("people:detail", row["person_id"]),
            key=f"message:{row['pk']}",
        )
        for row in rows
    ]


def register() -> None:
    """Called from SchedulingConfig.ready()."""
    purposes.register(
        Purpose(
            key=PURPOSE,
            label=gettext_lazy("Appointment reminder"),
            still_wanted=still_wanted,
            on_confirm=confirm_by_text,
            said=journey_words.said_by_purpose,
        )
    )
    worklist_reasons.register(
        WorklistReason(
            key=BLOCKED_REASON,
            label=gettext_lazy("Reminder could not be sent safely"),
            rows=blocked_rows,
            items=blocked_reminders,
            urgency=40,
        )
    )
    reply_links.register()
