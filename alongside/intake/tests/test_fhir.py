"""FHIR R4 Questionnaire and QuestionnaireResponse, validated with fhir.resources and
round-tripped for every shipped instrument."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from alongside.intake import definitions, fhir
from alongside.intake.models import InstrumentVersion
from alongside.intake.tests.conftest import DECLINE, Screen
from alongside.intake.tests.test_responses import SKIP_LOGIC, custom

SLUGS = ["ahc-hrsn-core", "gad-7", "hunger-vital-sign", "phq-2", "phq-9", "readiness-ruler"]


@pytest.mark.parametrize("slug", SLUGS)
def test_it_round_trips_every_shipped_questionnaire(
    instruments: dict[str, InstrumentVersion], slug: str
) -> None:
    version = instruments[slug]
    exported = fhir.questionnaire(version)
    assert exported["resourceType"] == "Questionnaire"
    assert exported["version"] == version.label and exported["status"] == "active"
    back = fhir.definition_from_questionnaire(exported)
    assert back == definitions.normalize(version.definition)
    assert back["translations"]["es"]["title"] == _content(exported["_title"])["es"]
    assert set(back["translations"]["es"]["items"]) == {i["linkId"] for i in exported["item"]}


def _content(element: dict[str, Any]) -> dict[str, str]:
    """{lang: content} from a primitive's translation extensions."""
    found = {}
    for extension in element["extension"]:
        assert extension["url"] == fhir.TRANSLATION
        parts = {e["url"]: e for e in extension["extension"]}
        found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


def test_it_exports_translations_in_the_standard_extension(
    instruments: dict[str, InstrumentVersion],
) -> None:
    exported = fhir.questionnaire(instruments["phq-9"])
    assert exported["language"] == "en"
    assert _content(exported["_title"]) == {
        "es": "Cuestionario sobre la salud del paciente-9 (PHQ-9)"
    }
    first = exported["item"][0]
    assert _content(first["_text"])["es"].endswith("Poco interés o placer en hacer cosas")
    displays = [
        (o["valueCoding"]["display"], _content(o["valueCoding"]["_display"])["es"])
        for o in first["answerOption"]
    ]
    assert displays[0] == ("Not at all", "Ningún día")
    # Validated by fhir.resources as primitive extensions, not dropped as unknown keys.
    parsed = Questionnaire.model_validate(exported)
    assert parsed.title__ext is not None and parsed.item
    assert parsed.item[0].text__ext is not None


def test_it_carries_loinc_codes_and_ordinal_values(
    instruments: dict[str, InstrumentVersion],
) -> None:
    exported = fhir.questionnaire(instruments["phq-9"])
    assert exported["code"] == [
        {"system": "http://loinc.org", "code": "44249-1", "display": exported["code"][0]["display"]}
    ]
    item_nine = exported["item"][8]
    assert item_nine["linkId"] == "44260-8" and item_nine["code"][0]["code"] == "44260-8"
    options = [
        (o["valueCoding"]["code"], o["extension"][0]["valueDecimal"])
        for o in item_nine["answerOption"]
    ]
    assert options == [("LA6568-5", 0), ("LA6569-3", 1), ("LA6570-1", 2), ("LA6571-9", 3)]


def test_it_round_trips_skip_logic(world: Any) -> None:
    version = custom(world, SKIP_LOGIC)
    exported = fhir.questionnaire(version)
    assert exported["item"][1]["enableWhen"] == [
        {"question": "has-car", "operator": "=", "answerBoolean": True}
    ]
    assert fhir.definition_from_questionnaire(exported) == definitions.normalize(SKIP_LOGIC)


@pytest.mark.parametrize("slug", SLUGS)
def test_it_round_trips_a_response_for_every_shipped_instrument(
    screen: Screen, instruments: dict[str, InstrumentVersion], slug: str
) -> None:
    items = instruments[slug].definition["items"]
    answers: dict[str, Any] = {}
    for position, entry in enumerate(items):
        if position == 0:
            answers[entry["link_id"]] = DECLINE
        elif entry["type"] == "choice":
            answers[entry["link_id"]] = entry["options"][-1]["code"]
        else:
            answers[entry["link_id"]] = 7
    response = screen(slug, answers)
    exported = fhir.questionnaire_response(response)
    assert exported["status"] == "completed"
    assert exported["subject"] == {"reference": f"Patient/{response.person_id}"}
    label = instruments[slug].label
    assert exported["questionnaire"].endswith(f"/fhir/Questionnaire/{slug}|{label}")
    back = fhir.answers_from_questionnaire_response(exported)
    stored = {a.link_id: {"state": a.state, "value": a.value} for a in response.answers.all()}
    assert back == stored
    assert back[items[0]["link_id"]] == {"state": "declined", "value": None}


def test_it_marks_declined_and_skipped_items_as_absent_not_answered(world: Any) -> None:
    from alongside.intake import services

    version = custom(world, SKIP_LOGIC)
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=version
    )
    response = services.answer_save(
        actor=world.coordinator,
        response=response,
        link_id="has-car",
        declined=True,
        expected_version=response.version,
    )
    response = services.response_complete(
        actor=world.coordinator, response=response, expected_version=response.version
    )
    items = {i["linkId"]: i for i in fhir.questionnaire_response(response)["item"]}
    assert "answer" not in items["has-car"] and "answer" not in items["notes"]
    assert items["has-car"]["extension"][0]["valueCode"] == "asked-declined"
    assert items["notes"]["extension"][0]["valueCode"] == "asked-unknown"


def test_it_rejects_an_invalid_questionnaire() -> None:
    with pytest.raises(fhir.FhirImportError, match="status is draft, active, retired or unknown"):
        fhir.definition_from_questionnaire({"resourceType": "Questionnaire", "status": "nope"})


def test_it_rejects_a_questionnaire_whose_rules_do_not_validate(
    instruments: dict[str, InstrumentVersion],
) -> None:
    exported = fhir.questionnaire(instruments["phq-2"])
    exported["item"][1]["linkId"] = exported["item"][0]["linkId"]
    with pytest.raises(fhir.FhirImportError, match="used by more than one item"):
        fhir.definition_from_questionnaire(exported)


def test_it_imports_a_plain_questionnaire_without_alongside_extensions() -> None:
    plain = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {"linkId": "mood", "text": "How is your mood?", "type": "string"},
            {
                "linkId": "sleep",
                "text": "Do you sleep well?",
                "type": "boolean",
                "required": True,
            },
        ],
    }
    definition = fhir.definition_from_questionnaire(plain)
    assert [(i["link_id"], i["type"], i["allow_decline"]) for i in definition["items"]] == [
        ("mood", "text", True),
        ("sleep", "boolean", True),
    ]


def _translation(language: str, text: str) -> dict[str, Any]:
    return {
        "url": "http://hl7.org/fhir/StructureDefinition/translation",
        "extension": [
            {"url": "lang", "valueCode": language},
            {"url": "content", "valueString": text},
        ],
    }


def test_it_imports_translations_from_a_questionnaire_made_elsewhere() -> None:
    made_elsewhere = {
        "resourceType": "Questionnaire",
        "status": "active",
        "title": "Food",
        "_title": {
            "extension": [_translation("es-US", "Comida"), _translation("fr", "Nourriture")]
        },
        "item": [
            {
                "linkId": "worry",
                "text": "Did you worry about food?",
                "_text": {
                    "extension": [
                        {"url": "http://example.org/other", "valueString": "ignored"},
                        _translation("es", "¿Le preocupó la comida?"),
                    ]
                },
                "type": "choice",
                "answerOption": [
                    {
                        "valueCoding": {
                            "system": "http://loinc.org",
                            "code": "LA33-6",
                            "display": "Yes",
                            "_display": {"extension": [_translation("es", "Sí")]},
                        }
                    },
                    {
                        "valueCoding": {
                            "system": "http://loinc.org",
                            "code": "LA32-8",
                            "display": "No",
                        }
                    },
                ],
            },
            {"linkId": "notes", "text": "Anything else?", "type": "string"},
        ],
    }
    definition = fhir.definition_from_questionnaire(made_elsewhere)
    assert definition["translations"] == {
        "es": {
            "title": "Comida",
            "items": {"worry": {"text": "¿Le preocupó la comida?", "options": {"LA33-6": "Sí"}}},
            # Nothing says this wording is a published, validated one.
            "validated": False,
        }
    }
    spanish = definitions.localized(definition, "es")
    assert [o["display"] for o in spanish["items"][0]["options"]] == ["Sí", "No"]
    assert spanish["items"][1]["text"] == "Anything else?"


def test_it_refuses_a_translation_of_an_empty_text() -> None:
    bad = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {
                "linkId": "q",
                "text": "Question?",
                "_text": {"extension": [_translation("es", " ")]},
                "type": "string",
            }
        ],
    }
    with pytest.raises(fhir.FhirImportError, match="translations 'es' item 'q'"):
        fhir.definition_from_questionnaire(bad)
