"""An organization admin's screens and the audit trail, in a real browser, checked by axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_admin_pages_are_accessible_and_a_program_can_be_added(browsing, world):
    page = browsing.page
    browsing.sign_in(world.admin)
    org = world.org.pk
    for path in [
        "/manage/",
        f"/manage/{org}/settings/",
        f"/manage/{org}/programs/",
        f"/manage/{org}/programs/new/",
        f"/manage/{org}/locations/",
        f"/manage/{org}/staff/",
        f"/manage/{org}/staff/new/",
        f"/manage/{org}/staff/{world.colleague.pk}/",
    ]:
        browsing.goto(path)
        browsing.check()
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    browsing.goto(f"/manage/{org}/programs/new/")
    page.get_by_label("Name").fill("Peer Support")
    page.get_by_role("button", name="Add program").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Peer Support")


def test_admin_browses_and_verifies_the_audit_trail(browsing, world):
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/people/{world.person.pk}/")
    browsing.check()
    browsing.sign_in(world.admin)
    browsing.goto("/audit/")
    browsing.check()
    expect(page.get_by_role("table")).to_contain_text("casey")
    page.get_by_role("button", name="Verify chain").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Intact")


def test_admin_filters_the_audit_trail_for_denied_attempts(browsing, world, settings):
    from django.test import Client

    settings.DENIED_ALERT_THRESHOLD = 2
    prober = Client()
    prober.force_login(world.colleague)  # Lupe is in another program: out of scope
    for path in (f"/people/{world.person.pk}/", f"/api/v1/people/{world.person.pk}/needs"):
        assert prober.get(path).status_code == 404
    page = browsing.page
    browsing.sign_in(world.admin)
    browsing.goto("/audit/")
    page.get_by_label("Outcome").select_option("denied")
    page.get_by_role("button", name="Filter").click()
    browsing.check()
    table = page.get_by_role("table")
    expect(table).to_contain_text(f"Not shown: GET /people/{world.person.pk}/")
    expect(table).to_contain_text("2 denied attempts by morgan within 10 minutes")
    expect(table.locator("tbody tr")).to_have_count(3)  # two attempts and the alert


def test_plan_and_note_settings_pages_are_accessible_and_show_field_errors(browsing, world):
    page = browsing.page
    browsing.sign_in(world.admin)
    org, program = world.org.pk, world.housing.pk
    for path in [
        f"/manage/{org}/plans/",
        f"/manage/{org}/plans/{program}/",
        f"/manage/{org}/notes/",
        f"/manage/{org}/notes/{program}/",
    ]:
        browsing.goto(path)
        browsing.check()
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    browsing.goto(f"/manage/{org}/plans/{program}/")
    page.get_by_label("Days between reviews").fill("3")
    page.get_by_role("button", name="Save settings").click()
    browsing.check()
    expect(page.get_by_role("alert")).to_contain_text("Days between reviews")

    browsing.goto(f"/manage/{org}/notes/{program}/")
    page.get_by_label("A supervisor of the program co-signs").check()
    page.get_by_role("button", name="Save settings").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Note settings saved for Housing Navigation")
