"""Scheduling in a real browser, checked by axe-core: find a time that honours the
person's preferences (evening, phone), hold and book it, move it, cancel it, join the
waitlist and accept an offer, mark a no-show and see the follow-up on the worklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.scheduling import attendance, booking
from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.factories import make_location, make_pattern, make_type
from alongside.tasks.tests.factories import make_rule

pytestmark = pytest.mark.browser


@pytest.fixture
def kind(world):
    appointment_type = make_type(world, modalities=["phone", "in_person"])
    location = make_location(world)
    for weekday in range(7):
        make_pattern(world, weekday=weekday, starts=dt.time(9), ends=dt.time(20), location=location)
    return appointment_type


def test_a_coordinator_finds_books_moves_and_cancels_a_time(browsing, world, kind):
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/people/{world.person.pk}/")
    expect(page.locator("main")).to_contain_text("Appointments")
    page.get_by_role("link", name="Find a time").first.click()
    browsing.check()
    page.get_by_label("Evenings work").check()
    page.get_by_label("Preferred way to meet").select_option(label="Phone")
    page.get_by_role("button", name="Search").click()
    browsing.check()
    first = page.locator(".slot-list li").first
    expect(first).to_contain_text("evening, as Lupe prefers")
    expect(first).to_contain_text("Phone")
    first.get_by_role("radio").check()
    page.get_by_role("button", name="Hold this time").click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the booking")
    page.get_by_label("What it is for").fill("Housing forms")
    page.get_by_role("button", name="Book").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("The appointment is booked.")

    page.get_by_role("link", name="Move").click()
    browsing.check()
    page.locator(".slot-list input[type=radio]").nth(2).check()
    page.get_by_label("Reason").fill("School pick-up")
    page.get_by_role("button", name="Move").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("The appointment is moved.")

    page.get_by_role("link", name="Cancel").click()
    browsing.check()
    page.get_by_label("Reason").fill("Found work that day")
    page.get_by_role("button", name="Cancel the appointment").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Found work that day")
    assert list(Appointment.objects.values_list("status", flat=True).order_by("pk")) == [
        "cancelled",
        "cancelled",
    ]


def test_the_waitlist_offers_a_freed_time_and_a_no_show_makes_a_follow_up(browsing, world, kind):
    from conftest import make_person

    page = browsing.page
    ana = make_person(world.coordinator, world.housing, legal_given_name="Ana")
    soon = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=2)
    taken = booking.book(
        actor=world.supervisor,
        person=ana,
        choice=booking.Choice(
            kind=kind, staff=world.coordinator, starts_at=soon, modality="phone", override="test"
        ),
    )
    make_rule(
        world,
        trigger=attendance.NO_SHOW_TRIGGER,
        days=0,
        deadline="same_day",
        deadline_amount=0,
        title="Call after a missed appointment",
    )
    past = booking.book(
        actor=world.supervisor,
        person=world.person,
        choice=booking.Choice(
            kind=kind,
            staff=world.supervisor,
            starts_at=timezone.now() - dt.timedelta(hours=3),
            modality="phone",
            override="test",
        ),
    )
    browsing.sign_in(world.coordinator)

    browsing.goto(f"/scheduling/people/{world.person.pk}/waitlist/")
    page.get_by_role("button", name="Join the waitlist").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Lupe is on the waitlist.")
    browsing.goto(f"/scheduling/appointments/{taken.pk}/cancel/")
    page.get_by_label("Reason").fill("Moved away")
    page.get_by_role("button", name="Cancel the appointment").click()
    browsing.check()
    browsing.goto(f"/scheduling/people/{world.person.pk}/")
    expect(page.locator("main")).to_contain_text("Offered from the waitlist")
    page.get_by_role("button", name="Accept").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("The offered time is booked.")

    browsing.goto(f"/scheduling/appointments/{past.pk}/")
    page.get_by_label("Mark as").select_option(label="Did not come")
    page.get_by_role("button", name="Record").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Attendance recorded.")
    from alongside.tasks import rules

    rules.evaluate_for_person(world.person.pk)
    browsing.goto("/")
    expect(page.locator("main")).to_contain_text("Call after a missed appointment")
