"""Concurrent bookings on PostgreSQL, each thread on its own connection: exactly one of
two bookings of the same slot wins (the other is told it was just taken), and a group
session never seats more than its capacity. The exclusion constraint and the session's
row lock are what decide; nothing is checked beforehand."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from alongside.scheduling import booking, configure, groups
from alongside.scheduling.common import SessionFull, SlotTaken
from alongside.scheduling.models import Appointment, GroupSeat
from alongside.scheduling.tests.services_helpers import NOW, bookable, choice

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _together(works: list[Callable[[], Any]]) -> list[Any]:
    results: list[Any] = []
    barrier = threading.Barrier(len(works), timeout=30)

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # noqa: BLE001 - the test reports it below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _people(world, count):
    from conftest import make_person

    return [
        make_person(world.coordinator, world.housing, legal_given_name=f"P{n}")
        for n in range(count)
    ]


def test_exactly_one_of_eight_bookings_of_one_slot_wins(world):
    kind = bookable(world)
    people = _people(world, 8)

    def book(person: Any) -> Callable[[], Any]:
        return lambda: booking.book(
            actor=world.coordinator, person=person, choice=choice(world, kind), now=NOW
        )

    results = _together([book(p) for p in people])
    won = [r for r in results if isinstance(r, Appointment)]
    lost = [r for r in results if isinstance(r, SlotTaken)]
    assert (len(won), len(lost)) == (1, 7), results
    assert all(r.blocking is not None and r.blocking.pk == won[0].pk for r in lost)
    assert Appointment.objects.filter(status="booked").count() == 1


def test_one_person_is_never_double_booked_with_two_staff(world):
    kind = bookable(world)
    results = _together(
        [
            lambda: booking.book(
                actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
            ),
            lambda: booking.book(
                actor=world.coordinator,
                person=world.person,
                choice=choice(world, kind, staff=world.supervisor),
                now=NOW,
            ),
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Appointment", "SlotTaken"], results


def test_a_group_session_never_seats_more_than_its_capacity(world):
    kind = bookable(world, is_group=True, capacity=3, name="Peer group")
    session = groups.session_create(actor=world.coordinator, choice=choice(world, kind), now=NOW)
    people = _people(world, 8)

    def seat(person: Any) -> Callable[[], Any]:
        return lambda: groups.seat_book(
            actor=world.coordinator, session=session, person=person, now=NOW
        )

    results = _together([seat(p) for p in people])
    assert sum(isinstance(r, GroupSeat) for r in results) == 3, results
    assert sum(isinstance(r, SessionFull) for r in results) == 5, results
    assert GroupSeat.objects.filter(appointment=session).count() == 3


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        # The activity view is read once per transaction unless its snapshot is dropped.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def test_lowering_a_capacity_while_a_seat_is_booked_never_leaves_more_seats(world, monkeypatch):
    """The seat is written and, before its transaction ends, an admin lowers the type's
    capacity to the seats taken before it: whichever order the database lets them
    finish in, the session never has more attendees than the capacity says."""
    kind = bookable(world, is_group=True, capacity=3, name="Peer group")
    session = groups.session_create(actor=world.coordinator, choice=choice(world, kind), now=NOW)
    first, second, late = _people(world, 3)
    for person in (first, second):
        groups.seat_book(actor=world.coordinator, session=session, person=person, now=NOW)
    seated, lowered = threading.Event(), threading.Event()
    recorded = groups.audit.record_for_person

    def seat_then_wait(**kwargs: Any) -> Any:
        # Inside seat_book's transaction, the new seat written but not committed: the
        # admin's change runs now, and this waits until it is done or waits on a lock.
        seated.set()
        while not lowered.is_set() and not _someone_waits_on_a_lock():
            lowered.wait(0.05)
        return recorded(**kwargs)

    monkeypatch.setattr(groups.audit, "record_for_person", seat_then_wait)

    def lower() -> Any:
        seated.wait(30)
        try:
            return configure.type_save(
                actor=world.admin, organization=world.org, kind=kind, data={"capacity": 2}
            )
        finally:
            lowered.set()

    results = _together(
        [
            lambda: groups.seat_book(
                actor=world.coordinator, session=session, person=late, now=NOW
            ),
            lower,
        ]
    )
    kind.refresh_from_db()
    taken = GroupSeat.objects.filter(appointment=session, status="booked").count()
    assert taken <= kind.capacity, results
    # The seat went first (it held the type): the capacity stays, refused as too low.
    assert (taken, kind.capacity) == (3, 3), results
    refusal = next(r for r in results if isinstance(r, ValidationError))
    assert "already has 3 seats taken" in str(refusal)


def test_the_next_best_slots_are_sought_once_the_refused_booking_has_let_go(world, monkeypatch):
    """The refusal's slot search runs when the next best slots are asked for, outside
    the refused booking's transaction: its row locks, which every other booking of the
    staff member waits for, are not held through the search."""
    kind = bookable(world)
    booking.book(actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW)
    (other,) = _people(world, 1)
    sought_in_transaction: list[bool] = []
    real = booking.next_best

    def recorded(*args: Any, **kwargs: Any) -> Any:
        sought_in_transaction.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(booking, "next_best", recorded)
    with pytest.raises(SlotTaken, match="just taken: Check-in with") as refusal:
        booking.book(actor=world.coordinator, person=other, choice=choice(world, kind), now=NOW)
    assert sought_in_transaction == []
    assert refusal.value.alternatives
    assert sought_in_transaction == [False]
    taken = (world.coordinator.pk, choice(world, kind).starts_at)
    assert all((s.staff_id, s.starts_at) != taken for s in refusal.value.alternatives)
