"""Reading a person's journey in a real browser: the latest entries on their page, the
whole timeline with filters, and older entries loaded in place from the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from alongside.people import timeline
from alongside.people.sensitivity import RESTRICTED

pytestmark = pytest.mark.browser

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _journey(world, count: int) -> None:
    for i in range(count):
        timeline.add_entry(
            person=world.person,
            kind="people.enrollment_status_changed",
            occurred_at=START + dt.timedelta(days=i),
            summary=f"Check-in {i}",
            actor=world.coordinator,
            program=world.housing,
        )
    timeline.add_entry(
        person=world.person,
        kind="intake.urgent_flag_raised",
        occurred_at=START - dt.timedelta(days=1),
        summary="Urgent screening result",
        details="Safety plan reviewed together.",
        actor=world.coordinator,
    )


def test_older_entries_load_in_place_from_the_keyboard(browsing, world):
    _journey(world, timeline.PAGE_SIZE + 3)
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/people/{world.person.pk}/")
    browsing.check()
    panel = page.get_by_role("region", name="Journey")
    expect(panel.locator(".timeline-entry")).to_have_count(timeline.PANEL_SIZE)
    panel.get_by_role("link", name="The whole of Lupe’s journey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Journey")
    browsing.check()
    entries = page.locator("#timeline-entries > .timeline-entry")
    expect(entries).to_have_count(timeline.PAGE_SIZE)
    page.evaluate("window.stillTheSamePage = true")

    older = page.get_by_role("link", name="Older entries")
    older.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#timeline-entries .timeline-entry")).to_have_count(
        timeline.PAGE_SIZE + 5  # 28 check-ins, the enrollment and the urgent result
    )
    expect(page.get_by_text("Safety plan reviewed together.")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True, "older entries reloaded the page"
    # Focus moved to the first entry loaded, not back to the top of the page.
    focused = page.evaluate("document.activeElement.textContent")
    assert "Check-in 3" in focused
    expect(page.get_by_text("That is the start of the journey")).to_be_visible()
    browsing.check()


def test_filters_and_restricted_details(browsing, world):
    _journey(world, 2)
    page = browsing.page
    browsing.sign_in(world.scheduler)
    browsing.goto(f"/people/{world.person.pk}/timeline/")
    browsing.check()
    expect(page.get_by_text(str(RESTRICTED))).to_be_visible()
    expect(page.get_by_text("Safety plan reviewed together.")).to_have_count(0)
    page.get_by_label("Kind").select_option("urgent flags")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".timeline-entry")).to_have_count(1)
    expect(page.locator(".timeline-entry")).to_contain_text("Urgent screening result")
    browsing.check()
    page.get_by_label("From").fill("2026-02-01")
    page.get_by_label("To").fill("2026-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("on or after its start")
    browsing.check()
