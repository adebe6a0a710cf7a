"""Group sessions: one appointment with seats. Seats never exceed the type's capacity,
even when people are seated at the same moment: the session row is locked
(select_for_update) while its seats are counted and the new one written. The type's
row is locked too, for the capacity read: an admin lowering the capacity locks it
before counting the seats taken (configure.type_save), so the two cannot pass each
other — the lowering waits for the seat and then counts it, or the seat waits for the
lowering and then reads the new capacity."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.accounts.actors import Actor
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.english import in_english
from alongside.people import timeline
from alongside.people.models import Person
from alongside.scheduling import booking, common
from alongside.scheduling.common import SessionFull
from alongside.scheduling.models import Appointment, AppointmentType, GroupSeat
from alongside.scheduling.slots import occupying


def session_create(
    *, actor: Actor, choice: booking.Choice, now: dt.datetime | None = None
) -> Appointment:
    now = now or timezone.now()
    common.check_program(actor, choice.kind.program)
    if not choice.kind.is_group:
        raise ValidationError({"appointment_type": _("Choose a group session type.")})
    booking.validate(actor, choice, now)
    session = booking.new_row(actor, None, choice, Appointment.Status.BOOKED, now)
    with transaction.atomic():
        booking.save_or_taken(session, now, actor=actor)
        common.record(actor, session, Action.CREATE)
    return session


def seat_book(
    *, actor: Actor, session: Appointment, person: Person, now: dt.datetime | None = None
) -> GroupSeat:
    """Seat the person, or SessionFull. The person must be free then."""
    now = now or timezone.now()
    common.check_person(actor, person)
    common.check_program(actor, session.program)
    common.check_enrolled(person, session.program)
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("appointment_type", "staff", "program")
            .get(pk=session.pk)
        )
        if locked.status != Appointment.Status.BOOKED or locked.person_id is not None:
            raise ValidationError(_("This group session is not open for booking."))
        # NO KEY UPDATE: seats of one type queue here, but appointments may still be
        # booked with the type (their foreign key takes KEY SHARE).
        capacity = (
            AppointmentType.objects.select_for_update(no_key=True)
            .values_list("capacity", flat=True)
            .get(pk=locked.appointment_type_id)
        )
        if locked.seats.filter(status__in=GroupSeat.TAKEN_STATUSES).count() >= capacity:
            raise SessionFull
        busy = Appointment.objects.filter(
            occupying(now),
            person=person,
            starts_at__lt=locked.ends_at,
            ends_at__gt=locked.starts_at,
        ).exists() or booking.seated(person.pk, locked.starts_at, locked.ends_at, besides=locked)
        if busy:
            raise ValidationError(
                _("%(name)s has another appointment then.") % {"name": person.first_name}
            )
        try:
            with transaction.atomic():
                seat = GroupSeat.objects.create(appointment=locked, person=person)
        except IntegrityError as error:
            raise ValidationError(
                _("%(name)s already has a seat.") % {"name": person.first_name}
            ) from error
        audit.record_for_person(actor=actor, action=Action.CREATE, person=person, obj=seat)
        timeline.add_entry(
            person=person,
            kind=common.BOOKED,
            occurred_at=now,
            summary=in_english(common.summary, locked),  # stored: in English
            actor=actor,
            program=locked.program,
            subject=locked,
        )
    return seat


def seats_left(session: Appointment) -> int:
    taken = session.seats.filter(status__in=GroupSeat.TAKEN_STATUSES).count()
    return max(session.appointment_type.capacity - taken, 0)


# What each seat mark may follow, as for a one-to-one appointment (attendance.FROM).
SEAT_FROM = {
    GroupSeat.Status.ARRIVED: (GroupSeat.Status.BOOKED,),
    GroupSeat.Status.COMPLETED: (GroupSeat.Status.BOOKED, GroupSeat.Status.ARRIVED),
    GroupSeat.Status.NO_SHOW: (GroupSeat.Status.BOOKED,),
}
# Lazy: worded in the language active when a seat changes, not the one at import.
SEAT_WORDS = {
    GroupSeat.Status.ARRIVED: gettext_lazy("Arrived"),
    GroupSeat.Status.COMPLETED: gettext_lazy("Attended"),
    GroupSeat.Status.NO_SHOW: gettext_lazy("Did not come"),
    GroupSeat.Status.CANCELLED: gettext_lazy("Seat given up"),
}


def _locked_seat(actor: Actor, seat: GroupSeat) -> GroupSeat:
    common.check_person(actor, seat.person)
    common.check_program(actor, seat.appointment.program)
    return (
        GroupSeat.objects.select_for_update(of=("self",))
        .select_related("appointment__appointment_type", "appointment__staff", "person")
        .get(pk=seat.pk)
    )


def _seat_changed(actor: Actor, seat: GroupSeat, kind: str, now: dt.datetime) -> None:
    seat.save(update_fields=["status"])
    session = seat.appointment
    audit.record_for_person(
        actor=actor,
        action=Action.UPDATE,
        person=seat.person,
        obj=seat,
        fields=["status"],
        detail={"status": seat.status},
    )
    # A sensitive type is neutral in the summary (common.summary) and named only in
    # the details, which the sensitivity rule guards.
    sensitive = session.appointment_type.sensitive
    timeline.add_entry(
        person=seat.person,
        kind=kind,
        occurred_at=now,
        summary=in_english(
            lambda: f"{SEAT_WORDS[GroupSeat.Status(seat.status)]}: {common.summary(session)}"
        ),
        actor=actor,
        program=session.program,
        subject=session,
        details=session.appointment_type.name if sensitive else "",
        sensitive=sensitive or None,
    )


def seat_mark(
    *, actor: Actor, seat: GroupSeat, status: str, now: dt.datetime | None = None
) -> GroupSeat:
    """Attendance of one attendee: arrived, attended or did not come; not before the
    session has started (half an hour's grace, as for one-to-one appointments)."""
    now = now or timezone.now()
    if status not in SEAT_FROM:
        raise ValidationError({"status": _("Choose arrived, attended or did not come.")})
    with transaction.atomic():
        current = _locked_seat(actor, seat)
        if current.status not in SEAT_FROM[GroupSeat.Status(status)]:
            raise ValidationError(
                {
                    "status": _("This seat is %(now)s; it cannot be marked that way.")
                    % {"now": current.get_status_display().lower()}
                }
            )
        if current.appointment.starts_at > now + dt.timedelta(minutes=30):
            raise ValidationError({"status": _("This session has not started yet.")})
        current.status = status
        _seat_changed(actor, current, common.ATTENDANCE, now)
    return current


def seat_cancel(*, actor: Actor, seat: GroupSeat, now: dt.datetime | None = None) -> GroupSeat:
    """Give the seat up (the person no longer comes): the seat is free for someone else."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked_seat(actor, seat)
        if current.status != GroupSeat.Status.BOOKED:
            raise ValidationError(_("Only a booked seat can be given up."))
        current.status = GroupSeat.Status.CANCELLED
        _seat_changed(actor, current, common.CANCELLED, now)
    return current
