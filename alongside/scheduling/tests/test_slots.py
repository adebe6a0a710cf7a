"""Slot search: availability less bookings, holds, buffers and time off; holidays;
daylight-saving transitions; a person and a staff member in different zones; ranking by
preferences and continuity, with the reasons."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.scheduling import slots
from alongside.scheduling.models import Modality, SchedulingPreference
from alongside.scheduling.selectors import wishes_for
from alongside.scheduling.tests.factories import (
    ZONE,
    make_change,
    make_location,
    make_pattern,
    make_type,
    raw_appointment,
)
from alongside.scheduling.tests.services_helpers import bookable

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo(ZONE)
# Monday 7 December 2026, 08:00 in New York.
NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=NY)


def _search(world, kind, now=NOW, days=1, limit=500, **extra):
    return slots.search(
        kind=kind,
        person=world.person,
        wishes=extra.pop("wishes", None) or wishes_for(world.person),
        since=now,
        days=days,
        limit=limit,
        now=now,
        **extra,
    )


def on(day, hour, minute=0):
    """A time in New York in December 2026 (Monday the 7th is the first day searched)."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=NY)


def _phone_kind(world, ends, weekday=0, **extra):
    """A phone appointment type, and the coordinator available from 9:00 until `ends`
    o'clock each `weekday` (0: Mondays)."""
    kind = make_type(world, modalities=["phone"], **extra)
    make_pattern(world, weekday=weekday, starts=dt.time(9), ends=dt.time(ends))
    return kind


def _local_starts(found, zone=NY):
    return sorted({s.starts_at.astimezone(zone).strftime("%a %H:%M") for s in found})


def test_it_offers_the_weekly_pattern_in_steps(world):
    kind = _phone_kind(world, 12)
    found = _search(world, kind)
    assert _local_starts(found) == ["Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30", "Mon 11:00"]
    assert {s.modality for s in found} == {"phone"}


def test_bookings_and_live_holds_and_buffers_are_taken_out(world, ana):
    kind = _phone_kind(world, 15, buffer_after_minutes=15)
    raw_appointment(world, on(7, 10), person=ana, appointment_type=kind)
    raw_appointment(
        world,
        on(7, 12),
        person=ana,
        appointment_type=kind,
        status="held",
        held_until=NOW + dt.timedelta(minutes=5),
    )
    found = _search(world, kind)
    # 9:00 would end at 10:00 plus its 15-minute buffer, into the 10:00 booking; 11:00
    # meets that booking's buffer (till 11:15); 11:30 runs with its buffer into the hold
    # at 12:00, whose own buffer lasts till 13:15.
    assert _local_starts(found) == ["Mon 13:30", "Mon 14:00"]


def test_a_buffer_longer_than_the_margin_reads_the_busy_time_it_reaches(world, ana):
    """A six-hour buffer before reaches past the four hours read around the window at
    least: the search reads as far as the buffer, so it never offers what booking refuses."""
    kind = _phone_kind(world, 12, buffer_before_minutes=360)
    # Busy (with its own buffer) till 03:30: 9:00's buffer from 03:00 runs into it.
    raw_appointment(world, on(7, 2, 30), person=ana, appointment_type=kind)
    assert _local_starts(_search(world, kind)) == [
        "Mon 09:30",
        "Mon 10:00",
        "Mon 10:30",
        "Mon 11:00",
    ]


def test_a_lapsed_hold_blocks_nothing(world, ana):
    kind = _phone_kind(world, 10)
    raw_appointment(
        world,
        on(7, 9),
        person=ana,
        appointment_type=kind,
        status="held",
        held_until=NOW - dt.timedelta(minutes=1),
    )
    assert _local_starts(_search(world, kind)) == ["Mon 09:00"]


def test_time_off_and_holidays_are_taken_out_and_additions_added(world):
    kind = _phone_kind(world, 11, weekday=3)  # Thursdays
    make_change(world, "time_off", on(10, 9), on(10, 10))
    make_change(world, "addition", on(12, 10), on(12, 11))
    found = _search(world, kind, days=7)
    assert _local_starts(found) == ["Sat 10:00", "Thu 10:00"]
    # Thanksgiving (26 November 2026) is a public holiday in the US.
    thanksgiving_week = dt.datetime(2026, 11, 23, 8, 0, tzinfo=NY)
    assert _search(world, kind, now=thanksgiving_week, days=7) == []


@pytest.mark.parametrize(
    ("monday", "local", "utc_hours"),
    [
        # Clocks go forward on Sunday 8 March 2026 in New York.
        (dt.date(2026, 3, 2), ["02 09:00", "09 09:00"], [14, 13]),
        # Clocks go back on Sunday 1 November 2026 in New York.
        (dt.date(2026, 10, 26), ["26 09:00", "02 09:00"], [13, 14]),
    ],
    ids=["spring forward", "fall back"],
)
def test_a_clock_change_keeps_the_wall_time(world, monday, local, utc_hours):
    kind = _phone_kind(world, 10)
    now = dt.datetime.combine(monday, dt.time(8), tzinfo=NY)
    starts = sorted(s.starts_at for s in _search(world, kind, now=now, days=8))
    assert [s.astimezone(NY).strftime("%d %H:%M") for s in starts] == local
    assert [s.astimezone(dt.UTC).hour for s in starts] == utc_hours


def test_a_person_in_another_zone_is_ranked_in_their_own_time(world):
    """The staff member works 9:00–18:00 in New York; the person lives in Los Angeles
    and wants to be done by noon, their time (15:00 in New York)."""
    kind = _phone_kind(world, 18)
    SchedulingPreference.objects.create(
        person=world.person, time_zone="America/Los_Angeles", latest=dt.time(12)
    )
    found = _search(world, kind)
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    best = found[0]
    assert best.starts_at.astimezone(la).time() < dt.time(12)
    assert any("hours that work" in r for r in best.reasons)
    fitting = {
        s.starts_at.astimezone(NY).strftime("%H:%M")
        for s in found
        if any("hours that work" in r for r in s.reasons)
    }
    # Until 14:00 in New York (11:00–12:00 in Los Angeles); not 14:30 (ending 12:30 there).
    assert max(fitting) == "14:00"
    assert min(fitting) == "09:00"


def test_it_ranks_evening_phone_and_the_coordinator_first_and_says_why(world):
    kind = make_type(world, modalities=["in_person", "phone"])
    location = make_location(world)
    make_pattern(world, weekday=0, starts=dt.time(9), ends=dt.time(20), location=location)
    make_pattern(
        world, world.supervisor, weekday=0, starts=dt.time(9), ends=dt.time(20), location=location
    )
    from alongside.accounts.models import Role
    from conftest import add_role

    add_role(world.supervisor, Role.COORDINATOR, program=world.housing)
    SchedulingPreference.objects.create(
        person=world.person,
        evenings_ok=True,
        preferred_modality=Modality.PHONE,
        travel_limit_minutes=20,
    )
    found = _search(world, kind)
    best = found[0]
    assert best.staff_id == world.coordinator.pk
    assert best.modality == "phone"
    assert best.starts_at.astimezone(NY).hour >= 17
    assert "Lupe's coordinator" in best.reasons
    assert "evening, as Lupe prefers" in best.reasons
    assert "phone, as Lupe prefers" in best.reasons
    in_person = [s for s in found if s.modality == "in_person"]
    assert in_person and all(s.location_name == "Eastside clinic" for s in in_person)


def test_walk_in_blocks_appear_only_when_asked_for(world):
    kind = make_type(world, modalities=["in_person"])
    location = make_location(world)
    make_pattern(
        world, weekday=0, starts=dt.time(9), ends=dt.time(10), location=location, is_walk_in=True
    )
    assert _search(world, kind) == []
    wishes = wishes_for(world.person)
    wishes.walk_in = True
    found = _search(world, kind, wishes=wishes)
    assert found and "walk-in block" in found[0].reasons


# Staff, patterns, changes, locations, rooms, the staff's and rooms' bookings, the
# person's own, opening hours, the person's coordinators and the staff they have seen;
# the type's program and organization.
SEARCH_QUERIES = 12


@pytest.mark.parametrize("weeks", [1, 4])
def test_the_search_reads_the_same_queries_however_wide(world, weeks, django_assert_num_queries):
    kind = bookable(world)
    with django_assert_num_queries(SEARCH_QUERIES):
        found = _search(world, kind, days=7 * weeks)
    assert len(found) > 50


@pytest.mark.parametrize("coordinator_busy_monday", [False, True])
def test_a_first_look_finds_the_same_slots_reading_on_only_when_it_must(
    world, ana, coordinator_busy_monday
):
    """The first day's busy time is read first; the rest only when the best slots may
    lie beyond it: here when the person's own coordinator is booked all Monday."""
    kind = make_type(world, modalities=["phone"])
    for weekday in range(5):
        make_pattern(world, weekday=weekday)
        make_pattern(world, world.supervisor, weekday=weekday)
    if coordinator_busy_monday:
        monday_nine = on(7, 9)
        raw_appointment(world, monday_nine, minutes=8 * 60, person=ana, appointment_type=kind)
    wishes = wishes_for(world.person)
    with CaptureQueriesContext(connection) as whole_reads:
        whole = _search(world, kind, days=7, limit=3, wishes=wishes)
    with CaptureQueriesContext(connection) as first_reads:
        first = _search(
            world, kind, days=7, limit=3, wishes=wishes, first_look=dt.timedelta(days=1)
        )
    assert first == whole
    # One query more (the rest of the week's busy time) only when it had to read on.
    assert len(first_reads) == len(whole_reads) + coordinator_busy_monday
    assert _local_starts(first) == (
        ["Tue 09:00", "Tue 09:30", "Tue 10:00"]
        if coordinator_busy_monday
        else ["Mon 09:00", "Mon 09:30", "Mon 10:00"]
    )
    assert {s.staff_id for s in first} == {world.coordinator.pk}


def test_a_shared_set_up_is_read_once_and_forgotten_when_availability_changes(world, ana):
    """Searches of one window may share its staff, windows and places for a few seconds
    (never its busy time); a change to availability forgets what was shared."""
    kind = _phone_kind(world, 11)
    wishes = wishes_for(world.person)
    with CaptureQueriesContext(connection) as alone:
        first = _search(world, kind, wishes=wishes, share=60)
    monday_nine = on(7, 9)
    raw_appointment(world, monday_nine, person=ana, appointment_type=kind)
    with CaptureQueriesContext(connection) as shared:
        second = _search(world, kind, wishes=wishes, share=60)
    # Staff, patterns and changes were not read again; the booking made in between was.
    set_up = ("accounts_membership", "scheduling_availabilitypattern", "availabilitychange")
    assert [t for t in set_up if any(t in q["sql"] for q in alone.captured_queries)] == [*set_up]
    assert not any(t in q["sql"] for t in set_up for q in shared.captured_queries)
    assert len(shared) == len(alone) - 3
    assert _local_starts(first) == ["Mon 09:00", "Mon 09:30", "Mon 10:00"]
    assert _local_starts(second) == ["Mon 10:00"]
    make_change(world, "time_off", on(7, 10), on(7, 11))
    assert _search(world, kind, wishes=wishes, share=60) == []


def test_the_fast_scorer_agrees_with_the_explained_rank(world):
    from alongside.scheduling.ranking import Scorer, rank

    kind = make_type(world, modalities=["in_person", "phone"])
    location = make_location(world)
    make_pattern(world, weekday=0, starts=dt.time(9), ends=dt.time(20), location=location)
    SchedulingPreference.objects.create(
        person=world.person, evenings_ok=True, preferred_modality=Modality.PHONE, latest=dt.time(18)
    )
    wishes = wishes_for(world.person)
    data = slots.load(kind, world.person, NOW, NOW + dt.timedelta(days=1), NOW)
    scorer = Scorer(wishes, data, "Lupe", NOW.date())
    raws = list(slots.candidates(kind, data, NOW, NOW + dt.timedelta(days=1), wishes))
    assert len(raws) > 20
    for raw in raws:
        explained = rank(slots.to_slot(raw, data), wishes, data, "Lupe", NOW.date())
        assert scorer.score(*raw[:5]) == explained.score
