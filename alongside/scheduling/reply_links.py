"""The person's answers to a reminder: confirm, cancel or ask for another time, by a
signed link that expires (no account needed) or by replying C/YES to the text.

A link names the appointment and the start it was sent about; it stops working when that
start passes, after SCHEDULING_REPLY_LINK_DAYS, or once the appointment is moved or
cancelled (the new time's reminder carries a new link)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.actors import SystemActor
from alongside.lib.links import link
from alongside.people.contributions import (
    TimelineKind,
    WorklistItem,
    WorklistReason,
    WorklistRow,
    timeline_kinds,
    worklist_reasons,
)
from alongside.people.models import Person
from alongside.people.timeline import add_entry
from alongside.scheduling import changes
from alongside.scheduling.models import Appointment, ReminderReply

SALT = "alongside.scheduling.reply"
PERSON = SystemActor(username="system:person-reply", name="The person, from a reminder")
RESCHEDULE_REASON = "scheduling.reschedule_requested"


class LinkUnavailable(Exception):
    """The link is forged, expired, or about an appointment that has changed."""


def make_token(appointment: Appointment) -> str:
    start = int(appointment.starts_at.timestamp())
    return signing.dumps({"a": appointment.pk, "s": start}, salt=SALT, compress=True)


def open_token(token: str, now: dt.datetime | None = None) -> tuple[Appointment, dt.datetime]:
    """The appointment and start a link is about, while it may still be answered."""
    now = now or timezone.now()
    max_age = dt.timedelta(days=settings.SCHEDULING_REPLY_LINK_DAYS)
    try:
        data = signing.loads(token[:500], salt=SALT, max_age=max_age)
        appointment_id = int(data["a"])
        start = dt.datetime.fromtimestamp(int(data["s"]), tz=dt.UTC)
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError, OSError):
        raise LinkUnavailable from None
    appointment = (
        Appointment.objects.select_related("person__organization", "location")
        .prefetch_related("person__languages")
        .filter(pk=appointment_id, person__isnull=False)
        .first()
    )
    if (
        appointment is None
        or appointment.status != Appointment.Status.BOOKED
        or appointment.starts_at != start
        or start <= now
    ):
        raise LinkUnavailable
    return appointment, start


# Stored in English on the journey, said again there (`journey_words`).
ANSWER_WORDS = {
    "confirm": gettext_noop("Confirmed the appointment"),
    "cancel": gettext_noop("Cancelled the appointment"),
    "reschedule": gettext_noop("Asked for another time for the appointment"),
}


@transaction.atomic
def answer(
    *, appointment: Appointment, starts_at: dt.datetime, answer: str, via: str, note: str = ""
) -> str:
    """Record the person's answer; cancel when they cancel. Says what was done (for the
    timeline of a text reply), or why nothing was."""
    current = Appointment.objects.select_for_update().filter(pk=appointment.pk).first()
    if current is None or current.person_id is None:
        return "nothing to answer: the appointment is gone"
    if current.status != Appointment.Status.BOOKED or current.starts_at != starts_at:
        return "nothing done: the appointment was moved or cancelled since"
    now = timezone.now()
    reply = ReminderReply.objects.create(
        appointment=current,
        answer=answer,
        via=via,
        starts_at=starts_at,
        note=note[:500],
        answered_at=now,
    )
    person = Person.objects.get(pk=current.person_id)
    audit.record_for_person(actor=PERSON, action=Action.CREATE, person=person, obj=reply)
    if answer == ReminderReply.Answer.CANCEL:
        reason = (
            gettext_noop("Cancelled by the person from a reminder: %(note)s") % {"note": note}
            if note
            else gettext_noop("Cancelled by the person from a reminder")
        )
        changes.cancel_by_person_locked(actor=PERSON, current=current, reason=reason[:300], now=now)
    done = ANSWER_WORDS[answer]
    add_entry(
        person=person,
        kind=f"scheduling.reminder_{answer}",
        occurred_at=now,
        summary=done,
        details=note,
        actor=PERSON,
        program=current.program,
        subject=current,
    )
    return done.lower()


def reschedule_rows(viewer: object, caseload: QuerySet[Person], now: dt.datetime) -> QuerySet[Any]:
    """People who asked for another time from a reminder, until staff handle it."""
    return ReminderReply.objects.filter(
        answer=ReminderReply.Answer.RESCHEDULE,
        handled_at__isnull=True,
        appointment__person__in=caseload,
        appointment__status=Appointment.Status.BOOKED,
    ).values("pk", "appointment__person_id", "answered_at", "note")


def reschedule_requests(
    viewer: object, rows: list[WorklistRow], now: dt.datetime
) -> list[WorklistItem]:
    items = []
    for row in rows:
        person_id, note = row["appointment__person_id"], row["note"]
        items.append(
            WorklistItem(
                person_id=person_id,
                reason=RESCHEDULE_REASON,
                text=_("Asked for another appointment time") + (f": {note}" if note else ""),
                due_at=row["answered_at"],
                link=link("people:detail", person_id),
                key=f"reschedule:{row['pk']}",
            )
        )
    return items


def register() -> None:
    for answer_key, label in (
        ("confirm", gettext_lazy("Appointment confirmed by the person")),
        ("cancel", gettext_lazy("Appointment cancelled by the person")),
        ("reschedule", gettext_lazy("Person asked for another appointment time")),
    ):
        timeline_kinds.register(
            TimelineKind(key=f"scheduling.reminder_{answer_key}", label=label, group="appointments")
        )
    worklist_reasons.register(
        WorklistReason(
            key=RESCHEDULE_REASON,
            label=gettext_lazy("Asked for another appointment time"),
            rows=reschedule_rows,
            items=reschedule_requests,
            urgency=45,
        )
    )
