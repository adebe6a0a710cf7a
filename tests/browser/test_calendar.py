"""The calendar in a real browser, checked by axe-core: a coordinator's week with their
own people and "Busy" time, moved through by keyboard (next, today, a date, the day
view) into one appointment and its .ics; the week kept as a picture
(var/screenshots/calendar-week.png)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.factories import ZONE, make_location, make_room, make_type
from alongside.scheduling.tests.views_data import appointment
from conftest import make_person
from tests.browser.conftest import Browsing
from tests.browser.test_screenshots import keep, screenshots  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

NY = zoneinfo.ZoneInfo(ZONE)


def _week(world: Any) -> dt.date:
    """A believable week for the coordinator, Monday to Friday, around today."""
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    room = make_room(make_location(world), "Room 2")
    check_in = make_type(world, name="Housing check-in", duration_minutes=45)
    review = make_type(world, name="Plan review", duration_minutes=60)
    call = make_type(world, name="Phone follow-up", duration_minutes=30)
    people = [world.person] + [
        make_person(
            world.coordinator,
            world.housing,
            legal_given_name=g,
            legal_family_name=f,
            preferred_name=p,
            primary_coordinator=world.coordinator,
        )
        for g, f, p in (("Marcus", "Odum", ""), ("Aiyana", "Torres", "Ana"), ("Wei", "Chen", ""))
    ]
    stranger = make_person(
        world.colleague, world.wellness, legal_given_name="Zebedee", legal_family_name="Quill"
    )
    wellness = make_type(world, name="Wellness intake", program=world.wellness)

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(
            monday + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=NY
        )

    plan = [
        (0, 9, 0, check_in, 0, "in_person", Appointment.Status.COMPLETED),
        (0, 13, 30, call, 1, "phone", Appointment.Status.NO_SHOW),
        (1, 10, 0, review, 2, "in_person", Appointment.Status.BOOKED),
        (1, 15, 0, call, 3, "phone", Appointment.Status.BOOKED),
        (2, 11, 0, check_in, 1, "video", Appointment.Status.BOOKED),
        (3, 9, 30, review, 0, "in_person", Appointment.Status.BOOKED),
        (3, 16, 0, check_in, 2, "home_visit", Appointment.Status.BOOKED),
        (4, 10, 0, call, 3, "phone", Appointment.Status.BOOKED),
    ]
    for day, hour, minute, kind, who, modality, status in plan:
        appointment(
            world,
            at(day, hour, minute),
            kind.duration_minutes,
            appointment_type=kind,
            person=people[who],
            modality=modality,
            status=status,
            room=room if modality == "in_person" else None,
        )
    appointment(world, at(2, 14), person=stranger, appointment_type=wellness)
    appointment(world, at(4, 13), 90, person=stranger, appointment_type=wellness)
    return monday


def test_a_coordinator_moves_through_their_week_by_keyboard(
    browsing: Browsing,
    world: Any,
    screenshots: Path,  # noqa: F811
) -> None:
    page = browsing.page
    monday = _week(world)
    browsing.sign_in(world.coordinator)
    browsing.goto("/scheduling/calendar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Casey Nguyen")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_count(7)
    expect(table).to_contain_text("Housing check-in")
    expect(table).to_contain_text("Busy")
    expect(table).not_to_contain_text("Zebedee")
    keep(browsing, screenshots, "calendar-week")

    # Next week and back to today, by keyboard.
    page.get_by_role("link", name="Next week").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browsing.check()
    expect(page.get_by_role("table")).not_to_contain_text("Housing check-in")
    page.get_by_role("navigation", name="Calendar dates").get_by_role("link", name="Today").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browsing.check()

    # The day view, a date, then one appointment.
    with page.expect_navigation():
        page.get_by_role("link", name="Day", exact=True).press("Enter")
    browsing.check()
    tuesday = monday + dt.timedelta(days=1)
    page.get_by_label("Go to date").fill(tuesday.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Show").press("Enter")
    browsing.check()
    expect(page.get_by_role("columnheader")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_role("link", name="Ana").first.press("Enter")
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan review")
    expect(page.locator("main")).to_contain_text("Ana")
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()


def test_a_supervisor_sees_the_teams_day(browsing: Browsing, world: Any) -> None:
    page = browsing.page
    monday = _week(world)
    browsing.sign_in(world.supervisor)
    browsing.goto(f"/scheduling/calendar/teams/{world.housing.pk}/?view=week&date={monday}")
    expect(page.get_by_role("rowheader").first).to_contain_text("Casey Nguyen")
    browsing.goto(f"/scheduling/calendar/teams/{world.housing.pk}/?view=day&date={monday}")
    expect(page.get_by_role("columnheader").nth(0)).to_contain_text("Casey Nguyen")
    page.get_by_role("link", name="Attendance by week").click()
    browsing.check()
    expect(page.get_by_role("img")).to_have_count(1)
    expect(page.get_by_role("table")).to_contain_text("No-show rate")
    browsing.goto("/scheduling/calendar/feed/")
    page.get_by_role("button", name="Make my private address").click()
    browsing.check()
    expect(page.get_by_label("Calendar address")).to_have_value(
        __import__("re").compile(r"/scheduling/calendar/feed/alc_.+\.ics$")
    )
