"""A person's screening record in a real browser: an urgent flag and a need on their page,
acknowledging the flag, and the history with its score trend. Every page is checked by
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


def test_a_flag_is_acknowledged_from_the_record_and_the_trend_is_readable(browsing, world):
    _ahc_screening(world)
    page = browsing.page
    browsing.sign_in(world.coordinator)

    browsing.goto("/")
    page.get_by_role("link", name="Urgent results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent screening results")
    browsing.check()
    expect(page.locator("main")).to_contain_text("Interpersonal safety screen positive")
    page.get_by_role("link", name="Lupe Hernández", exact=True).click()

    expect(page).to_have_url(browsing.url(f"/people/{world.person.pk}/"))
    browsing.check()
    panel = page.get_by_role("region", name="Needs and screenings")
    expect(panel).to_contain_text("Needs attention today")
    expect(panel).to_contain_text("What to do next:")
    expect(panel).to_contain_text("Food: may want help with having enough food")
    expect(panel).to_contain_text("From the AHC HRSN screening on")
    expect(panel.get_by_role("link", name="Start a screening")).to_be_visible()

    panel.get_by_role("button", name="I have seen this and am acting on it").click()
    expect(page.get_by_role("status")).to_contain_text("The flag is acknowledged")
    browsing.check()
    expect(panel).not_to_contain_text("Needs attention today")
    expect(panel).to_contain_text("acknowledged by Casey Nguyen")
    assert UrgentFlag.objects.get().acknowledged_by == world.coordinator

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
