"""Group sessions: one appointment with seats. Seats never exceed the type's capacity,
even when people are seated at the same moment: the session row is locked
(select_for_update) while its seats are counted and the new one written."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.people import timeline
from alongside.people.models import Person
from alongside.scheduling import booking, common
from alongside.scheduling.common import SessionFull
from alongside.scheduling.models import Appointment, GroupSeat
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
        if (
            locked.seats.filter(status__in=GroupSeat.TAKEN_STATUSES).count()
            >= locked.appointment_type.capacity
        ):
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
            summary=common.summary(locked),
            actor=actor,
            program=locked.program,
            subject=locked,
        )
    return seat


def seats_left(session: Appointment) -> int:
    taken = session.seats.filter(status__in=GroupSeat.TAKEN_STATUSES).count()
    return max(session.appointment_type.capacity - taken, 0)
