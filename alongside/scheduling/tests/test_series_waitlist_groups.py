"""Recurring series (whole or nothing, DST-safe, bounded rules), changing one occurrence
or the rest, group-session seats, and the waitlist's offers of freed slots."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from alongside.scheduling import booking, changes, groups, series, waitlist
from alongside.scheduling.common import SessionFull, SlotTaken
from alongside.scheduling.models import Appointment, Offer, WaitlistEntry
from alongside.scheduling.tests.services_helpers import NOW, NY, TEN, bookable, choice

pytestmark = pytest.mark.django_db


def test_occurrences_keep_their_wall_time_across_the_autumn_change():
    first = dt.datetime(2026, 10, 20, 10, 0, tzinfo=NY)
    starts = series.occurrences("FREQ=WEEKLY;COUNT=3", first, "America/New_York")
    assert [s.astimezone(NY).strftime("%m-%d %H:%M") for s in starts] == [
        "10-20 10:00",
        "10-27 10:00",
        "11-03 10:00",
    ]
    assert [s.hour for s in starts] == [14, 14, 15]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY", "Say when the series ends"),
        ("FREQ=WEEKLY;UNTIL=20200101T000000", "gives no appointments"),
        ("FREQ=SOMETIMES;COUNT=2", "could not be read"),
        ("FREQ=DAILY;COUNT=500", "at most"),
    ],
)
def test_bad_rules_are_refused(rule, message):
    with pytest.raises(ValidationError, match=message):
        series.occurrences(rule, TEN, "America/New_York")


def test_a_series_is_booked_whole_or_not_at_all(world, ana):
    kind = bookable(world)
    # Ana has the third Monday's 10:00 with the coordinator already.
    booking.book(
        actor=world.coordinator,
        person=ana,
        choice=choice(world, kind, TEN + dt.timedelta(weeks=2)),
        now=NOW,
    )
    with pytest.raises(SlotTaken, match="just taken"):
        series.create(
            actor=world.coordinator,
            person=world.person,
            choice=choice(world, kind),
            rule="FREQ=WEEKLY;COUNT=4",
            now=NOW,
        )
    assert Appointment.objects.filter(person=world.person).count() == 0
    made = series.create(
        actor=world.coordinator,
        person=world.person,
        choice=choice(world, kind, TEN + dt.timedelta(hours=2)),
        rule="FREQ=WEEKLY;COUNT=4",
        now=NOW,
    )
    assert made.appointments.count() == 4


def test_one_occurrence_or_the_rest_can_change(world):
    kind = bookable(world)
    made = series.create(
        actor=world.coordinator,
        person=world.person,
        choice=choice(world, kind),
        rule="FREQ=WEEKLY;COUNT=4",
        now=NOW,
    )
    first, second, third, fourth = made.appointments.order_by("starts_at")
    changes.cancel(actor=world.coordinator, appointment=first, reason="she is away", now=NOW)
    moved = series.move_rest(
        actor=world.coordinator,
        appointment=third,
        new_start=third.starts_at + dt.timedelta(hours=3),
        reason="school run",
        now=NOW,
    )
    assert moved == 2
    booked = made.appointments.filter(status="booked").order_by("starts_at")
    assert [a.starts_at.astimezone(NY).hour for a in booked] == [10, 13, 13]
    assert (
        series.cancel_rest(
            actor=world.coordinator, appointment=booked[1], reason="moving away", now=NOW
        )
        == 2
    )
    assert made.appointments.filter(status="booked").count() == 1


def test_group_seats_never_exceed_capacity(world, ana):
    kind = bookable(world, is_group=True, capacity=1, name="Peer group")
    session = groups.session_create(actor=world.coordinator, choice=choice(world, kind), now=NOW)
    groups.seat_book(actor=world.coordinator, session=session, person=world.person, now=NOW)
    with pytest.raises(SessionFull, match="Every seat"):
        groups.seat_book(actor=world.coordinator, session=session, person=ana, now=NOW)


def _waiting_for_a_sooner_slot(world, ana, kind):
    """Ana booked three days on and waiting for sooner; the sooner slot taken by Lupe:
    (Ana's later appointment, her waitlist entry, Lupe's appointment)."""
    later = booking.book(
        actor=world.coordinator,
        person=ana,
        choice=choice(world, kind, TEN + dt.timedelta(days=3)),
        now=NOW,
    )
    entry = waitlist.join(actor=world.coordinator, person=ana, kind=kind, current=later)
    taken = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )
    return later, entry, taken


def test_a_freed_slot_is_offered_to_the_waiting_person_and_accepted(world, ana):
    kind = bookable(world)
    later, entry, taken = _waiting_for_a_sooner_slot(world, ana, kind)
    changes.cancel(actor=world.coordinator, appointment=taken, reason="she found work", now=NOW)
    offer = Offer.objects.get(entry=entry)
    assert (offer.status, offer.hold.status, offer.hold.person) == ("open", "held", ana)
    # Nobody else can book it while it is offered.
    with pytest.raises(SlotTaken, match="a hold on Check-in"):
        booking.book(
            actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
        )
    booked = waitlist.accept(actor=world.coordinator, offer=offer, now=NOW)
    assert booked.status == "booked" and booked.starts_at == TEN
    later.refresh_from_db()
    entry.refresh_from_db()
    assert (later.status, entry.status) == ("cancelled", WaitlistEntry.Status.BOOKED)


def test_a_declined_offer_goes_to_the_next_person(world, ana):
    from conftest import make_person

    kind = bookable(world)
    third = make_person(world.coordinator, world.housing, legal_given_name="Bea")
    first_entry = waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    second_entry = waitlist.join(actor=world.coordinator, person=third, kind=kind)
    taken = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )
    changes.cancel(actor=world.coordinator, appointment=taken, reason="moved away", now=NOW)
    offer = Offer.objects.get(status="open")
    assert offer.entry == first_entry
    following = waitlist.decline(actor=world.coordinator, offer=offer, now=NOW)
    assert following is not None and following.entry == second_entry
    assert Offer.objects.filter(status="open").count() == 1


def test_an_expired_offer_goes_to_the_next_person(world, ana):
    from alongside.scheduling.reminders_tasks import SWEEPER
    from conftest import make_person

    kind = bookable(world)
    bea = make_person(world.coordinator, world.housing, legal_given_name="Bea")
    waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    second = waitlist.join(actor=world.coordinator, person=bea, kind=kind)
    tomorrow = TEN + dt.timedelta(days=1)
    taken = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind, tomorrow), now=NOW
    )
    changes.cancel(actor=world.coordinator, appointment=taken, reason="moved away", now=NOW)
    assert waitlist.expire_offers(actor=SWEEPER, now=NOW + dt.timedelta(hours=23)) == 0
    assert waitlist.expire_offers(actor=SWEEPER, now=NOW + dt.timedelta(hours=24)) == 1
    assert Offer.objects.get(status="open").entry == second
    assert Offer.objects.filter(status="expired").count() == 1


def test_an_arrived_seat_still_makes_the_person_busy(world, ana):
    """Marked arrived, the seat is still taken: neither the search nor booking offers
    the person that time for something else."""
    from alongside.scheduling import slots
    from alongside.scheduling.models import GroupSeat
    from alongside.scheduling.selectors import wishes_for

    group = bookable(world, is_group=True, capacity=3, name="Peer group")
    session = groups.session_create(actor=world.coordinator, choice=choice(world, group), now=NOW)
    seat = groups.seat_book(actor=world.coordinator, session=session, person=ana, now=NOW)
    GroupSeat.objects.filter(pk=seat.pk).update(status=GroupSeat.Status.ARRIVED)
    hour = dt.timedelta(hours=1)
    assert booking.seated(ana.pk, TEN, TEN + hour)
    one = bookable(world, name="Check-in")
    found = slots.search(
        kind=one, person=ana, wishes=wishes_for(ana), since=NOW, days=1, limit=500, now=NOW
    )
    starts = {s.starts_at for s in found}
    assert TEN not in starts and TEN + hour in starts


def test_seat_words_follow_the_active_language_not_the_one_at_import():
    from django.utils import translation
    from django.utils.functional import Promise

    assert all(isinstance(words, Promise) for words in groups.SEAT_WORDS.values())
    with translation.override("en"):
        assert str(groups.SEAT_WORDS[groups.GroupSeat.Status.ARRIVED]) == "Arrived"


def test_the_waitlists_journey_and_reasons_are_stored_in_english(world, ana):
    from django.utils import translation

    from alongside.people.models import TimelineEntry

    kind = bookable(world)
    with translation.override("es"):
        later, entry, taken = _waiting_for_a_sooner_slot(world, ana, kind)
        changes.cancel(actor=world.coordinator, appointment=taken, reason="moved", now=NOW)
        waitlist.accept(actor=world.coordinator, offer=Offer.objects.get(entry=entry), now=NOW)
    later.refresh_from_db()
    assert later.status_reason == "Moved to a sooner slot from the waitlist"
    summaries = TimelineEntry.objects.filter(person=ana).values_list("summary", flat=True)
    assert "Joined the waitlist for Check-in" in summaries
    assert any(s.startswith("Offered a freed slot: Check-in with ") for s in summaries)
    assert any(s.startswith("Cancelled: Check-in with ") for s in summaries)
