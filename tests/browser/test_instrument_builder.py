"""An organization admin builds a two-question instrument with skip logic in a real
browser, previews it in English and Spanish, and publishes it; every page checked by axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.intake.models import Instrument

pytestmark = pytest.mark.browser


def test_an_admin_builds_previews_and_publishes_an_instrument(browsing, world):
    page = browsing.page
    browsing.sign_in(world.admin)
    browsing.goto(f"/manage/{world.org.pk}/instruments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening instruments")

    page.get_by_role("link", name="Create an instrument").click()
    browsing.check()
    page.get_by_label("Name of the instrument").fill("Safety at home")
    page.get_by_label("Question (required)", exact=True).fill("Do you feel safe at home?")
    page.get_by_label("Kind of answer").select_option(label="Choose one answer from a list")
    page.get_by_label("Question in Spanish").fill("¿Se siente seguro en casa?")
    page.locator("#id_options-0-display").fill("Yes")
    page.locator("#id_options-1-display").fill("No")
    page.locator("#id_options-1-display_es").fill("No")
    page.get_by_role("button", name="Create draft").click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safety at home, version 1")

    page.get_by_role("link", name="Add a question").click()
    browsing.check()
    page.get_by_label("Question (required)", exact=True).fill(
        "Would you like to talk to someone today?"
    )
    page.get_by_label("Kind of answer").select_option(label="Yes or no")
    page.get_by_label("Ask this question").select_option(label="the answer is “No”")
    page.get_by_role("button", name="Save question").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Asked only when the answer to")

    page.get_by_role("link", name="Preview").click()
    browsing.check()
    follow_up = page.get_by_text("Would you like to talk to someone today?")
    expect(follow_up).to_have_count(0)
    # Scoped to the first question: once answered, the follow-up (with its own "No")
    # appears, and the check must not race that swap.
    safe_no = page.get_by_role("group", name="Do you feel safe at home?").get_by_label(
        "No", exact=True
    )
    safe_no.check()
    expect(follow_up).to_be_visible()
    expect(safe_no).to_be_focused()
    browsing.check()
    page.get_by_role("link", name="Español").click()
    browsing.check()
    expect(page.get_by_text("¿Se siente seguro en casa?")).to_be_visible()
    expect(page.get_by_text("Prefiero no contestar").first).to_be_visible()

    page.get_by_role("link", name="Back to version 1").click()
    browsing.check()
    page.get_by_role("button", name="Publish version 1").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("is published")
    assert Instrument.objects.get(title="Safety at home").versions.get().status == "active"
