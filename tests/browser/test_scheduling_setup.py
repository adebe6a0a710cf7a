"""The scheduling set-up screens in a real browser, checked by axe: an organization
admin adds an appointment type (seeing field errors first), a room, opening hours and a
staff member's weekly availability and time off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from alongside.scheduling.models import AvailabilityChange, AvailabilityPattern
from alongside.scheduling.tests.factories import make_location, make_type

pytestmark = pytest.mark.browser


def test_an_admin_sets_scheduling_up_with_accessible_pages(browsing, world):
    page = browsing.page
    make_type(world, name="Housing check-in")
    location = make_location(world)
    browsing.sign_in(world.admin)
    org = world.org.pk

    browsing.goto("/scheduling/calendar/")
    page.get_by_role("link", name="Scheduling set-up").click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scheduling set-up")

    page.get_by_role("link", name="Add an appointment type").click()
    browsing.check()
    page.get_by_label("Program").select_option(label="Housing Navigation")
    page.get_by_label("Name").fill("Group orientation")
    page.get_by_label("Duration (minutes)").fill("2")
    page.get_by_role("button", name="Save appointment type").click()
    browsing.check()  # the page with its error summary and marked fields
    expect(page.get_by_role("alert")).to_contain_text("Duration (minutes)")
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_role("group", name="Ways to meet").get_by_label("In person").check()
    page.get_by_label("Group session").check()
    page.get_by_label("Seats").fill("8")
    page.get_by_role("button", name="Save appointment type").click()
    browsing.check()
    expect(page.get_by_role("table").first).to_contain_text("Group orientation")

    page.get_by_role("link", name=location.name).click()
    browsing.check()
    page.get_by_role("link", name="Add a room").click()
    browsing.check()
    page.get_by_label("Name").fill("Blue room")
    page.get_by_role("button", name="Save room").click()
    browsing.check()
    page.get_by_label("Day").select_option(label="Tuesday")
    page.get_by_label("Opens").fill("09:00")
    page.get_by_label("Closes").fill("17:00")
    page.get_by_role("button", name="Add hours").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Blue room")
    expect(page.locator("main")).to_contain_text("Tuesday")

    browsing.goto(f"/manage/{org}/scheduling/staff/{world.coordinator.pk}/")
    browsing.check()
    page.get_by_role("link", name="Add weekly availability").click()
    browsing.check()
    page.get_by_label("Day").select_option(label="Wednesday")
    page.get_by_label("From").fill("17:00")
    page.get_by_label("Until").fill("20:00")
    page.get_by_label("Phone").check()
    page.get_by_label("Starting on").fill("2026-03-01")
    page.get_by_role("button", name="Save availability").click()
    browsing.check()
    page.get_by_role("link", name="Add time off or extra availability").click()
    browsing.check()
    page.get_by_label("From day").fill("2026-12-21")
    page.get_by_label("From time").fill("09:00")
    page.get_by_label("Until day").fill("2026-12-24")
    page.get_by_label("Until time").fill("17:00")
    page.get_by_label("In person").check()
    page.get_by_label("Reason").fill("Holiday")
    page.get_by_role("button", name="Save change").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Holiday")
    assert AvailabilityPattern.objects.filter(staff=world.coordinator, weekday=2).exists()
    assert AvailabilityChange.objects.filter(staff=world.coordinator, reason="Holiday").exists()


def test_a_group_sessions_page_and_a_persons_feed_page_are_accessible(browsing, world):
    import datetime as dt

    from alongside.scheduling import groups
    from alongside.scheduling.tests.services_helpers import TEN, bookable, choice

    page = browsing.page
    kind = bookable(world, is_group=True, capacity=3, name="Tenant workshop")
    session = groups.session_create(
        actor=world.supervisor,
        choice=choice(world, kind, TEN, override="a workshop"),
        now=TEN - dt.timedelta(days=1),
    )
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/scheduling/sessions/{session.pk}/")
    browsing.check()
    page.get_by_label("Find someone to seat").fill("Lupe")
    page.get_by_role("button", name="Search").click()  # htmx swaps the matches in
    seat = page.get_by_role("button", name="Book a seat for Lupe Hernández")
    expect(seat).to_be_visible()
    browsing.check()
    seat.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # by keyboard
    browsing.check()
    expect(page.get_by_role("table")).to_contain_text("Lupe Hernández")

    browsing.goto(f"/scheduling/people/{world.person.pk}/feed/")
    browsing.check()
    page.get_by_role("button", name="Make the address").click()
    browsing.check()  # the error summary: the person's agreement is missing
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Only that there is an appointment").check()
    page.get_by_label("The person asked for this feed").check()
    page.get_by_role("button", name="Make the address").click()
    browsing.check()
    expect(page.get_by_label("Calendar address")).to_have_value(
        re.compile(r"/scheduling/calendar/people/alp_")
    )
