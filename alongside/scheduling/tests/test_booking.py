"""Holding and booking: the database decides, the service explains ("just taken", with
what blocks and the next best times); bad input is refused clearly; overbooking only
for the roles allowed to, with a reason, audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from alongside.audit.models import AuditEvent
from alongside.lib.errors import NotPermitted
from alongside.people.models import Person, TimelineEntry
from alongside.scheduling import booking
from alongside.scheduling.common import SlotTaken
from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.services_helpers import NOW, TEN, bookable, choice

pytestmark = pytest.mark.django_db


def test_it_books_and_writes_the_timeline_and_the_audit(world):
    kind = bookable(world)
    appointment = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )
    assert appointment.status == "booked"
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(hours=1)
    entry = TimelineEntry.objects.get(person=world.person, kind="scheduling.appointment_booked")
    assert "Check-in with Casey Nguyen" in entry.summary
    assert AuditEvent.objects.filter(object_type="scheduling.appointment", action="create").exists()


def test_the_second_booking_of_a_slot_is_told_it_was_just_taken(world, ana):
    kind = bookable(world)
    first = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )
    with pytest.raises(SlotTaken, match="just taken") as taken:
        booking.book(actor=world.coordinator, person=ana, choice=choice(world, kind), now=NOW)
    assert taken.value.blocking == first
    assert "just taken: Check-in with Casey Nguyen" in str(taken.value)
    assert taken.value.alternatives
    assert all(
        s.starts_at != TEN or s.staff_id != world.coordinator.pk for s in taken.value.alternatives
    )
    assert Appointment.objects.count() == 1


def test_a_live_hold_blocks_and_a_lapsed_one_does_not(world, ana):
    kind = bookable(world)
    hold = booking.hold_slot(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )
    assert hold.status == "held"
    with pytest.raises(SlotTaken, match="a hold on Check-in"):
        booking.book(actor=world.coordinator, person=ana, choice=choice(world, kind), now=NOW)
    later = NOW + dt.timedelta(minutes=11)
    taken = booking.book(actor=world.coordinator, person=ana, choice=choice(world, kind), now=later)
    hold.refresh_from_db()
    assert (hold.status, taken.status) == ("expired", "booked")


def test_a_hold_is_confirmed_into_a_booking(world):
    kind = bookable(world)
    hold = booking.hold_slot(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )
    booked = booking.confirm_hold(
        actor=world.coordinator, hold=hold, reason="housing forms", now=NOW
    )
    assert (booked.pk, booked.status, booked.held_until) == (hold.pk, "booked", None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": -30}, "ends_at"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        (
            {"starts_at": dt.datetime(2026, 12, 7, 20, 0, tzinfo=dt.UTC) + dt.timedelta(hours=3)},
            "starts_at",
        ),
        ({"modality": "video"}, "modality"),
        ({"starts_at": dt.datetime(2026, 12, 7, 10, 0)}, "starts_at"),  # noqa: DTZ001 - refused
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, change, field):
    kind = bookable(world)
    with pytest.raises(ValidationError, match=".") as refusal:
        booking.book(
            actor=world.coordinator,
            person=world.person,
            choice=choice(world, kind, **change),
            now=NOW,
        )
    assert field in refusal.value.message_dict
    assert not Appointment.objects.exists()


def test_someone_out_of_scope_is_not_found(world):
    kind = bookable(world)
    with pytest.raises(Person.DoesNotExist, match="Person matching query"):
        booking.book(actor=world.outsider, person=world.person, choice=choice(world, kind), now=NOW)
    assert not Appointment.objects.exists()


def test_only_allowed_roles_overbook_and_it_is_audited(world, ana):
    kind = bookable(world)
    booking.book(actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW)
    squeeze = choice(world, kind, override="walk-in in crisis")
    with pytest.raises(NotPermitted, match="Only the roles allowed"):
        booking.book(actor=world.coordinator, person=ana, choice=squeeze, now=NOW)
    second = booking.book(actor=world.supervisor, person=ana, choice=squeeze, now=NOW)
    assert (second.overbooked, second.overbook_reason) == (True, "walk-in in crisis")
    event = AuditEvent.objects.get(
        object_type="scheduling.appointment", object_id=str(second.pk), action="create"
    )
    assert event.detail["override"] == "walk-in in crisis"


def test_outside_availability_needs_an_allowed_override(world):
    kind = bookable(world)
    evening = choice(world, kind, starts_at=TEN + dt.timedelta(hours=9))
    with pytest.raises(ValidationError, match="not available then"):
        booking.book(actor=world.coordinator, person=world.person, choice=evening, now=NOW)
    evening.override = "only time she can make it"
    booked = booking.book(actor=world.supervisor, person=world.person, choice=evening, now=NOW)
    assert booked.overbooked is False
    assert booked.overbook_reason == ""
