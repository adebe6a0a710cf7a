"""A person's own calendar feed: made by staff with the person (recording what it may
show), read without signing in by its secret address, never naming a sensitive kind,
held to "Appointment" and the time while the person's safe-contact rules say written
contact is not safe, in the person's language; each file parsed back with `icalendar`."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from alongside.audit.models import AuditEvent
from alongside.people.models import ContactPoint, PersonLanguage
from alongside.scheduling import person_feeds
from alongside.scheduling.models import PersonCalendarFeed
from alongside.scheduling.tests.factories import ZONE, make_location, make_type
from alongside.scheduling.tests.views_data import appointment

NY = zoneinfo.ZoneInfo(ZONE)


def soon(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=NY)


@pytest.fixture
def booked(world):
    place = make_location(world, address="12 Main St")
    plain = appointment(
        world, soon(2), appointment_type=make_type(world, name="Housing check-in"), location=place
    )
    hidden = appointment(
        world,
        soon(3),
        appointment_type=make_type(world, name="Substance use counselling", sensitive=True),
        modality="phone",
    )
    return plain, hidden


def events(content: bytes) -> list[Any]:
    return Calendar.from_ical(content).walk("VEVENT")


def make(world, detail: str = "details") -> str:
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("scheduling:person-feed-settings", args=[world.person.pk])
    response = client.post(url, {"action": "new", "detail": detail, "agreed": "on"})
    assert response.status_code == 200
    return urlsplit(response.context["address"]).path


def test_the_person_reads_their_feed_without_a_sensitive_kinds_name(world, booked):
    path = make(world)
    assert "/scheduling/calendar/people/alp_" in path
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["PRODID"] and calendar.walk("VTIMEZONE")
    shown = {str(e["SUMMARY"]): e for e in events(response.content)}
    assert set(shown) == {"Housing check-in", "Appointment"}
    assert "Substance" not in response.content.decode()
    assert "12 Main St" in str(shown["Housing check-in"]["LOCATION"])
    assert "Casey" in str(shown["Housing check-in"]["DESCRIPTION"])
    # A sensitive kind: no place, no how or who, which could say what it is for.
    assert "LOCATION" not in shown["Appointment"] and "DESCRIPTION" not in shown["Appointment"]
    assert "Nguyen" not in response.content.decode()
    read = AuditEvent.objects.get(object_type="scheduling.personcalendarfeed", action="view")
    assert read.person_id == world.person.pk and read.actor_id is None


def test_times_only_says_appointment_and_when(world, booked):
    content = Client().get(make(world, "times")).content
    for event in events(content):
        assert str(event["SUMMARY"]) == "Appointment"
        assert "LOCATION" not in event and "DESCRIPTION" not in event


def test_safe_contact_rules_hold_the_feed_to_times_only(world, booked):
    path = make(world, "details")
    ContactPoint.objects.create(
        person=world.person,
        kind="email",
        value="lupe@example.org",
        normalized="lupe@example.org",
        email_reason="Shared account with her partner",
    )
    content = Client().get(path).content
    assert {str(e["SUMMARY"]) for e in events(content)} == {"Appointment"}
    assert b"12 Main St" not in content
    feed = PersonCalendarFeed.objects.get(person=world.person)
    assert person_feeds.shown_detail(feed) == "times"


def test_it_is_in_the_persons_language(world, booked):
    PersonLanguage.objects.create(person=world.person, language="es", is_preferred=True)
    content = Client().get(make(world, "times")).content.decode()
    assert "SUMMARY:Cita" in content
    assert "Mis citas" in content


def test_it_needs_the_persons_agreement_and_someone_in_scope(world):
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("scheduling:person-feed-settings", args=[world.person.pk])
    response = client.post(url, {"action": "new", "detail": "details"})
    assert response.status_code == 422
    assert not PersonCalendarFeed.objects.exists()
    for persona in (world.colleague, world.outsider):
        other = Client()
        other.force_login(persona)
        assert other.get(url).status_code == 404


def test_a_new_address_stops_the_old_and_stopping_ends_it(world, booked):
    first = make(world)
    second = make(world)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("scheduling:person-feed-settings", args=[world.person.pk])
    assert client.post(url, {"action": "stop"}).status_code == 200
    assert Client().get(second).status_code == 404
    assert Client().get("/scheduling/calendar/people/alp_nothing.ics").status_code == 404


def test_a_sensitive_appointment_in_person_shows_no_place(world):
    place = make_location(world, address="12 Main St")
    kind = make_type(world, name="Substance use counselling", sensitive=True)
    appointment(world, soon(2), appointment_type=kind, location=place)
    content = Client().get(make(world)).content
    (event,) = events(content)
    assert str(event["SUMMARY"]) == "Appointment"
    assert b"12 Main St" not in content and b"Eastside" not in content
    assert "DESCRIPTION" not in event


def test_the_feed_has_the_group_sessions_where_the_person_holds_a_seat(world):
    from alongside.scheduling import groups
    from alongside.scheduling.models import GroupSeat
    from alongside.scheduling.tests.services_helpers import bookable, choice

    group = bookable(world, is_group=True, capacity=4, name="Peer group", sensitive=True)
    now = timezone.now()
    sessions = [
        groups.session_create(
            actor=world.supervisor,
            choice=choice(world, group, soon(days), override="a group"),
            now=now,
        )
        for days in (2, 3, 4)
    ]
    for session in sessions[:2]:
        groups.seat_book(actor=world.coordinator, session=session, person=world.person, now=now)
    GroupSeat.objects.filter(appointment=sessions[1]).update(status=GroupSeat.Status.ARRIVED)
    content = Client().get(make(world)).content
    shown = events(content)
    assert len(shown) == 2 and {str(e["SUMMARY"]) for e in shown} == {"Appointment"}
    assert b"Peer group" not in content
