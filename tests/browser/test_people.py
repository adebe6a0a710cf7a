"""Finding, registering and keeping a person's record, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from alongside.people.models import ContactPoint, Person, RecordChange

pytestmark = pytest.mark.browser


def _search(page: Page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Find a person")
    with page.expect_response(
        lambda r: "/people/?" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        box.fill(text)  # htmx searches as the person types (after a short pause)


def test_live_search_finds_a_person_without_accents_and_with_a_typo(browsing, world):
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto("/")
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    browsing.check()
    page.evaluate("window.stillTheSamePage = true")

    _search(page, "hernan")
    results = page.locator("#results")
    expect(results).to_contain_text("1 match for “hernan”")
    expect(results.get_by_role("link", name="Lupe Hernández")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/people/\?q=hernan$"))  # the search can be shared
    browsing.check()

    _search(page, "Guadelupe Hernandes")  # two typos
    expect(results).to_contain_text("for “Guadelupe Hernandes”")
    expect(results.get_by_role("link", name="Lupe Hernández")).to_be_visible()
    browsing.check()

    _search(page, "Zyxwv")
    expect(results).to_contain_text("Nobody matches")
    browsing.check()

    _search(page, "lupe")
    expect(results).to_contain_text("1 match for “lupe”")
    assert page.evaluate("window.stillTheSamePage") is True, "search reloaded the whole page"
    browsing.check()
    results.get_by_role("link", name="Lupe Hernández").click()

    expect(page).to_have_url(browsing.url(f"/people/{world.person.pk}/"))
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lupe Hernández")
    expect(page.locator(".person-header")).to_contain_text("Pronouns: she/her")
    care = page.get_by_role("region", name="Approach with care")
    expect(care).to_contain_text("Please knock; loud voices are hard for me.")
    profile = page.get_by_role("region", name="In Lupe’s own words")
    expect(profile).to_contain_text("Being there for my kids.")
    # The care note comes before the profile, both in reading order and on screen.
    assert care.evaluate(
        "(care, profile) => !!(care.compareDocumentPosition(profile)"
        " & Node.DOCUMENT_POSITION_FOLLOWING)",
        profile.element_handle(),
    )
    assert care.bounding_box()["y"] < profile.bounding_box()["y"]


def test_registering_a_person_keeps_their_words_exactly(browsing, world):
    page = browsing.page
    important = "  Being near my sister.\nCooking for friends on Sundays.  "
    care_note = "Doesn't like phone calls before noon.\nAsk before hugging."
    browsing.sign_in(world.coordinator)
    browsing.goto("/people/")
    page.get_by_role("link", name="Register a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a person")
    browsing.check()

    page.get_by_label("Legal first name").fill("Nguyễn Thị")
    page.get_by_label("Legal last name").fill("Mai")
    page.get_by_label("Preferred name").fill("Mai")
    page.get_by_label("Pronouns").fill("she/they")
    page.get_by_label("Date of birth").fill("1990-05-17")
    expect(page.get_by_label("Program")).to_have_value(str(world.housing.pk))
    page.get_by_label("What is important TO me").fill(important)
    page.get_by_label("Approach with care").fill(care_note)
    page.get_by_role("button", name="Register").click()

    person = Person.objects.get(legal_family_name="Mai")
    expect(page).to_have_url(browsing.url(f"/people/{person.pk}/"))
    browsing.check()
    expect(page.get_by_role("status")).to_contain_text("Mai Mai is registered.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mai Mai")
    expect(page.locator(".person-header")).to_contain_text("Pronouns: she/they")
    expect(page.get_by_text("Legal name: Nguyễn Thị Mai")).to_be_visible()
    identity = page.get_by_role("region", name="Identity")
    expect(identity).to_contain_text("17 May 1990")

    # Stored and shown exactly as typed: spaces at both ends and the line break. (Browsers
    # send a textarea's line breaks as CRLF; see test_textarea_line_breaks_are_stored_as_lf.)
    person.profile.refresh_from_db()
    assert _lf(person.profile.important_to) == important
    assert _lf(person.profile.approach_with_care) == care_note
    shown = page.get_by_role("region", name="In Mai’s own words").locator(
        "dt:text-is('What is important TO me') + dd"
    )
    assert _lf(shown.text_content()) == important
    assert shown.evaluate("el => getComputedStyle(el).whiteSpace") == "pre-wrap"
    assert shown.inner_text() == important  # as rendered: leading spaces, the line break
    care = page.get_by_role("region", name="Approach with care").locator("p.pre-wrap")
    assert _lf(care.text_content()) == care_note
    assert care.evaluate("el => getComputedStyle(el).whiteSpace") == "pre-wrap"
    assert care.inner_text() == care_note

    # And the edit form gives the words back untouched.
    page.get_by_role("link", name="Edit the profile").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit profile")
    browsing.check()
    expect(page.get_by_label("What is important TO me")).to_have_value(important)


def _lf(text: str | None) -> str | None:
    return None if text is None else text.replace("\r\n", "\n")


def test_textarea_line_breaks_are_stored_as_lf(browsing, world):
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/people/{world.person.pk}/profile/")
    page.get_by_label("What is important TO me").fill("My kids.\nMy garden.")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(browsing.url(f"/people/{world.person.pk}/"))
    browsing.check()
    world.person.profile.refresh_from_db()
    assert world.person.profile.important_to == "My kids.\nMy garden."


def test_safe_contact_rules_and_their_history(browsing, world):
    page = browsing.page
    person = world.person
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Add a phone, email or address").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contact and safe-contact rules")
    browsing.check()

    page.get_by_label("Kind").select_option("phone")
    page.get_by_label("Label").fill("mobile")
    page.get_by_label("Phone number, email or address").fill("(413) 201-4471")
    expect(page.get_by_label("We may leave a voicemail")).not_to_be_checked()
    expect(page.get_by_label("We may send text messages")).not_to_be_checked()
    page.get_by_label("Safe to contact from").fill("10:00")
    page.get_by_label("Safe to contact until").fill("15:30")
    page.get_by_label("Safety note").fill("Her partner checks her phone; say it's the clinic.")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(browsing.url(f"/people/{person.pk}/"))
    browsing.check()
    reach = page.get_by_role("region", name="How to reach Lupe safely")
    expect(reach).to_contain_text("Phone (mobile)")
    expect(reach).to_contain_text("(413) 201-4471")
    expect(reach).to_contain_text("No voicemail")
    expect(reach).to_contain_text("No text messages")
    expect(reach).to_contain_text("Safe hours: 10:00 AM–3:30 PM")
    expect(reach).to_contain_text("Note: Her partner checks her phone; say it's the clinic.")
    contact = ContactPoint.objects.get(person=person)
    assert (contact.may_leave_voicemail, contact.may_text, contact.normalized) == (
        False,
        False,
        "+14132014471",
    )

    reach.get_by_role("link", name="Edit phone and rules for (413) 201-4471").click()
    browsing.check()
    expect(page.get_by_label("Safety note")).to_have_value(
        "Her partner checks her phone; say it's the clinic."
    )
    page.get_by_label("We may send text messages").check()
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(browsing.url(f"/people/{person.pk}/"))
    browsing.check()
    expect(reach).to_contain_text("Texts are OK")
    expect(reach).to_contain_text("No voicemail")
    expect(reach).to_contain_text("Safe hours: 10:00 AM–3:30 PM")

    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of changes")
    browsing.check()
    change = RecordChange.objects.filter(
        person=person, entity="contactpoint", action="update"
    ).get()
    assert change.changes == {"may_text": [False, True]}
    newest = page.get_by_role("table", name="Changes, newest first").locator("tbody tr").first
    expect(newest.locator("td").nth(1)).to_have_text("Casey Nguyen")
    expect(newest.locator("td").nth(2)).to_have_text("Changed contact point")
    expect(newest.locator("td").nth(3)).to_have_text("We may send text messages: No → Yes")


def test_bad_input_gets_field_errors_and_rtl_names_round_trip(browsing, world):
    page = browsing.page
    person = world.person
    browsing.sign_in(world.coordinator)

    # An impossible phone number: the form comes back with the error at the field.
    browsing.goto(f"/people/{person.pk}/contacts/new/")
    page.get_by_label("Kind").select_option("phone")
    page.get_by_label("Phone number, email or address").fill("555-12")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save").click()
    assert posted.value.status == 422
    browsing.check()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct the fields marked below")
    expect(summary.get_by_role("link")).to_have_text(re.compile("Enter a valid phone number"))
    expect(page.locator(".field:has(#id_value) .errorlist")).to_contain_text(
        "Enter a valid phone number"
    )
    expect(page.get_by_label("Phone number, email or address")).to_have_value("555-12")
    summary.get_by_role("link").click()  # the summary takes you to the field
    expect(page.get_by_label("Phone number, email or address")).to_be_focused()
    assert not ContactPoint.objects.filter(person=person).exists()

    # A date of birth in the future, through the date picker.
    page.get_by_role("link", name="People", exact=True).click()
    browsing.check()
    page.get_by_role("link", name="Register a person").click()
    browsing.check()
    page.get_by_label("Legal first name").fill("فاطمة")
    page.get_by_label("Legal last name").fill("الزهراء")
    page.get_by_label("Date of birth").fill("2999-01-01")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Register").click()
    assert posted.value.status == 422
    browsing.check()
    expect(page.locator(".field:has(#id_date_of_birth) .errorlist")).to_contain_text(
        "cannot be in the future"
    )
    expect(page.get_by_label("Legal first name")).to_have_value("فاطمة")

    # A date the picker cannot produce (typed into a browser without one).
    page.get_by_label("Date of birth").evaluate("el => { el.type = 'text'; }")
    page.get_by_label("Date of birth").fill("1990-13-45")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Register").click()
    assert posted.value.status == 422
    browsing.check()
    expect(page.locator(".field:has(#id_date_of_birth) .errorlist")).to_contain_text(
        "Enter a valid date"
    )
    assert not Person.objects.filter(legal_family_name="الزهراء").exists()

    # Fixed: the right-to-left name is saved and shown exactly as typed.
    page.get_by_label("Date of birth").fill("1992-02-29")
    page.get_by_label("Preferred name").fill("فاطمة")
    page.get_by_role("button", name="Register").click()
    created = Person.objects.get(legal_family_name="الزهراء")
    expect(page).to_have_url(browsing.url(f"/people/{created.pk}/"))
    browsing.check()
    assert (created.legal_given_name, created.preferred_name) == ("فاطمة", "فاطمة")
    expect(page.get_by_role("heading", level=1)).to_have_text("فاطمة الزهراء")
    expect(page.get_by_role("region", name="Identity")).to_contain_text("29 Feb 1992")

    # And can be found again by name.
    page.get_by_role("link", name="People", exact=True).click()
    browsing.check()
    _search(page, "الزهراء")
    expect(page.locator("#results").get_by_role("link", name="فاطمة الزهراء")).to_be_visible()
    browsing.check()


def test_registration_warns_about_someone_already_known(browsing, world):
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto("/people/new/")
    page.get_by_label("Legal first name").fill("Guadalupe")
    page.get_by_label("Legal last name").fill("Hernandes")  # a typo, and no accent
    page.get_by_label("Date of birth").fill("1984-03-09")
    page.get_by_label("Pronouns").focus()  # leaving the field sends "change"
    warning = page.get_by_role("region", name="Is this someone you already know?")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("link", name="Lupe Hernández", exact=True)).to_be_visible()
    browsing.check()
