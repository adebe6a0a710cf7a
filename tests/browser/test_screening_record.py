"""A person's screening record in a real browser: an urgent flag first on their page (a
red alert, counted in the navigation), recording what was done about it (an attempt
that keeps it open, then what closed it) and its history, a need, and the screening
history with its score trend. Every page is checked by
axe-core (browsing.check)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from alongside.intake import services
from alongside.intake.models import InstrumentVersion, UrgentFlag

pytestmark = pytest.mark.browser

SOMETIMES, RARELY, NO, OFTEN_TRUE, NEVER_TRUE = (
    "LA10082-8",
    "LA10066-1",
    "LA32-8",
    "LA28397-0",
    "LA28398-8",
)


def _ahc_screening(world):
    """A completed AHC screening: a positive safety screen (an urgent flag and a need)
    and worry about food (another need)."""
    services.instruments_load()
    version = InstrumentVersion.objects.get(instrument__slug="ahc-hrsn-core", status="active")
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=version
    )
    answers = {
        "71802-3": "LA31993-1",
        "88122-7": OFTEN_TRUE,
        "88123-5": NEVER_TRUE,
        "93030-5": NO,
        "96779-4": NO,
        "95618-5": SOMETIMES,
        "95617-7": SOMETIMES,
        "95616-9": SOMETIMES,
        "95615-1": RARELY,
    }
    for link_id, value in answers.items():
        response = services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id=link_id,
            value=value,
            expected_version=response.version,
        )
    return services.response_complete(
        actor=world.coordinator, response=response, expected_version=response.version
    )


def test_a_flag_is_first_on_the_record_counted_and_closed_with_what_was_done(browsing, world):
    _ahc_screening(world)
    page = browsing.page
    browsing.sign_in(world.coordinator)

    browsing.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Urgent results (1)")).to_be_visible()
    nav.get_by_role("link", name="Urgent results (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent screening results")
    browsing.check()
    expect(page.locator("main")).to_contain_text("Interpersonal safety screen positive")
    page.get_by_role("link", name="Lupe Hernández", exact=True).click()

    expect(page).to_have_url(browsing.url(f"/people/{world.person.pk}/"))
    browsing.check()
    # The open flag is the first section of the page, above the profile, and looks unlike
    # the approach-with-care note: a red border, an icon, a heading that says "Urgent".
    alert = page.get_by_role("region", name=re.compile("^Urgent: a screening result"))
    expect(alert).to_be_visible()
    first = page.locator("main section").first
    expect(first).to_have_class(re.compile("urgent-alert"))
    expect(alert.locator("svg.icon")).to_have_count(1)
    border = alert.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert border == "rgb(164, 22, 26)", border
    care = page.get_by_role("region", name="Approach with care")
    expect(care).to_be_visible()
    assert care.evaluate("e => getComputedStyle(e).borderLeftColor") != border
    assert care.evaluate("e => getComputedStyle(e).backgroundColor") != alert.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    expect(alert).to_contain_text("What to do next:")
    panel = page.get_by_role("region", name="Needs and screenings")
    expect(panel).to_contain_text("Food: may want help with having enough food")
    expect(panel).to_contain_text("From the AHC HRSN screening on")
    expect(panel.get_by_role("link", name="Start a screening")).to_be_visible()

    # A try that did not reach her needs a note, and keeps the flag open and counted.
    alert.get_by_label("Tried, but could not reach them").check()
    alert.get_by_role("button", name="Record what was done").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator(".errorlist")).to_contain_text("Add a note")
    browsing.check()
    page.get_by_label("Tried, but could not reach them").check()
    page.get_by_label("Note").fill("Called at 10; no answer, no voicemail per her rules.")
    page.get_by_role("button", name="Record what was done").click()
    expect(page.get_by_role("status")).to_contain_text("The result stays open")
    browsing.check()
    alert = page.get_by_role("region", name=re.compile("^Urgent: a screening result"))
    expect(alert).to_contain_text("Tried once without reaching them")
    expect(page.get_by_role("link", name="Urgent results (1)")).to_be_visible()

    alert.get_by_label("Made a safety plan with them").check()
    alert.get_by_label("Note").fill("Reached her at 4; made a plan together.")
    alert.get_by_role("button", name="Record what was done").click()
    expect(page.get_by_role("status")).to_contain_text("is recorded and the result is closed")
    browsing.check()
    expect(page.locator(".urgent-alert")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Urgent results")
    expect(page.get_by_role("link", name=re.compile(r"Urgent results \("))).to_have_count(0)
    panel = page.get_by_role("region", name="Needs and screenings")
    expect(panel).to_contain_text("made a safety plan with them")
    expect(panel).to_contain_text("closed by Casey Nguyen")
    flag = UrgentFlag.objects.get()
    assert flag.acknowledged_by == world.coordinator
    assert [a.kind for a in flag.actions.all()] == ["could_not_reach", "safety_plan"]

    # The flag's history: each action, who, when and the note.
    panel.get_by_role("link", name=re.compile("^What was done")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent result for Lupe Hernández")
    browsing.check()
    history = page.get_by_role("region", name="What has been done")
    expect(history.locator("li")).to_have_count(2)
    expect(history.locator("li").nth(0)).to_contain_text("Tried, but could not reach them")
    expect(history.locator("li").nth(0)).to_contain_text("Called at 10; no answer")
    expect(history.locator("li").nth(1)).to_contain_text("Made a safety plan with them")
    expect(history.locator("li").nth(1)).to_contain_text("Casey Nguyen")
    page.get_by_role("link", name="Back to Lupe Hernández").click()
    browsing.check()

    panel = page.get_by_role("region", name="Needs and screenings")
    panel.get_by_role("combobox", name="Status of food").select_option(label="Being addressed")
    panel.get_by_role("button", name="Update food").click()
    expect(page.get_by_role("status")).to_contain_text("Food: now “Being addressed”.")
    browsing.check()

    panel.get_by_role("link", name="All screenings and score trends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screenings for Lupe Hernández")
    browsing.check()
    chart = page.get_by_role("img", name=re.compile(r"^AHC HRSN safety score, out of 20: one"))
    expect(chart).to_be_visible()
    expect(chart.locator("text.point-label")).to_have_text(["11"])
    expect(chart.locator("text.threshold-label")).to_have_text(["11+ positive"])
    page.get_by_text("AHC HRSN safety score as a table").click()
    table = page.get_by_role("table", name=re.compile("AHC HRSN safety score"))
    expect(table).to_contain_text("11")
    expect(table).to_contain_text("positive")
    browsing.check()


def test_a_scheduler_is_told_a_gad7_trend_is_restricted_not_shown_nothing(browsing, world):
    """Behavioral-health screenings are sensitive as a whole: the scheduler sees that
    there was a GAD-7, and that its scores and their trend are for the care team."""
    services.instruments_load()
    version = InstrumentVersion.objects.get(instrument__slug="gad-7", status="active")
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=version
    )
    for entry in version.definition["items"]:
        response = services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id=entry["link_id"],
            value="LA6570-1",  # more than half the days: 14, moderate
            expected_version=response.version,
        )
    services.response_complete(
        actor=world.coordinator, response=response, expected_version=response.version
    )
    page = browsing.page
    browsing.sign_in(world.scheduler)
    browsing.goto(f"/intake/people/{world.person.pk}/screenings/")
    expect(page.get_by_role("heading", level=2, name=re.compile("^GAD-7"))).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(
        "GAD-7 total score over time: Details restricted to the care team."
    )
    expect(page.get_by_role("img", name=re.compile("GAD-7"))).to_have_count(0)
    expect(main).not_to_contain_text("moderate")
    browsing.check()
