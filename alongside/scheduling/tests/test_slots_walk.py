"""The slot search's fast path: busy time merged by the database (PostgreSQL) or in
Python (SQLite), windows walked in seconds with busy stretches jumped over, and the walk
stopped once nothing left could make the list. It must give exactly what ranking every
free slot gives; overbooked appointments and booked rooms block as bookings do."""

import datetime as dt
import zoneinfo

import pytest

from alongside.accounts.models import Role
from alongside.scheduling import slots
from alongside.scheduling.models import Modality, SchedulingPreference
from alongside.scheduling.ranking import rank
from alongside.scheduling.selectors import wishes_for
from alongside.scheduling.tests.factories import (
    ZONE,
    make_location,
    make_pattern,
    make_room,
    make_type,
    raw_appointment,
)
from conftest import add_role, make_person

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo(ZONE)
NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=NY)  # Monday


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=NY)


def _search(world, kind, days=1, limit=500, wishes=None):
    return slots.search(
        kind=kind,
        person=world.person,
        wishes=wishes or wishes_for(world.person),
        since=NOW,
        days=days,
        limit=limit,
        now=NOW,
    )


def _shown(found):
    return [
        (s.staff_id, s.starts_at, s.modality, s.location_id, s.room_id, s.score, s.reasons)
        for s in found
    ]


@pytest.fixture
def busy_week(world):
    """Two staff on 9:00–20:00 weekdays at a clinic with one room; some of their time,
    the room's and the person's own taken; a 15-minute buffer after each appointment;
    the person likes evenings, the phone, and being done by 18:00."""
    kind = make_type(world, modalities=["in_person", "phone"], buffer_after_minutes=15)
    location = make_location(world)
    room = make_room(location)
    add_role(world.supervisor, Role.COORDINATOR, program=world.housing)
    for staff in (world.coordinator, world.supervisor):
        for weekday in range(5):
            make_pattern(
                world,
                staff,
                weekday=weekday,
                starts=dt.time(9),
                ends=dt.time(20),
                location=location,
            )
    other = make_person(world.coordinator, world.housing, legal_given_name="Ana")
    for day, hour in [(7, 10), (7, 17), (8, 9), (9, 18), (10, 12)]:
        raw_appointment(world, _at(day, hour), person=other, appointment_type=kind)
    raw_appointment(
        world, _at(8, 14), person=other, staff=world.supervisor, appointment_type=kind, room=room
    )
    raw_appointment(world, _at(9, 15, 30), staff=world.supervisor, appointment_type=kind)
    SchedulingPreference.objects.create(
        person=world.person,
        evenings_ok=True,
        preferred_modality=Modality.PHONE,
        latest=dt.time(18),
    )
    return kind


@pytest.mark.parametrize("limit", [1, 3, 10, 40, 1000])
def test_the_walk_gives_what_ranking_every_free_slot_gives(world, busy_week, limit):
    wishes = wishes_for(world.person)
    until = NOW + dt.timedelta(days=5)
    data = slots.load(busy_week, world.person, NOW, until, NOW)
    today = NOW.date()
    every = [
        rank(slots.to_slot(raw, data), wishes, data, "Lupe", today)
        for raw in slots.candidates(busy_week, data, NOW, until, wishes)
    ]
    assert len(every) > 100
    every.sort(key=lambda s: (-s.score, s.starts_at, s.staff_id, s.modality))
    found = _search(world, busy_week, days=5, limit=limit)
    assert _shown(found) == _shown(every[:limit])


def test_busy_time_and_buffers_are_jumped_over_exactly(world, busy_week):
    found = _search(world, busy_week)
    mine = sorted(
        s.starts_at.astimezone(NY).strftime("%H:%M")
        for s in found
        if s.staff_id == world.coordinator.pk and s.modality == "phone"
    )
    # Busy 10:00–11:15 and 17:00–18:15 (with the buffer): 9:00 and 16:00 would run into
    # them with their own buffers; 19:00's buffer may run past the end of the window.
    afternoon = ["12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "15:00", "15:30"]
    assert mine == ["11:30", *afternoon, "18:30", "19:00"]


def test_an_overbooked_appointment_blocks_the_search(world):
    """Booking refuses to land on an overbooked appointment without an override, so the
    search does not offer its time either."""
    kind = make_type(world, modalities=["phone"])
    make_pattern(world, weekday=0, starts=dt.time(9), ends=dt.time(12))
    raw_appointment(world, _at(7, 10), overbooked=True, overbook_reason="walk-in")
    starts = sorted(s.starts_at.astimezone(NY).strftime("%H:%M") for s in _search(world, kind))
    assert starts == ["09:00", "11:00"]


def test_a_booked_room_is_not_offered_in_person_but_the_phone_still_is(world):
    kind = make_type(world, modalities=["in_person", "phone"])
    location = make_location(world)
    room = make_room(location)
    make_pattern(world, weekday=0, starts=dt.time(9), ends=dt.time(11), location=location)
    make_pattern(world, world.supervisor, weekday=0, starts=dt.time(6), ends=dt.time(7))
    add_role(world.supervisor, Role.COORDINATOR, program=world.housing)
    other = make_person(world.coordinator, world.housing, legal_given_name="Ana")
    raw_appointment(
        world, _at(7, 9), person=other, staff=world.supervisor, room=room, location=location
    )
    found = {
        (s.starts_at.astimezone(NY).strftime("%H:%M"), s.modality, s.room_id)
        for s in _search(world, kind)
        if s.staff_id == world.coordinator.pk
    }
    assert found == {
        ("09:00", "phone", None),
        ("09:30", "phone", None),
        ("10:00", "phone", None),
        ("10:00", "in_person", room.pk),
    }
