"""Signing in, the home page, keyboard access and lockout, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_coordinator_signs_in_and_sees_the_people_they_coordinate(browsing, world):
    page = browsing.page
    browsing.goto("/")  # not signed in: sent to the sign-in form, keeping where they were going
    expect(page).to_have_url(browsing.url("/login/?next=/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Alongside")

    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(browsing.url("/"))
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Casey")
    expect(page.get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")
    expect(page.locator(".user-menu")).to_contain_text("Casey Nguyen (they/them)")
    coordinated = page.get_by_role("table", name="People")
    expect(coordinated.get_by_role("link", name="Lupe Hernández")).to_be_visible()
    expect(coordinated).to_contain_text("she/her")
    expect(coordinated).to_contain_text("Legal name: Guadalupe Hernández")


def test_skip_link_is_first_and_moves_focus_to_main(browsing, world):
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/people/{world.person.pk}/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()  # shown on focus, not left off-screen
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes into the page content, past the site navigation.
    page.keyboard.press("Tab")
    in_main = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert in_main, page.evaluate("document.activeElement.outerHTML")
    browsing.check()


def test_signing_in_with_the_keyboard_alone(browsing, world):
    """The username field has focus on arrival, so typing and Enter are enough."""
    page = browsing.page
    browsing.goto("/login/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("casey")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(browsing.url("/"))
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Casey")


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(
    browsing, world, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    page = browsing.page
    browsing.goto("/login/")
    for attempt in range(1, 5):
        page.get_by_label("Username").fill("casey")
        page.get_by_label("Password").fill(f"wrong password {attempt}")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("enter a correct username and password")
        expect(page.get_by_label("Password")).to_have_value("")
        if attempt == 1:
            browsing.check()  # the same page each time; one audit is enough

    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("wrong password 5")
    with page.expect_response(lambda r: r.request.method == "POST") as fifth:
        page.get_by_role("button", name="Sign in").click()
    assert fifth.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many sign-in attempts")
    browsing.check()

    browsing.goto("/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as right:
        page.get_by_role("button", name="Sign in").click()
    assert right.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many sign-in attempts")
    expect(page.get_by_role("link", name="reset your password")).to_be_visible()
    browsing.check()

    browsing.goto("/")  # still not signed in
    expect(page).to_have_url(browsing.url("/login/?next=/"))
