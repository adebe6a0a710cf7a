"""A plan made with the person, in the browser: started from their page, a goal from a
need rewritten in their words and tied to a value in their profile, steps for them, a
staff member and their sister, readiness, their signature, a review with GAS ratings,
and the balance view flagging a goal that is only important for them, and the plan she keeps
printed in Spanish. Every page
checked with axe-core; the plan kept as a picture (var/screenshots/plan.png)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from alongside.intake import services as intake
from alongside.intake.definitions import Given
from alongside.intake.models import InstrumentVersion
from alongside.people import services as people

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lupe(world):
    """Lupe, who screened positive for food worry, with her sister Ana, whom she agreed
    to involve, and hopes in her profile."""
    intake.instruments_load()
    version = InstrumentVersion.objects.get(instrument__slug="hunger-vital-sign", status="active")
    c = world.coordinator
    response = intake.response_start(actor=c, person=world.person, instrument_version=version)
    answers = {
        "88122-7": Given(value="LA28397-0", declined=False),
        "88123-5": Given(value="LA28398-8", declined=False),
    }
    response = intake.answers_save(
        actor=c, response=response, answers=answers, expected_version=response.version
    )
    intake.response_complete(actor=c, response=response, expected_version=None)
    people.support_contact_create(
        actor=c,
        person=world.person,
        data={"name": "Ana", "relationship": "family", "may_involve": True},
    )
    people.profile_update(
        actor=c,
        person=world.person,
        data={"hopes": "Cook Sunday dinner for my kids again."},
        version=None,
    )
    return world


def _screenshot(page, name: str) -> None:
    folder = Path(os.environ.get("ALONGSIDE_SCREENSHOTS") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def _save(browsing, name: str = "Save") -> None:
    browsing.page.get_by_role("button", name=name).click()
    browsing.check()


def test_a_plan_is_made_with_the_person(browsing, lupe):  # noqa: PLR0915 - one story
    world = lupe
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/people/{world.person.pk}/")
    page.get_by_role("button", name="Start a plan in Housing Navigation").click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lupe’s plan")

    # A goal from her food need, rewritten in her words, tied to her hopes.
    page.get_by_role("link", name="Add a goal").click()
    browsing.check()
    page.get_by_role("link", name="Their need: Food").click()
    browsing.check()
    expect(page.get_by_label("Life domain")).to_have_value("food")
    page.get_by_label("The goal in their own words").fill("Fill the fridge so the kids eat well.")
    page.get_by_label("Important to them").check()
    page.get_by_label("It serves, from their profile").select_option("hopes")
    page.get_by_label("0: the expected outcome").fill("Food in the house every week")
    _save(browsing)
    goal = page.locator("article", has_text="Fill the fridge")
    expect(goal).to_contain_text("Cook Sunday dinner for my kids again.")

    # A goal that is only important for her, from a template.
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_role("link", name="Template: A stable place to live").click()
    browsing.check()
    page.get_by_label("The goal in their own words").fill("Keep the apartment.")
    page.get_by_label("Important for them").check()
    _save(browsing)

    # Steps for her, for Casey and for her sister.
    for text, owner, choose in (
        ("Sign up for SNAP", "The person", None),
        ("Call the food bank", "A staff member", ("Staff member", "Casey Nguyen")),
        (
            "Drive to the pantry",
            "Someone who matters to them",
            ("Which of the people", "Ana (family)"),
        ),
    ):
        goal.get_by_role("link", name="Add a step").click()
        browsing.check()
        page.get_by_label("What will be done").fill(text)
        page.get_by_label(owner, exact=True).check()
        if choose:
            page.get_by_role("combobox", name=choose[0]).select_option(label=choose[1])
        _save(browsing)
    expect(goal).to_contain_text("Drive to the pantry — Ana")
    expect(goal).to_contain_text("Call the food bank — Casey Nguyen")

    # Her step marked done in place (htmx): the page is not reloaded, and focus stays on
    # that step, now offering to undo it.
    page.evaluate("window.notReloaded = true")
    snap = goal.locator("li", has_text="Sign up for SNAP")
    snap.get_by_role("button", name="Mark done").click()
    expect(snap.get_by_role("button", name="Not done after all")).to_be_focused()
    expect(snap.locator(".badge-resolved")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    browsing.check()

    goal.get_by_role("link", name="Record readiness").click()
    browsing.check()
    page.get_by_label("How important is this to you").fill("9")
    page.get_by_label("How confident are you").fill("6")
    page.get_by_label("Why not a lower number?").fill("My kids come first.")
    _save(browsing)
    expect(goal).to_contain_text("importance 9/10, confidence 6/10")

    page.get_by_role("link", name="Record their agreement").click()
    browsing.check()
    page.get_by_label("Signed on screen").check()
    page.get_by_label("Signature: they type their name").fill("Lupe Hernández")
    _save(browsing)
    page.get_by_role("button", name="Start the plan").click()
    browsing.check()
    expect(page.locator(".person-header")).to_contain_text("Active")

    page.get_by_role("link", name="Record a review").click()
    browsing.check()
    page.get_by_label("Held on").fill(timezone.localdate().isoformat())
    page.get_by_label("Who took part").fill("Lupe, Casey and Ana")
    page.get_by_label("Their view, in their words").fill("We have food most weeks now.")
    first = page.locator("fieldset", has_text="Fill the fridge")
    first.get_by_label("Rating").select_option("1")
    first.get_by_label("Note").fill("Better than we expected.")
    page.locator("fieldset", has_text="Keep the apartment").get_by_label("Rating").select_option(
        "0"
    )
    _save(browsing)

    balance = page.get_by_role("region", name="Balance: important to and important for")
    expect(balance).to_contain_text("Only important for them — worth a conversation")
    expect(balance.get_by_role("link", name="Keep the apartment.")).to_be_visible()
    reviews = page.get_by_role("region", name="Reviews and progress")
    expect(reviews).to_contain_text("We have food most weeks now.")
    expect(reviews.get_by_role("img")).to_have_accessible_name(
        "GAS T-score at the one review so far, on "
        + formats.date_format(timezone.localdate())
        + ": 56 (50 is as expected)."
    )
    _screenshot(page, "plan")

    # The plan she keeps, printed in Spanish: written to her, in her words.
    choice = page.get_by_label("The plan they keep, in")
    expect(choice).to_have_value("en")  # no language of hers is recorded
    choice.select_option("es")
    form = page.locator("form", has=page.get_by_role("button", name="Print their plan"))
    printed = page.request.get(
        browsing.url(form.get_attribute("action") or "") + "?lang=" + choice.input_value()
    )
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in pypdf.PdfReader(io.BytesIO(printed.body())).pages
    )
    for words in ("Mi plan", "Mis metas", "Lo que haré", "A quién llamar", "Lupe"):
        assert words in text
    assert "Fill the fridge so the kids eat well." in text and "Guadalupe" not in text

    page.get_by_role("link", name="earlier versions").click()
    browsing.check()
    page.get_by_role("link", name="2", exact=True).click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Fill the fridge so the kids eat well.")
    expect(page.locator("main")).not_to_contain_text("Keep the apartment.")


def test_an_admin_keeps_the_programs_goal_templates(browsing, world):
    page = browsing.page
    browsing.sign_in(world.admin)
    browsing.goto(f"/manage/{world.org.pk}/plans/")
    page.get_by_role("link", name="0 of its own · Housing Navigation").click()
    browsing.check()
    page.get_by_label("Title").fill("A job I like")
    page.get_by_label("Life domain").select_option("employment")
    page.get_by_label("Usual steps, one a line").fill("Update the résumé\nVisit the job center")
    _save(browsing, "Save template")
    expect(page.get_by_role("status")).to_contain_text("Template “A job I like” saved.")
    page.get_by_role("link", name="A job I like (change)").click()
    browsing.check()
    expect(page.get_by_label("Offered when adding a goal")).to_be_checked()
