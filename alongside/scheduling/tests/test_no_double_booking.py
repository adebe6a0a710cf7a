"""The database itself refuses a double booking of a staff member, a room or a person,
on PostgreSQL (exclusion constraints) and SQLite (triggers), whatever writes the row."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.factories import (
    make_location,
    make_room,
    make_type,
    raw_appointment,
)

pytestmark = pytest.mark.django_db

NINE = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def other_person(world):
    from conftest import make_person

    return make_person(world.coordinator, world.housing, legal_given_name="Ana")


def _refused(world, name: str, **fields):
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        raw_appointment(world, **fields)


def test_it_refuses_the_same_staff_member_twice_at_once(world, other_person):
    raw_appointment(world, NINE)
    _refused(
        world,
        "appointment_staff_no_overlap",
        starts_at=NINE + dt.timedelta(minutes=30),
        person=other_person,
    )


def test_it_refuses_the_same_person_twice_at_once(world):
    raw_appointment(world, NINE)
    _refused(
        world,
        "appointment_person_no_overlap",
        starts_at=NINE + dt.timedelta(minutes=59),
        staff=world.supervisor,
    )


def test_it_refuses_the_same_room_twice_at_once(world, other_person):
    room = make_room(make_location(world))
    raw_appointment(world, NINE, room=room)
    _refused(
        world,
        "appointment_room_no_overlap",
        starts_at=NINE,
        person=other_person,
        staff=world.supervisor,
        room=room,
    )


def test_back_to_back_appointments_are_fine(world):
    raw_appointment(world, NINE)
    raw_appointment(world, NINE + dt.timedelta(hours=1))
    assert Appointment.objects.count() == 2


def test_buffers_block_the_staff_member(world, other_person):
    kind = make_type(world, buffer_after_minutes=15)
    raw_appointment(world, NINE, appointment_type=kind)
    _refused(
        world,
        "appointment_staff_no_overlap",
        starts_at=NINE + dt.timedelta(minutes=70),
        person=other_person,
    )


def test_cancelled_appointments_take_no_time(world):
    first = raw_appointment(world, NINE)
    first.status = Appointment.Status.CANCELLED
    first.save()
    raw_appointment(world, NINE)
    assert Appointment.objects.filter(status="booked").count() == 1


def test_an_update_into_an_overlap_is_refused(world, other_person):
    raw_appointment(world, NINE)
    later = raw_appointment(world, NINE + dt.timedelta(hours=2), person=other_person)
    with pytest.raises(IntegrityError, match="appointment_staff_no_overlap"), transaction.atomic():
        Appointment.objects.filter(pk=later.pk).update(
            starts_at=NINE, ends_at=NINE + dt.timedelta(hours=1), blocks_from=NINE
        )


def test_cancelling_back_into_active_over_an_overlap_is_refused(world, other_person):
    first = raw_appointment(world, NINE)
    Appointment.objects.filter(pk=first.pk).update(status="cancelled")
    raw_appointment(world, NINE, person=other_person)
    with pytest.raises(IntegrityError, match="_no_overlap"), transaction.atomic():
        Appointment.objects.filter(pk=first.pk).update(status="booked")


def test_an_overbooking_is_exempt_for_the_staff_member_but_not_the_person(world, other_person):
    raw_appointment(world, NINE)
    raw_appointment(
        world, NINE, person=other_person, overbooked=True, overbook_reason="walk-in in crisis"
    )
    _refused(
        world,
        "appointment_person_no_overlap",
        starts_at=NINE,
        staff=world.supervisor,
        overbooked=True,
        overbook_reason="again",
    )
