"""Review fixes to booking: a refusal never describes an appointment the booker cannot
see; an overbooked appointment still blocks everyone else; a group seat blocks a 1:1
booking of the same person."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from alongside.scheduling import booking, groups
from alongside.scheduling.common import SlotTaken
from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.factories import make_type, raw_appointment
from alongside.scheduling.tests.services_helpers import NOW, TEN, bookable, choice

pytestmark = pytest.mark.django_db


def test_a_blocker_out_of_the_bookers_scope_is_not_described(world):
    from conftest import add_role, make_person

    kind = bookable(world)
    add_role(world.coordinator, "coordinator", program=world.wellness)
    private = make_type(world, program=world.wellness, name="Recovery counselling")
    someone = make_person(world.colleague, world.wellness, legal_given_name="Bea")
    raw_appointment(world, TEN, program=world.wellness, appointment_type=private, person=someone)
    with pytest.raises(SlotTaken, match="just taken") as taken:
        booking.book(
            actor=world.scheduler, person=world.person, choice=choice(world, kind), now=NOW
        )
    assert taken.value.blocking is None
    assert "Recovery" not in str(taken.value)
    assert "Casey" not in str(taken.value)


def test_a_blocker_in_scope_is_still_described(world, ana):
    kind = bookable(world)
    first = booking.book(actor=world.coordinator, person=ana, choice=choice(world, kind), now=NOW)
    with pytest.raises(SlotTaken, match="just taken: Check-in") as taken:
        booking.book(
            actor=world.scheduler, person=world.person, choice=choice(world, kind), now=NOW
        )
    assert taken.value.blocking == first


def test_an_overbooked_appointment_still_blocks_an_ordinary_booking(world, ana):
    from conftest import make_person

    kind = bookable(world)
    booking.book(actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW)
    squeeze = choice(world, kind, override="walk-in in crisis")
    assert booking.book(actor=world.supervisor, person=ana, choice=squeeze, now=NOW).overbooked
    Appointment.objects.filter(person=world.person).update(status="cancelled")
    third = make_person(world.coordinator, world.housing, legal_given_name="Cleo")
    with pytest.raises(SlotTaken, match="just taken"):
        booking.book(actor=world.coordinator, person=third, choice=choice(world, kind), now=NOW)
    assert Appointment.objects.filter(status="booked").count() == 1


def test_the_database_refuses_an_ordinary_row_over_an_overbooked_one(world, ana):
    if transaction.get_connection().vendor != "sqlite":
        pytest.skip("PostgreSQL leaves this to the booking service, under a lock")
    raw_appointment(world, TEN, overbooked=True, overbook_reason="walk-in")
    with pytest.raises(IntegrityError, match="appointment_staff_no_overlap"), transaction.atomic():
        raw_appointment(world, TEN, person=ana)


def test_an_appointment_under_an_overbooking_can_still_be_updated(world, ana):
    first = raw_appointment(world, TEN)
    raw_appointment(world, TEN, person=ana, overbooked=True, overbook_reason="walk-in")
    first.status = Appointment.Status.ARRIVED
    first.save()
    first.refresh_from_db()
    assert first.status == "arrived"


def test_a_person_in_a_group_session_cannot_be_booked_one_to_one_then(world):
    group = bookable(world, is_group=True, capacity=4, name="Peer group")
    session = groups.session_create(
        actor=world.supervisor, choice=choice(world, group, staff=world.supervisor), now=NOW
    )
    groups.seat_book(actor=world.coordinator, session=session, person=world.person, now=NOW)
    kind = make_type(world, modalities=["phone", "in_person"])
    with pytest.raises(SlotTaken, match="just taken"):
        booking.book(
            actor=world.coordinator,
            person=world.person,
            choice=choice(world, kind, TEN + dt.timedelta(minutes=30)),
            now=NOW,
        )
    squeeze = choice(world, kind, TEN + dt.timedelta(minutes=30), override="walk-in")
    with pytest.raises(SlotTaken, match="just taken"):
        booking.book(actor=world.supervisor, person=world.person, choice=squeeze, now=NOW)
    assert not Appointment.objects.filter(person=world.person).exists()


def _elsewhere(world, starts_at, **extra):
    """An appointment of the world's person in a program the coordinator does not work in."""
    kind = make_type(world, program=world.wellness, name="Recovery counselling")
    return raw_appointment(world, starts_at, program=world.wellness, appointment_type=kind, **extra)


def test_the_panel_counts_only_appointments_the_viewer_may_see(world):
    from alongside.scheduling.selectors import person_panel

    _elsewhere(world, TEN - dt.timedelta(days=7), status="completed")
    _elsewhere(world, TEN - dt.timedelta(days=14), status="no_show")
    panel = person_panel(world.coordinator, world.person)
    assert (panel["attended"], panel["no_shows"]) == (0, 0)
    assert person_panel(world.admin, world.person)["attended"] == 1
    # Someone the viewer may not see at all: nothing of theirs, not even counts.
    outside = person_panel(world.outsider, world.person)
    assert (outside["past"], outside["attended"], outside["no_shows"]) == ([], 0, 0)


def test_the_worklist_lists_only_appointments_the_viewer_may_see(world):
    from django.utils import timezone

    from alongside.people.contributions import worklist_reasons
    from alongside.people.models import Person

    appointments_soon = worklist_reasons.get("scheduling.soon").find  # type: ignore[union-attr]

    now = timezone.now()
    _elsewhere(world, now + dt.timedelta(hours=2))
    caseload = Person.objects.filter(pk=world.person.pk)
    assert list(appointments_soon(world.coordinator, caseload, now)) == []
    assert len(list(appointments_soon(world.admin, caseload, now))) == 1


def test_a_sensitive_type_is_neutral_to_a_booker_off_the_care_team(world, ana):
    kind = bookable(world, name="Harm reduction", sensitive=True)
    booking.book(actor=world.coordinator, person=ana, choice=choice(world, kind), now=NOW)
    plain = make_type(world, name="Check-in", modalities=["phone"])
    with pytest.raises(SlotTaken, match="just taken: Appointment with Casey") as taken:
        booking.book(
            actor=world.scheduler, person=world.person, choice=choice(world, plain), now=NOW
        )
    assert "Harm reduction" not in str(taken.value)


def test_a_sensitive_type_is_neutral_in_the_panel_and_worklist_off_the_care_team(world):
    from django.utils import timezone

    from alongside.people.contributions import worklist_reasons
    from alongside.people.models import Person
    from alongside.scheduling.selectors import person_panel

    appointments_soon = worklist_reasons.get("scheduling.soon").find  # type: ignore[union-attr]

    now = timezone.now()
    kind = make_type(world, name="Harm reduction", sensitive=True)
    raw_appointment(world, now + dt.timedelta(hours=2), appointment_type=kind)
    caseload = Person.objects.filter(pk=world.person.pk)
    [item] = appointments_soon(world.scheduler, caseload, now)
    assert "Harm reduction" not in item.text and "Appointment" in item.text
    [mine] = appointments_soon(world.coordinator, caseload, now)
    assert "Harm reduction" in mine.text
    [upcoming] = person_panel(world.scheduler, world.person)["upcoming"]
    assert upcoming.type_shown == "Appointment"
    [upcoming] = person_panel(world.coordinator, world.person)["upcoming"]
    assert upcoming.type_shown == "Harm reduction"


def test_the_compiled_panel_reads_what_the_orm_reads_for_every_viewer(world):
    from django.utils import timezone

    from alongside.people.sensitivity import disclosure_for
    from alongside.scheduling.common import shown_type
    from alongside.scheduling.selectors import person_history, person_panel

    now = timezone.now()
    kind = make_type(world, name="Harm reduction", sensitive=True)
    raw_appointment(world, now + dt.timedelta(hours=2), appointment_type=kind)
    raw_appointment(world, now + dt.timedelta(days=1))
    raw_appointment(world, now - dt.timedelta(days=3), status="no_show")
    _elsewhere(world, now - dt.timedelta(days=7), status="completed")
    for viewer in (world.coordinator, world.scheduler, world.admin, world.outsider):
        disclosure = disclosure_for(viewer, world.person)
        orm = person_history(viewer, world.person) if disclosure.identity else []
        soon = [a for a in reversed(orm) if a.status in Appointment.UPCOMING_STATUSES]
        upcoming = [a for a in soon if a.starts_at >= now]
        past = [a for a in orm if a.starts_at < now and a.status != Appointment.Status.HELD]
        for _ in range(2):  # compiling, then compiled
            panel = person_panel(viewer, world.person)
            for got, want in ((panel["upcoming"], upcoming), (panel["past"], past)):
                assert [(a.pk, a.type_shown) for a in got] == [
                    (a.pk, shown_type(a, disclosure.sensitive)) for a in want
                ]
            assert panel["no_shows"] == sum(a.status == "no_show" for a in orm)
    shown = [a.type_shown for a in person_panel(world.scheduler, world.person)["upcoming"]]
    assert "Harm reduction" not in shown and len(shown) == 2
