"""Concurrent bookings on PostgreSQL, each thread on its own connection: exactly one of
two bookings of the same slot wins (the other is told it was just taken), and a group
session never seats more than its capacity. The exclusion constraint and the session's
row lock are what decide; nothing is checked beforehand."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from alongside.scheduling import booking, groups
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
