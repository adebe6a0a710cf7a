"""iCalendar: the owner's private feed (made, regenerated, stopped), its content as its
owner may see it, and one appointment's .ics; every file parsed back with `icalendar`."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from alongside.audit.models import AuditEvent
from alongside.scheduling import feeds, ical
from alongside.scheduling.models import Appointment, CalendarFeed
from alongside.scheduling.tests.factories import ZONE, make_type
from alongside.scheduling.tests.views_data import appointment
from conftest import make_person

NY = zoneinfo.ZoneInfo(ZONE)


def soon(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=NY)


@pytest.fixture
def booked(world):
    lupe = appointment(world, soon(2), appointment_type=make_type(world, name="Housing check-in"))
    stranger = make_person(
        world.colleague, world.wellness, legal_given_name="Zebedee", legal_family_name="Quill"
    )
    hidden = appointment(
        world,
        soon(3, 14),
        person=stranger,
        appointment_type=make_type(world, name="Wellness intake", program=world.wellness),
    )
    return lupe, hidden


def parse(content: bytes) -> Any:
    return Calendar.from_ical(content)


def test_the_owner_makes_an_address_and_a_calendar_app_reads_it(world, booked):
    lupe, hidden = booked
    client = Client()
    client.force_login(world.coordinator)
    response = client.post("/scheduling/calendar/feed/", {"action": "new"})
    assert response.status_code == 200
    address = response.context["address"]
    assert "/scheduling/calendar/feed/alc_" in address
    assert CalendarFeed.objects.get(owner=world.coordinator).digest not in address

    feed = Client().get(urlsplit(address).path)
    assert feed.status_code == 200
    assert feed["Content-Type"] == ical.CONTENT_TYPE
    cal = parse(feed.content)
    assert cal["PRODID"] == ical.PRODID and cal["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in cal.timezones] == [ZONE]
    events = {e["UID"]: e for e in cal.events}
    mine = events[ical.uid_for("appointment", lupe.pk)]
    assert str(mine["SUMMARY"]) == "Housing check-in · Lupe"
    assert mine.start == lupe.starts_at and mine.start.tzinfo.key == ZONE
    assert mine.end == lupe.ends_at
    assert "DTSTAMP" in mine
    other = events[ical.uid_for("appointment", hidden.pk)]
    assert str(other["SUMMARY"]) == "Busy"
    assert "LOCATION" not in other and "DESCRIPTION" not in other
    text = feed.content.decode()
    for secret in ("Zebedee", "Quill", "Wellness intake", "Hernández", "Guadalupe"):
        assert secret not in text


def test_reading_the_feed_is_recorded_as_the_owners_read(world, booked):
    secret = feeds.feed_regenerate(actor=world.coordinator)
    assert Client().get(f"/scheduling/calendar/feed/{secret}.ics").status_code == 200
    event = AuditEvent.objects.get(action="list", detail__page="calendar feed")
    assert event.actor_id == world.coordinator.pk
    assert event.detail["people"] == [world.person.pk]
    assert CalendarFeed.objects.get(owner=world.coordinator).last_read_at is not None


def test_a_new_address_stops_the_old_one_and_stopping_stops_both(world, booked):
    old = feeds.feed_regenerate(actor=world.coordinator)
    new = feeds.feed_regenerate(actor=world.coordinator)
    client = Client()
    assert client.get(f"/scheduling/calendar/feed/{old}.ics").status_code == 404
    assert client.get(f"/scheduling/calendar/feed/{new}.ics").status_code == 200
    feeds.feed_stop(actor=world.coordinator)
    assert client.get(f"/scheduling/calendar/feed/{new}.ics").status_code == 404
    actions = list(
        AuditEvent.objects.filter(object_type="scheduling.calendarfeed")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize("secret", ["nothing", "alc_" + "x" * 200, "alc_%00"])
def test_unknown_or_malformed_secrets_are_404(world, secret):
    assert Client().get(f"/scheduling/calendar/feed/{secret}.ics").status_code == 404


def test_a_deactivated_owners_feed_stops(world, booked):
    secret = feeds.feed_regenerate(actor=world.coordinator)
    world.coordinator.is_active = False
    world.coordinator.save()
    assert Client().get(f"/scheduling/calendar/feed/{secret}.ics").status_code == 404


def test_cancelled_appointments_stay_in_the_feed_as_cancelled(world):
    item = appointment(world, soon(1), status=Appointment.Status.CANCELLED)
    cal = parse(feeds.owner_feed(world.coordinator))
    [event] = cal.events
    assert event["UID"] == ical.uid_for("appointment", item.pk)
    assert event["STATUS"] == "CANCELLED"


def test_an_empty_feed_is_still_a_calendar(world):
    cal = parse(feeds.owner_feed(world.coordinator))
    assert cal["PRODID"] == ical.PRODID and cal.events == []


def test_an_appointment_ics_for_someone_who_may_see_it(world, booked):
    lupe, hidden = booked
    client = Client()
    client.force_login(world.scheduler)
    response = client.get(f"/scheduling/calendar/appointments/{lupe.pk}.ics")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    cal = parse(response.content)
    [event] = cal.events
    assert event["UID"] == ical.uid_for("appointment", lupe.pk)
    assert cal.timezones and event.start == lupe.starts_at
    assert client.get(f"/scheduling/calendar/appointments/{hidden.pk}.ics").status_code == 404


def test_across_a_daylight_saving_change_the_wall_time_holds(world):
    before = appointment(world, dt.datetime(2026, 10, 30, 10, tzinfo=NY))
    after = appointment(world, dt.datetime(2026, 11, 2, 10, tzinfo=NY))
    content = ical.calendar(
        [
            ical.FeedEvent(
                uid=ical.uid_for("appointment", a.pk),
                start=a.starts_at.astimezone(NY),
                end=a.ends_at.astimezone(NY),
                summary="x",
                stamp=a.updated_at,
            )
            for a in (before, after)
        ],
        name="t",
    )
    assert b"DTSTART;TZID=America/New_York:20261030T100000" in content
    assert b"DTSTART;TZID=America/New_York:20261102T100000" in content
    [zone] = parse(content).timezones
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_the_feed_settings_page(world):
    client = Client()
    client.force_login(world.coordinator)
    assert client.get("/scheduling/calendar/feed/").status_code == 200
    assert client.post("/scheduling/calendar/feed/", {"action": "stop"}).status_code == 200
