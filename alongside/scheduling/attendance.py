"""Attendance: arrived, completed, did not come (no-show), cancelled late. A no-show is
a timeline entry and an occurrence of the "no-show" follow-up trigger, which the hub's
rules turn into exactly one task for the coordinator (alongside.tasks.rules: a unique
key per occurrence). A group-session attendee who did not come (`mark_seat`) is an
occurrence of the same trigger, keyed by the seat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.audit.services import Action
from alongside.lib.english import in_english
from alongside.lib.errors import StaleVersion
from alongside.people.contributions import FollowUpTrigger, Occurrence
from alongside.people.models import Enrollment
from alongside.scheduling import common, groups
from alongside.scheduling.availability import zone
from alongside.scheduling.models import Appointment, GroupSeat
from alongside.tasks.background import evaluate_person_later

S = Appointment.Status
NO_SHOW_TRIGGER = "scheduling.no_show"
# A no-show older than this is past any follow-up: a rule configured today does not
# turn last year's missed appointments into tasks.
RECENT = dt.timedelta(days=14)
# What each mark may follow.
FROM = {
    S.ARRIVED: (S.BOOKED,),
    S.COMPLETED: (S.BOOKED, S.ARRIVED),
    S.NO_SHOW: (S.BOOKED,),
    S.LATE_CANCELLED: (S.BOOKED,),
}
NEEDS_START = (S.ARRIVED, S.COMPLETED, S.NO_SHOW)


def mark(
    *,
    actor: Actor,
    appointment: Appointment,
    status: str,
    reason: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Record attendance. Refuses a mark that does not follow (a no-show of a cancelled
    appointment) or that is early (a no-show before the appointment starts)."""
    now = now or timezone.now()
    if status not in FROM:
        raise ValidationError(
            {"status": _("Choose arrived, completed, no-show or late cancellation.")}
        )
    if appointment.person is not None:
        common.check_person(actor, appointment.person)
    common.check_program(actor, appointment.program)
    with transaction.atomic():
        current = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("appointment_type", "staff", "person", "program")
            .get(pk=appointment.pk)
        )
        if version is not None and current.version != version:
            raise StaleVersion(current.version)
        if current.status not in FROM[S(status)]:
            raise ValidationError(
                {
                    "status": _("This appointment is %(now)s; it cannot be marked that way.")
                    % {"now": current.get_status_display().lower()}
                }
            )
        if status in NEEDS_START and current.starts_at > now + dt.timedelta(minutes=30):
            raise ValidationError({"status": _("This appointment has not started yet.")})
        current.status = status
        current.status_reason = reason[:300]
        current.version += 1
        current.save(update_fields=["status", "status_reason", "version", "updated_at"])
        words = in_english(
            lambda: {
                S.ARRIVED: _("Arrived"),
                S.COMPLETED: _("Attended"),
                S.NO_SHOW: _("Did not come"),
                S.LATE_CANCELLED: _("Cancelled late"),
            }[S(status)]
        )
        common.record(
            actor,
            current,
            Action.UPDATE,
            kind=common.ATTENDANCE,
            words=str(words),
            fields=["status"],
        )
        if status == S.NO_SHOW and current.person_id is not None:
            evaluate_person_later(current.person_id)
    return current


def mark_seat(
    *, actor: Actor, seat: GroupSeat, status: str, now: dt.datetime | None = None
) -> GroupSeat:
    """Attendance of one group-session attendee (`groups.seat_mark`, which refuses a mark
    that does not follow, so a second no-show is refused); a no-show has the hub's rules
    look at the person, as for a one-to-one appointment."""
    marked = groups.seat_mark(actor=actor, seat=seat, status=status, now=now)
    if marked.status == GroupSeat.Status.NO_SHOW:
        evaluate_person_later(marked.person_id)
    return marked


def _missed(
    rows: QuerySet[Any],
    at: str,
    status: str,
    program_ids: list[int],
    enrolled: Any,
    now: dt.datetime,
) -> QuerySet[Any]:
    """Recent no-shows among `rows` (appointments, or group seats with their session's
    fields under `at` = "appointment__"): pk, person, start, zone, kind and sensitivity."""
    return rows.filter(
        **{
            f"{at}program_id__in": program_ids,
            f"{at}starts_at__gte": now - RECENT,
            f"{at}starts_at__lte": now,
        },
        status=status,
        person_id__in=enrolled,
        person__merged_into__isnull=True,
    ).values_list(
        "pk",
        "person_id",
        f"{at}starts_at",
        f"{at}time_zone",
        f"{at}appointment_type__name",
        f"{at}appointment_type__sensitive",
    )


def _no_show_why(kind: str, local: dt.datetime) -> str:
    """Why a missed appointment asks for a follow-up (stored as the task's reason)."""
    day = formats.date_format(local, "SHORT_DATETIME_FORMAT")
    return _("did not come to %(kind)s on %(day)s") % {"kind": kind, "day": day}


def no_shows(program_ids: Iterable[int], days: int, now: dt.datetime) -> Iterator[Occurrence]:
    """Recent no-shows of people in an open enrollment in the programs, one occurrence
    per missed appointment and per group seat not taken up."""
    program_ids = list(program_ids)
    enrolled = Enrollment.objects.filter(
        program_id__in=program_ids, status__in=Enrollment.OPEN_STATUSES
    ).values("person_id")
    rows = _missed(Appointment.objects.all(), "", S.NO_SHOW, program_ids, enrolled, now)
    seats = _missed(
        GroupSeat.objects.all(),
        "appointment__",
        GroupSeat.Status.NO_SHOW,
        program_ids,
        enrolled,
        now,
    )
    # A sensitive kind makes a sensitive task: only those the one rule lets see it read
    # the kind's name (tasks.presenting); everyone else reads a neutral follow-up.
    for prefix, found in (("no-show", rows), ("no-show-seat", seats)):
        for pk, person_id, starts_at, zone_name, kind, sensitive in found.order_by().iterator(
            chunk_size=2000
        ):
            local = timezone.localtime(starts_at, zone(zone_name))
            yield Occurrence(
                person_id=person_id,
                key=f"{prefix}:{pk}",
                since=starts_at,
                why=in_english(_no_show_why, kind, local),
                sensitive=sensitive,
            )


TRIGGER = FollowUpTrigger(
    key=NO_SHOW_TRIGGER,
    label="A missed appointment (no-show)",
    occurrences=no_shows,
)
