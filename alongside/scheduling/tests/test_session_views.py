"""A group session's page: attendees by preferred name as far as the sensitivity rule
allows, seating someone (never past capacity), giving a seat up, and attendance per
attendee; out of the viewer's programs the page does not exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.people.models import TimelineEntry
from alongside.scheduling import groups
from alongside.scheduling.models import GroupSeat
from alongside.scheduling.tests.services_helpers import TEN, bookable, choice
from conftest import make_person


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ana(world):
    return make_person(
        world.coordinator, world.housing, legal_given_name="Ana", preferred_name="Annie"
    )


def session_at(world, starts_at, **kind):
    kind = bookable(world, is_group=True, capacity=2, name="Tenant workshop", **kind)
    return groups.session_create(
        actor=world.supervisor,
        choice=choice(world, kind, starts_at, override="a workshop"),
        now=starts_at - dt.timedelta(days=1),
    )


def page_of(user, session) -> str:
    response = client_for(user).get(reverse("scheduling:session", args=[session.pk]))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_it_lists_attendees_by_preferred_name_and_records_the_read(world, ana):
    session = session_at(world, TEN)
    groups.seat_book(actor=world.coordinator, session=session, person=ana)
    page = page_of(world.scheduler, session)
    assert "Annie" in page and "Tenant workshop" in page
    assert "1 of 2 seats free" in page
    event = AuditEvent.objects.get(object_type="scheduling.groupseat", action="list")
    assert event.detail["people"] == [ana.pk] and event.actor_id == world.scheduler.pk


def test_a_sensitive_session_names_attendees_only_to_their_care_team(world, ana):
    session = session_at(world, TEN, sensitive=True)
    groups.seat_book(actor=world.coordinator, session=session, person=ana)
    care = page_of(world.coordinator, session)
    # A sensitive group type stays "Appointment" on the page (common.names_type): the
    # care team of one attendee is not the care team of all.
    assert "Annie" in care and "Tenant workshop" not in care
    scheduler = page_of(world.scheduler, session)
    assert "Annie" not in scheduler and "Tenant workshop" not in scheduler
    assert "restricted to the person" in scheduler
    seat = GroupSeat.objects.get(person=ana)
    refused = client_for(world.scheduler).post(
        reverse("scheduling:seat-attendance", args=[seat.pk]), {"status": "cancelled"}
    )
    assert refused.status_code == 404


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_it_is_not_found_outside_the_viewers_programs(world, persona):
    session = session_at(world, TEN)
    response = client_for(getattr(world, persona)).get(
        reverse("scheduling:session", args=[session.pk])
    )
    assert response.status_code == 404


def test_it_seats_someone_and_refuses_past_capacity(world, ana):
    session = session_at(world, TEN)
    groups.seat_book(actor=world.coordinator, session=session, person=world.person)
    coordinator = client_for(world.coordinator)
    url = reverse("scheduling:session", args=[session.pk])
    assert coordinator.post(url, {"person": ana.pk}).status_code == 302
    assert GroupSeat.objects.filter(appointment=session, status="booked").count() == 2
    third = make_person(world.coordinator, world.housing, legal_given_name="Bea")
    response = coordinator.post(url, {"person": third.pk})
    assert response.status_code == 422
    assert not GroupSeat.objects.filter(person=third).exists()


def test_giving_a_seat_up_frees_it(world, ana):
    session = session_at(world, TEN)
    seat = groups.seat_book(actor=world.coordinator, session=session, person=ana)
    response = client_for(world.coordinator).post(
        reverse("scheduling:seat-attendance", args=[seat.pk]), {"status": "cancelled"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == "cancelled" and groups.seats_left(session) == 2
    assert TimelineEntry.objects.filter(
        person=ana, kind="scheduling.appointment_cancelled"
    ).exists()


def test_attendance_is_recorded_per_attendee_once_the_session_started(world, ana):
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    session = session_at(world, start, sensitive=True)
    early = start - dt.timedelta(hours=2)
    seat = groups.seat_book(actor=world.coordinator, session=session, person=ana, now=early)
    other = groups.seat_book(
        actor=world.coordinator, session=session, person=world.person, now=early
    )
    with pytest.raises(ValidationError, match="not started yet"):
        groups.seat_mark(actor=world.coordinator, seat=seat, status="arrived", now=early)
    coordinator = client_for(world.coordinator)
    for target, status in ((seat, "arrived"), (seat, "completed"), (other, "no_show")):
        url = reverse("scheduling:seat-attendance", args=[target.pk])
        assert coordinator.post(url, {"status": status}).status_code == 302
    seat.refresh_from_db()
    other.refresh_from_db()
    assert (seat.status, other.status) == ("completed", "no_show")
    with pytest.raises(ValidationError, match="cannot be marked that way"):
        groups.seat_mark(actor=world.coordinator, seat=other, status="arrived")
    entry = TimelineEntry.objects.filter(person=ana, kind="scheduling.attendance").latest("pk")
    # A sensitive type is named only in the guarded details.
    assert "Tenant workshop" not in entry.summary and "Tenant workshop" in entry.details
    assert entry.sensitive


def test_the_page_reads_the_same_queries_however_many_seats(world, ana):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_person(world.coordinator, world.housing, legal_given_name="Bea")  # still to seat
    session = session_at(world, TEN)
    client = client_for(world.coordinator)
    url = reverse("scheduling:session", args=[session.pk])
    counts = []
    for person in (ana, world.person):
        # Each read after a seating is new to the audit trail (its lists differ).
        groups.seat_book(actor=world.coordinator, session=session, person=person)
        with CaptureQueriesContext(connection) as read:
            assert client.get(url).status_code == 200
        counts.append(len(read.captured_queries))
    assert counts[0] == counts[1]


def test_restricted_seats_keep_their_booking_order_not_their_hidden_names(world):
    from alongside.scheduling import session_selectors

    kind = bookable(world, is_group=True, capacity=3, name="Peer group", sensitive=True)
    session = groups.session_create(
        actor=world.supervisor,
        choice=choice(world, kind, TEN, override="a group"),
        now=TEN - dt.timedelta(days=1),
    )
    booked = [
        groups.seat_book(
            actor=world.coordinator,
            session=session,
            person=make_person(world.coordinator, world.housing, legal_given_name=name),
        )
        for name in ("Zed", "Ana", "Mia")
    ]
    rows = session_selectors.seats_of(world.scheduler, session)
    assert [r.name for r in rows] == ["", "", ""]
    assert [r.seat.pk for r in rows] == [seat.pk for seat in booked]


def test_staff_find_someone_to_seat_by_searching_people_in_scope(world, ana):
    """The people search, among those the viewer could seat: by name, with htmx or as a
    plain page; seated, out-of-scope and not-enrolled people never appear; each match has
    its own labelled button."""
    session = session_at(world, TEN)
    url = reverse("scheduling:session", args=[session.pk])
    outsider = make_person(world.outsider, world.other_program, legal_given_name="Anabel")
    coordinator = client_for(world.coordinator)
    page = coordinator.get(url, {"q": "ana"}).content.decode()
    assert '<label for="id_q">Find someone to seat</label>' in page
    assert "Book a seat for Annie" in page and f'value="{ana.pk}"' in page
    assert "Anabel" not in page and f'value="{outsider.pk}"' not in page
    partial = coordinator.get(url, {"q": "ana"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="seat-matches"') and "Annie" in partial
    assert "<html" not in partial
    search = AuditEvent.objects.filter(action="search", actor_id=world.coordinator.pk)
    assert search.exists()
    # Seated, she is not found again; nobody matching says so.
    assert coordinator.post(url, {"person": ana.pk}).status_code == 302
    again = coordinator.get(url, {"q": "ana"}).content.decode()
    assert "Book a seat for Annie" not in again and "Nobody you could seat matches" in again


def test_seating_someone_out_of_scope_or_not_found_is_refused(world, ana):
    session = session_at(world, TEN)
    url = reverse("scheduling:session", args=[session.pk])
    outsider = make_person(world.outsider, world.other_program, legal_given_name="Anabel")
    response = client_for(world.coordinator).post(url, {"person": outsider.pk})
    assert response.status_code == 422
    assert "Choose someone the search found." in response.content.decode()
    assert not GroupSeat.objects.filter(person=outsider).exists()
