"""A whole intake in the browser: registering someone who may already be known, carrying
on with their record, a social-needs screening with a question the person would rather not
answer, and what the screening leaves on their record. Also the person's own view."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from alongside.intake import services
from alongside.intake.models import Answer, Need, ScreeningResponse, UrgentFlag
from alongside.people import services as people_services
from alongside.people.models import Person
from conftest import PASSWORD


@pytest.fixture
def instruments(db: Any) -> None:
    services.instruments_load()


def answer(page: Any, number: int, label: str) -> None:
    """Choose an answer on the staff page and wait until it is saved."""
    question = page.locator(f"#q{number}")
    question.get_by_label(label, exact=True).check()
    expect(page.locator(f"#saved-q{number}")).to_contain_text("Saved at")


def test_a_full_intake_from_registration_to_needs_and_an_urgent_flag(
    browsing: Any, world: Any, instruments: None
) -> None:
    page = browsing.page
    browsing.sign_in(world.coordinator)

    # Registering: the near-duplicate warning appears as details are typed.
    browsing.goto("/people/new/")
    page.get_by_label("Legal first name").fill("Guadalupe")
    page.get_by_label("Legal last name").fill("Hernandes")  # a typo, without the accent
    page.get_by_label("Date of birth").fill("1984-03-09")
    page.get_by_label("Pronouns").focus()
    warning = page.get_by_role("region", name="Is this someone you already know?")
    expect(warning).to_contain_text("Lupe Hernández")
    browsing.check()

    # It is the same person: carry on with her record instead of making a second one.
    warning.get_by_role("link", name="This is them: start their intake for Lupe Hernández").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Start a screening")
    browsing.check()
    page.get_by_label("Accountable Health Communities", exact=False).check()
    page.get_by_label("I will ask the questions and record the answers").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accountable Health")
    browsing.check()

    # The screening: each answer saves as it is chosen.
    answer(page, 1, "I have a steady place to live")
    answer(page, 2, "Often true")
    answer(page, 3, "Sometimes true")
    answer(page, 4, "Prefers not to answer")  # transportation: she would rather not say
    answer(page, 5, "No")
    for number, label in ((6, "Never"), (7, "Frequently"), (8, "Frequently"), (9, "Sometimes")):
        answer(page, number, label)
    response = ScreeningResponse.objects.get()
    assert response.answers.count() == 9  # saved before anything was submitted
    browsing.check()

    page.get_by_role("button", name="Finish screening").click()
    expect(page.get_by_role("heading", name="Urgent results from this screening")).to_be_visible()
    browsing.check()
    results = page.locator("main")
    # Each need by its one name and status, as on the person page (intake.wording).
    expect(results).to_contain_text("Food: may want help with having enough food May want help")
    expect(results).to_contain_text("Safety in relationships")
    expect(results).not_to_contain_text("Food insecurity")
    expect(results).to_contain_text("Prefers not to answer")

    response.refresh_from_db()
    assert response.is_completed
    assert response.answers.get(link_id="93030-5").state == Answer.State.DECLINED
    assert set(Need.objects.filter(person=world.person).values_list("kind", flat=True)) == {
        "food_insecurity",
        "unsafe_relationship",
    }
    assert UrgentFlag.objects.filter(person=world.person, acknowledged_at=None).count() == 1
    assert Person.objects.count() == 1  # no second record was made

    # The person's record shows what the screening found.
    page.get_by_role("link", name="Back to Lupe Hernández").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Interpersonal safety")


def test_a_new_person_answers_on_a_handed_over_device_in_spanish(
    browsing: Any, world: Any, instruments: None
) -> None:
    page = browsing.page
    person = world.person
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/intake/people/{person.pk}/start/")
    page.get_by_label("Hunger Vital Sign", exact=False).check()
    page.get_by_label("Language for the questions").select_option("es")
    page.get_by_label("Hand this device to the person to answer on their own").check()
    page.get_by_role("button", name="Start").click()

    # The person's view: one question at a time, large, in Spanish, keyboard-friendly.
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("Pregunta 1 de 2")).to_be_visible()
    browsing.check()
    page.get_by_role("button", name="Guardar y seguir").click()  # nothing chosen yet
    expect(page.get_by_role("alert")).to_contain_text("Por favor elija una respuesta")
    browsing.check()
    page.locator("fieldset input[type=radio]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form, as a keyboard user would
    expect(page.get_by_text("Pregunta 2 de 2")).to_be_visible()
    browsing.check()

    # Switching language keeps the answers.
    page.get_by_role("button", name="View in English").click()
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    browsing.check()
    page.get_by_label("I prefer not to answer").check()
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    browsing.check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    browsing.check()

    response = ScreeningResponse.objects.get()
    assert response.is_completed and response.mode == ScreeningResponse.Mode.PERSON
    assert [a.state for a in response.answers.order_by("id")] == ["answered", "declined"]

    # Staff take the device back with their password; until then it stays on the screening.
    browsing.goto("/people/")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    page.get_by_role("link", name="Hand the device back to staff").click()
    browsing.check()
    page.get_by_label("Staff password").fill("wrong")
    page.get_by_role("button", name="Hand back").click()
    expect(page.get_by_role("alert")).to_contain_text("not your password")
    browsing.check()
    page.get_by_label("Staff password").fill(PASSWORD)
    page.get_by_role("button", name="Hand back").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hunger Vital Sign")
    browsing.check()
    browsing.goto("/people/")  # the device is the staff member's again
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Thank you")


def test_typed_answers_save_while_typing(browsing: Any, world: Any, instruments: None) -> None:
    from alongside.intake.models import Instrument

    instrument = Instrument.objects.create(slug="in-your-words", title="In your words")
    version = services.instrument_version_create(
        actor=None,
        instrument=instrument,
        label="1",
        status="active",
        definition={
            "items": [
                {"link_id": "hopes", "text": "What are you hoping for?", "type": "text"},
                {"link_id": "nights", "text": "Nights slept outside", "type": "integer"},
            ]
        },
    )
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=version
    )
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto(f"/intake/screenings/{response.pk}/")
    page.get_by_label("Answer", exact=True).fill("A place near my kids' school")
    expect(page.locator("#saved-q1")).to_contain_text("Saved at")  # without leaving the box
    page.get_by_label("Answer (a number)").fill("3")
    expect(page.locator("#saved-q2")).to_contain_text("Saved at")
    browsing.check()
    saved = {a.link_id: a.value for a in response.answers.all()}
    assert saved == {"hopes": "A place near my kids' school", "nights": 3}


def test_the_person_answers_through_a_link_on_their_own_device(
    browsing: Any, world: Any, instruments: None
) -> None:
    from alongside.intake.models import InstrumentVersion

    hunger = InstrumentVersion.objects.get(instrument__slug="hunger-vital-sign", status="active")
    response = services.response_start(
        actor=world.coordinator,
        person=world.person,
        instrument_version=hunger,
        mode=ScreeningResponse.Mode.PERSON,
    )
    _, token = services.link_create(actor=world.coordinator, response=response)
    page = browsing.page  # no one is signed in: the link is all the person has
    browsing.goto(f"/intake/s/{token}/")
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    page.get_by_label("Often true").check()
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    browsing.check()
    page.get_by_label("Never true").check()
    page.get_by_role("button", name="Save and go on").click()
    browsing.check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    browsing.check()
    response.refresh_from_db()
    assert response.is_completed
    assert Need.objects.filter(person=world.person, kind="food_insecurity").exists()


def test_registration_takes_a_phone_email_and_identifier_and_checks_them(
    browsing: Any, world: Any
) -> None:
    people_services.identifier_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "medicaid", "issuer": "CO Medicaid", "value": "AB-123-456"},
    )
    page = browsing.page
    browsing.sign_in(world.coordinator)
    browsing.goto("/people/new/")

    def typed(field: Any, value: str, then: Any) -> None:
        """Fill a field the duplicate check reads and wait for the check's answer (the
        test server's database is one file that two writes at once find locked)."""
        field.fill(value)
        with page.expect_response(lambda r: "/matching/registration/" in r.url):
            then.focus()

    typed(page.get_by_label("Legal first name"), "Rosa", page.get_by_label("Legal last name"))
    typed(page.get_by_label("Legal last name"), "Quispe", page.get_by_label("Preferred name"))
    typed(page.get_by_label("Date of birth"), "1990-01-01", page.get_by_label("Pronouns"))
    typed(page.get_by_label("Phone number"), "12", page.get_by_label("Email address"))
    typed(page.get_by_label("Email address"), "rosa@example.org", page.get_by_label("Issued by"))
    page.get_by_label("Identifier type").select_option("medicaid")
    page.get_by_label("Issued by").fill("CO Medicaid")
    typed(page.locator("#id_identifier_value"), "ab 123 456", page.get_by_label("Issued by"))

    # Another name and birthday, but Lupe's Medicaid ID: she is shown, and why, first.
    warning = page.get_by_role("region", name="Is this someone you already know?")
    expect(warning.get_by_role("link", name="Lupe Hernández", exact=True)).to_be_visible()
    expect(warning.locator("strong.evidence")).to_have_text("same identifier (Medicaid ID)")
    browsing.check()

    # Not her (a typo in the ID): the phone is wrong too, and the form says so.
    typed(page.locator("#id_identifier_value"), "AB-123-457", page.get_by_label("Issued by"))
    expect(warning).to_have_count(0)
    page.get_by_label("Program").select_option(str(world.housing.pk))
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid phone number")
    browsing.check()
    typed(page.get_by_label("Phone number"), "(720) 555-0187", page.get_by_label("Email address"))
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Quispe")
    browsing.check()
    main = page.locator("main")
    expect(main).to_contain_text("(720) 555-0187")
    expect(main).to_contain_text("No text messages")
    expect(main).to_contain_text("rosa@example.org")
    expect(main).to_contain_text("Medicaid ID: AB-123-457")
