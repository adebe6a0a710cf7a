"""Scheduling for the showcase: appointment types for Housing Navigation, rooms and
opening hours at the main office, the team's weekly availability (with an evening block
and a walk-in morning), Rosa's preferences (evenings, by phone) and her next appointment
booked from the slot search, Walter's attended visit, Dani's missed appointment (which
the no-show follow-up rule turns into a task for Casey), a group workshop with seats and
someone on the waitlist. The usual set-up rows are written directly; a sensitive type
and Casey's time off go through the set-up services, as the admin would on
/manage/<org>/scheduling/; everything about a person goes through the scheduling
services, as staff would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo.showcase import Showcase, Staff
from alongside.scheduling import (
    attendance,
    booking,
    configure,
    groups,
    preferences,
    slots,
    waitlist,
)
from alongside.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityPattern,
    OpeningHours,
    Room,
)
from alongside.tasks import rules

PAST = "recorded after the fact for the demo"


def _setup(staff: Staff) -> tuple[AppointmentType, AppointmentType, Any]:
    program = staff.housing
    organization = program.organization
    location = organization.locations.order_by("pk")[0]
    for name in ("Room 1", "Room 2"):
        Room.objects.create(location=location, name=name)
    for weekday in range(5):
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(20)
        )
    check_in = AppointmentType.objects.create(
        program=program,
        name="Housing check-in",
        duration_minutes=45,
        modalities=["in_person", "phone", "video", "home_visit"],
        buffer_after_minutes=15,
    )
    workshop = AppointmentType.objects.create(
        program=program,
        name="Tenant rights workshop",
        duration_minutes=90,
        modalities=["in_person"],
        is_group=True,
        capacity=8,
    )
    zone = organization.time_zone
    since = timezone.localdate() - dt.timedelta(days=60)
    team = [staff.coordinator, staff.supervisor]
    for user in team:
        for weekday in range(5):
            AvailabilityPattern.objects.create(
                organization=organization,
                staff=user,
                weekday=weekday,
                starts=dt.time(9),
                ends=dt.time(17),
                time_zone=zone,
                location=location,
                valid_from=since,
            )
    # Casey's evening block, for people who work days, by phone or video only.
    for weekday in (1, 3):
        AvailabilityPattern.objects.create(
            organization=organization,
            staff=staff.coordinator,
            weekday=weekday,
            starts=dt.time(17),
            ends=dt.time(19, 30),
            time_zone=zone,
            modalities=["phone", "video"],
            valid_from=since,
        )
    AvailabilityPattern.objects.create(
        organization=organization,
        staff=staff.supervisor,
        weekday=5,
        starts=dt.time(10),
        ends=dt.time(12),
        time_zone=zone,
        location=location,
        is_walk_in=True,
        valid_from=since,
    )
    return check_in, workshop, location


def _choice(
    kind: AppointmentType, user: User, at: dt.datetime, modality: str, location: Any, **extra: Any
) -> booking.Choice:
    return booking.Choice(
        kind=kind,
        staff=user,
        starts_at=at,
        modality=modality,
        location=location if modality == "in_person" else None,
        **extra,
    )


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _set_up_by_admin(staff: Staff, admin: User) -> None:
    """What the organization admin adds on the scheduling set-up screens: a sensitive
    type (its name only for the care team and never in messages to the person) and
    Casey's time off next month."""
    organization = staff.housing.organization
    configure.type_save(
        actor=admin,
        organization=organization,
        program=staff.housing,
        data={
            "name": "Recovery support check-in",
            "duration_minutes": 30,
            "modalities": ["phone", "video"],
            "sensitive": True,
        },
    )
    start = _at(35, 9)
    configure.change_add(
        actor=admin,
        organization=organization,
        staff=staff.coordinator,
        data={
            "kind": "time_off",
            "starts_at": start,
            "ends_at": start + dt.timedelta(days=2, hours=8),
            "time_zone": organization.time_zone,
            "reason": "Training",
        },
    )


def build(staff: Staff, shown: Showcase, admin: User) -> None:
    check_in, workshop, location = _setup(staff)
    _set_up_by_admin(staff, admin)
    casey, sam = staff.coordinator, staff.supervisor
    rules.rule_create(
        actor=admin,
        organization=staff.housing.organization,
        program=staff.housing,
        data={
            "trigger": attendance.NO_SHOW_TRIGGER,
            "deadline": "business_days",
            "deadline_amount": 1,
            "priority": "routine",
            "assign_to": "coordinator",
            "title": "Reach out after a missed appointment",
        },
    )
    rosa = shown.people["rosa"]
    preferences.save(
        actor=casey,
        person=rosa,
        data={"evenings_ok": True, "preferred_modality": "phone", "travel_limit_minutes": 20},
    )
    best = slots.search(
        kind=check_in,
        person=rosa,
        wishes=slots.Wishes.of(rosa.scheduling_preference, rosa.organization.time_zone),
        since=timezone.now() + dt.timedelta(days=1),
        days=14,
        limit=1,
    )
    if best:
        slot = best[0]
        booking.book(
            actor=casey,
            person=rosa,
            choice=_choice(
                check_in,
                User.objects.get(pk=slot.staff_id),
                slot.starts_at,
                slot.modality,
                location,
                reason="Lease renewal paperwork",
            ),
        )
    walter = shown.people["walter"]
    visit = booking.book(
        actor=sam,
        person=walter,
        choice=_choice(
            check_in,
            casey,
            _at(-7, 10),
            "in_person",
            location,
            override=PAST,
            reason="Utility shut-off notice",
        ),
    )
    attendance.mark(actor=casey, appointment=visit, status=Appointment.Status.COMPLETED)
    dani = shown.people["dani"]
    missed = booking.book(
        actor=sam,
        person=dani,
        choice=_choice(check_in, casey, _at(-1, 11), "in_person", location, override=PAST),
    )
    attendance.mark(
        actor=casey,
        appointment=missed,
        status=Appointment.Status.NO_SHOW,
        reason="No answer by phone either",
    )
    rules.evaluate_for_person(dani.pk)
    session = groups.session_create(
        actor=sam,
        choice=_choice(
            workshop,
            sam,
            _at(8, 14),
            "in_person",
            location,
            override="a workshop outside the usual hours",
        ),
    )
    for who in ("rosa", "walter"):
        groups.seat_book(actor=casey, session=session, person=shown.people[who])
    waitlist.join(
        actor=casey,
        person=shown.people["referred"],
        kind=check_in,
        note="Any morning; sooner is better.",
    )
