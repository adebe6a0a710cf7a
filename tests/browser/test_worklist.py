"""The worklist as a coordinator meets it: their home page says who needs attention
today and why; an item is snoozed with a reason and listed, then brought back; a
teammate covers for them. Every page checked with axe-core, and the worklist kept as a
picture (var/screenshots/worklist.png, or $ALONGSIDE_SCREENSHOTS) to look at."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.intake import services as intake
from alongside.intake.definitions import Given
from alongside.intake.models import InstrumentVersion, UrgentFlag
from alongside.people import services as people
from conftest import add_role, make_person, make_user

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3"]


def _flag(actor, person, hours_ago):
    version = InstrumentVersion.objects.get(status="active", instrument__slug="phq-9")
    response = intake.response_start(actor=actor, person=person, instrument_version=version)
    answers = {i: Given(value="LA6569-3", declined=False) for i in PHQ9}
    answers["44260-8"] = Given(value="LA6571-9", declined=False)
    response = intake.answers_save(
        actor=actor, response=response, answers=answers, expected_version=response.version
    )
    intake.response_complete(actor=actor, response=response, expected_version=None)
    raised = timezone.now() - dt.timedelta(hours=hours_ago)
    UrgentFlag.objects.filter(response=response).update(raised_at=raised)


@pytest.fixture
def caseload(world):
    """Casey's caseload: an urgent result, people not reached for weeks, a new referral."""
    intake.instruments_load()
    c = world.coordinator
    _flag(c, world.person, 2)
    for given, family, pronouns, days, care in [
        ("Tomás", "Rivera", "he/him", 34, ""),
        ("Aiyana", "Begay", "she/they", 41, "Ask before visiting; prefers phone first."),
        ("Mei", "Chen", "", 3, ""),
    ]:
        person = make_person(
            c,
            world.housing,
            legal_given_name=given,
            legal_family_name=family,
            pronouns=pronouns,
            primary_coordinator=c,
            profile={"approach_with_care": care},
        )
        enrollment = person.enrollments.get()
        people.enrollment_update(
            actor=c, enrollment=enrollment, data={"status": "active"}, version=None
        )
        people.record_contact(person=person, at=timezone.now() - dt.timedelta(days=days))
    make_person(
        c, world.housing, legal_given_name="Dara", legal_family_name="Osei", primary_coordinator=c
    )
    return world


def _screenshot(page, name: str = "worklist") -> None:
    folder = Path(os.environ.get("ALONGSIDE_SCREENSHOTS") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def test_a_coordinator_sees_who_needs_attention_and_snoozes_with_a_reason(browsing, caseload):
    world = caseload
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto("/")

    worklist = page.get_by_role("region", name="Who needs attention today")
    rows = worklist.locator(".worklist-row")
    expect(rows).to_have_count(4)
    # Most urgent first: the urgent result, then the new referrals, then the longest unseen.
    expect(rows.nth(0)).to_contain_text("Lupe Hernández")
    expect(rows.nth(0)).to_contain_text("Urgent screening result 2\xa0hours ago")
    expect(rows.nth(0)).to_contain_text("Approach with care")
    expect(rows.nth(0)).not_to_contain_text("Please knock")  # the note itself stays on her page
    expect(worklist).to_contain_text("No contact for 41 days")
    expect(worklist).to_contain_text("No contact for 34 days")
    expect(worklist).not_to_contain_text("Mei Chen")  # reached three days ago

    tomas = rows.filter(has_text="Tomás Rivera")
    tomas.get_by_text("Snooze").first.click()
    tomas.get_by_label("Bring back on").fill(
        (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    )
    tomas.get_by_label("Why it can wait").fill("Away visiting family until Tuesday")
    tomas.get_by_role("button", name="Snooze", exact=True).click()
    browsing.check()
    expect(page.get_by_role("status")).to_contain_text("Tomás Rivera: snoozed until")
    expect(rows).to_have_count(3)
    snoozed = page.get_by_role("region", name="Snoozed (1)")
    expect(snoozed).to_contain_text("Away visiting family until Tuesday")
    expect(snoozed).to_contain_text("by Casey Nguyen")
    expect(rows.filter(has_text="Tomás Rivera")).to_have_count(0)

    rows.filter(has_text="Dara Osei").get_by_role("button", name="Done today").click()
    browsing.check()
    expect(page.get_by_role("region", name="Done today (1)")).to_contain_text("Dara Osei")
    expect(rows).to_have_count(2)
    _screenshot(page)  # every part of the page: the rows, what was snoozed and done

    page.get_by_role("region", name="Snoozed (1)").get_by_role("button", name="Undo").click()
    browsing.check()
    expect(page.get_by_role("status")).to_contain_text("Tomás Rivera is back on the worklist")
    expect(rows).to_have_count(3)


def test_a_teammate_covers_and_the_supervisor_sees_the_team(browsing, caseload):
    world = caseload
    page = browsing.page
    robin = make_user("robin", first_name="Robin", last_name="Diaz")
    add_role(robin, "coordinator", program=world.housing)
    browsing.sign_in(world.supervisor)
    browsing.goto("/worklist/team/")
    team = page.get_by_role("table", name="Teammates")
    expect(team.get_by_role("row", name="Casey Nguyen")).to_contain_text("5")
    _screenshot(page, "worklist-team")
    team.get_by_role("link", name="Open Casey Nguyen’s worklist").click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casey Nguyen’s worklist")
    expect(page.get_by_role("note")).to_contain_text("You are covering for Casey Nguyen")
    expect(page.locator(".worklist-row")).to_have_count(4)

    browsing.goto("/worklist/caseload/?contact=overdue")
    expect(page.get_by_role("status")).to_contain_text("2 people match")
    _screenshot(page, "worklist-caseload")
