"""A translation that is not the authors' published wording: staff are told so wherever
it is offered; a person answering on their own is shown it only if their organization
allows unvalidated translations, and otherwise gets the questions in English with a note
in their language saying why (intake/translation_gate.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from alongside.intake import definitions, drafting, fhir, selectors, services
from alongside.intake.definitions import Given, validate_definition
from alongside.intake.models import InstrumentVersion, ScreeningResponse
from alongside.intake.tests.test_fill_views import draft, make_link
from alongside.organizations.models import Organization

PERSON = ScreeningResponse.Mode.PERSON
HVS = "hunger-vital-sign"  # a shipped instrument whose Spanish is not validated
INSTRUMENTS = Path(definitions.__file__).parent / "instruments"
REFUSED = "is not its authors' validated translation"
NOTE_ES = "Estas preguntas se muestran en inglés"


@pytest.fixture
def staff(client: Client, world: Any) -> Client:
    client.force_login(world.coordinator)
    return client


def allow(world: Any, allowed: bool = True) -> None:
    Organization.objects.filter(pk=world.person.organization_id).update(
        allow_unvalidated_translations=allowed
    )


def test_the_definition_format_says_whether_a_translation_is_validated() -> None:
    definition = json.loads((INSTRUMENTS / "phq-9.json").read_text())["definition"]
    assert definitions.translation_validated(definition, "es")
    assert definitions.translation_validated(definition, "en")
    bad = copy.deepcopy(definition)
    bad["translations"]["es"]["validated"] = "yes"
    assert validate_definition(bad) == ["translations 'es': 'validated' must be true or false."]
    del bad["translations"]["es"]["validated"]
    assert validate_definition(bad) == []
    assert not definitions.translation_validated(bad, "es")  # unsaid is not validated


def test_fhir_carries_which_translations_are_validated(
    instruments: dict[str, InstrumentVersion],
) -> None:
    validated = fhir.questionnaire(instruments["phq-9"])
    marks = [e for e in validated["extension"] if e["url"] == fhir.EXT_VALIDATED_TRANSLATION]
    assert marks == [{"url": fhir.EXT_VALIDATED_TRANSLATION, "valueCode": "es"}]
    assert fhir.definition_from_questionnaire(validated)["translations"]["es"]["validated"]
    unvalidated = fhir.questionnaire(instruments[HVS])
    assert fhir.EXT_VALIDATED_TRANSLATION not in {e["url"] for e in unvalidated["extension"]}
    back = fhir.definition_from_questionnaire(unvalidated)
    assert back["translations"]["es"]["validated"] is False


def test_editing_a_translation_in_the_builder_makes_it_unvalidated(
    instruments: dict[str, InstrumentVersion],
) -> None:
    edited = drafting.set_title(instruments["phq-9"].definition, "Mi cuestionario")
    assert not definitions.translation_validated(edited, "es")
    assert validate_definition(edited) == []


def test_a_person_is_not_handed_an_unvalidated_translation_unless_the_organization_allows(
    world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    with pytest.raises(ValidationError, match=REFUSED):
        draft(world, instruments[HVS], mode=PERSON, language="es")
    assert not ScreeningResponse.objects.exists()
    # Staff asking may use it (they can explain a question); English is always offered.
    assert draft(world, instruments[HVS], language="es").language == "es"
    assert draft(world, instruments[HVS], mode=PERSON, language="en").language == "en"
    # A validated translation is offered to the person whatever the setting.
    assert draft(world, instruments["phq-2"], mode=PERSON, language="es").language == "es"
    allow(world)
    assert draft(world, instruments[HVS], mode=PERSON, language="es").language == "es"


def test_the_person_cannot_switch_to_an_unvalidated_translation(
    world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments[HVS], mode=PERSON, language="en")
    with pytest.raises(ValidationError, match=REFUSED):
        services.response_set_language(actor=world.coordinator, response=response, language="es")
    response.refresh_from_db()
    assert response.language == "en"


def test_the_start_page_says_which_translations_are_not_validated(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    page = staff.get(reverse("intake:start", args=[world.person.pk])).content.decode()
    assert "Hunger Vital Sign (Spanish: translation not validated)" in page
    assert "(PHQ-9) (Spanish" not in page
    reply = staff.post(
        reverse("intake:start", args=[world.person.pk]),
        {"instrument": instruments[HVS].pk, "language": "es", "who": "link"},
    )
    assert reply.status_code == 422
    assert "Ask the questions yourself (you can explain them), or choose English." in (
        reply.content.decode()
    )
    assert not ScreeningResponse.objects.exists()


def test_staff_pages_say_the_translation_is_not_validated_and_what_the_person_will_see(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments[HVS], language="es")
    page = staff.get(reverse("intake:response", args=[response.pk])).content.decode()
    assert "<strong>Spanish: translation not validated</strong>" in page
    assert "will see the questions in English" in page
    link_page = staff.post(reverse("intake:link-create", args=[response.pk])).content.decode()
    assert "<strong>Spanish: translation not validated</strong>" in link_page
    assert "will see the questions in English" in link_page
    allow(world)
    page = staff.get(reverse("intake:response", args=[response.pk])).content.decode()
    assert "Spanish: translation not validated" in page
    assert "will see the questions in English" not in page
    validated = draft(world, instruments["phq-9"], language="es")
    page = staff.get(reverse("intake:response", args=[validated.pk])).content.decode()
    assert "translation not validated" not in page


def test_the_persons_view_shows_an_unvalidated_translation_in_english_with_a_note(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    # Asked in Spanish by staff, then handed to the person through a link.
    response = draft(world, instruments[HVS], language="es")
    url = make_link(staff, response)
    page = Client().get(url).content.decode()
    assert '<html lang="es">' in page and NOTE_ES in page
    assert "we worried whether our food would run out" in page
    assert "nos preocupó" not in page
    assert "Ver en español" not in page  # Spanish is not offered to switch to
    allow(world)
    page = Client().get(url).content.decode()
    assert NOTE_ES not in page and "nos preocupó" in page


def test_a_translation_change_is_a_new_version_and_answers_on_the_old_one_keep_scoring(
    world: Any, tmp_path: Path
) -> None:
    """Version 2 of every shipped file did not say whether its Spanish was validated;
    loading version 3 retires it, and what was answered on it stays as it was."""
    for path in INSTRUMENTS.glob("*.json"):
        data = json.loads(path.read_text())
        data["version"] = "2"
        data["definition"]["translations"]["es"].pop("validated")
        (tmp_path / path.name).write_text(json.dumps(data))
    services.instruments_load(directory=tmp_path)
    old = InstrumentVersion.objects.get(instrument__slug=HVS, label="2")
    actor = world.coordinator
    done = services.response_record(
        actor=actor,
        person=world.person,
        instrument_version=old,
        answers={"88122-7": Given(value="LA6729-3"), "88123-5": Given(value="LA28398-8")},
        language="es",
    )

    assert all(line.endswith(": loaded") for line in services.instruments_load())
    statuses = dict(
        InstrumentVersion.objects.filter(instrument__slug=HVS).values_list("label", "status")
    )
    assert statuses == {"2": "retired", "3": "active"}
    shown = selectors.response_detail(actor, done.pk)
    assert shown.instrument_version == old and shown.language == "es"
    assert [n.kind for n in shown.needs.all()] == ["food_insecurity"]
    assert [a.link_id for a in selectors.answers_for(actor, shown)] == ["88122-7", "88123-5"]
