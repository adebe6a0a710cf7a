"""Recording an encounter and writing, signing and adding to a motivational-interviewing
note in a real browser: the person's own words in view, autosave, the respectful-language
check, and the journey afterwards. axe-core checks every page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from alongside.encounters.models import Note

pytestmark = pytest.mark.browser


def test_write_sign_and_add_to_a_note(browsing, world):
    # Live-server tests empty every table between tests, migrations' data included.
    call_command("load_note_templates")
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/people/{world.person.pk}/")
    browsing.check()
    page.get_by_role("region", name="Recent encounters").get_by_role(
        "link", name="Record an encounter"
    ).click()
    browsing.check()
    page.get_by_label("What kind of encounter").select_option("home")
    page.get_by_label("How").select_option("in_person")
    page.get_by_label("Duration in minutes").fill("40")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home visit")
    browsing.check()

    page.get_by_label("Template").select_option(label="Motivational interviewing progress note")
    page.get_by_role("button", name="Write a note").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Motivational interviewing")
    browsing.check()
    aside = page.get_by_role("complementary", name="About Lupe")
    expect(aside).to_contain_text("Being there for my kids.")
    expect(aside).to_contain_text("Please knock; loud voices are hard for me.")

    with page.expect_response(lambda r: r.url.endswith("/autosave/")):
        page.get_by_label("What matters to the person today").fill(
            "Her kids' school. She refused the shelter bed."
        )
    expect(page.locator("#autosave")).to_contain_text("Draft saved")
    expect(page.locator("#language-check mark")).to_have_text("refused")
    expect(page.locator("#language-check")).to_contain_text("declined")
    browsing.check()

    with page.expect_response(lambda r: r.url.endswith("/autosave/")):
        page.get_by_label("What matters to the person today").fill(
            "Her kids' school. She declined the shelter bed."
        )
    expect(page.locator("#language-check mark")).to_have_count(0)
    page.get_by_label("Agreed next steps").fill("Call the landlord on Monday")
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("The note is signed.")).to_be_visible()
    expect(page.get_by_role("article", name="The note")).to_contain_text("declined the shelter")
    browsing.check()

    page.get_by_label("Addendum").fill("The landlord called back on Tuesday.")
    page.get_by_role("button", name="Add and sign the addendum").click()
    expect(page.get_by_text("The addendum is added and signed.")).to_be_visible()
    expect(page.get_by_role("region", name="Addenda")).to_contain_text("landlord called back")
    browsing.check()

    browsing.goto(f"/people/{world.person.pk}/timeline/")
    entries = page.locator(".timeline-entry")
    expect(entries.nth(0)).to_contain_text("Addendum")
    expect(entries.nth(1)).to_contain_text("Note signed")
    browsing.check()
    # Read only now: the live server and this thread share one SQLite database.
    note = Note.objects.get()
    assert note.status == "signed"
    assert note.content["what_matters"] == "Her kids' school. She declined the shelter bed."
