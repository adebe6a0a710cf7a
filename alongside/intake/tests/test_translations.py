"""Translations of an instrument: their validation, how a definition reads in another
language, the Spanish shipped with every instrument, and upgrading an install that loaded
the instruments before they had translations."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from alongside.intake import definitions, fhir, selectors, services
from alongside.intake.definitions import languages, localized, normalize, validate_definition
from alongside.intake.models import Instrument, InstrumentVersion, ScreeningResponse
from alongside.intake.tests.test_scoring import INSTRUMENTS

TRANSLATED: dict[str, Any] = {
    "items": [
        {
            "link_id": "q1",
            "text": "How often?",
            "type": "choice",
            "options": [
                {"code": "a", "display": "Never", "value": 0},
                {"code": "b", "display": "Often", "value": 1},
            ],
        },
        {"link_id": "q2", "text": "How many?", "type": "integer", "min": 0, "max": 5},
        {"link_id": "q3", "text": "Anything else?", "type": "text"},
    ],
    "translations": {
        "es": {
            "title": "Prueba",
            "items": {
                "q1": {"text": "¿Con qué frecuencia?", "options": {"a": "Nunca"}},
                "q2": {"text": "¿Cuántos?"},
            },
        }
    },
}
SHIPPED = sorted(INSTRUMENTS.glob("*.json"))


def broken(change: Any) -> list[str]:
    data = copy.deepcopy(TRANSLATED)
    change(data)
    return validate_definition(data)


def es(data: dict[str, Any]) -> dict[str, Any]:
    return data["translations"]["es"]


def test_it_accepts_a_partial_translation() -> None:
    assert validate_definition(TRANSLATED) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(translations=["es"]), "'translations' must be an object"),
        (
            lambda d: d["translations"].update(en={"title": "Test"}),
            "translations 'en': English is the language the definition is written in",
        ),
        (
            lambda d: d["translations"].update(fr={"title": "Essai"}),
            "translations 'fr': not a language Alongside can show; use one of es",
        ),
        (lambda d: d["translations"].update(es="Prueba"), "translations 'es' must be an object"),
        (lambda d: es(d).update(titulo="Prueba"), "translations 'es': unknown key 'titulo'"),
        (lambda d: es(d).update(title=" "), "translations 'es': 'title' must be a non-empty text"),
        (lambda d: es(d).update(title=3), "translations 'es': 'title' must be a non-empty text"),
        (
            lambda d: es(d).update(items=["q1"]),
            "translations 'es': 'items' must be an object keyed by link_id",
        ),
        (
            lambda d: d["translations"].update(es={"items": {}}),
            "translations 'es' translates nothing",
        ),
        (
            lambda d: es(d)["items"].update(q9={"text": "¿Qué?"}),
            "translations 'es' item 'q9': not an item of this definition",
        ),
        (
            lambda d: es(d)["items"].update(q3="Nada"),
            "translations 'es' item 'q3' must be an object",
        ),
        (
            lambda d: es(d)["items"].update(q3={"txt": "¿Algo más?"}),
            "translations 'es' item 'q3': unknown key 'txt'",
        ),
        (
            lambda d: es(d)["items"].update(q3={"text": ""}),
            "translations 'es' item 'q3': 'text' must be a non-empty text",
        ),
        (
            lambda d: es(d)["items"].update(q3={}),
            "translations 'es' item 'q3' translates nothing",
        ),
        (
            lambda d: es(d)["items"]["q1"].update(options=["Nunca"]),
            "translations 'es' item 'q1': 'options' must be an object keyed by option code",
        ),
        (
            lambda d: es(d)["items"]["q1"]["options"].update({"LA1": "Siempre"}),
            "translations 'es' item 'q1': option 'LA1' is not an option of this item",
        ),
        (
            lambda d: es(d)["items"]["q2"].update(options={"a": "Nunca"}),
            "translations 'es' item 'q2': option 'a' is not an option of this item",
        ),
        (
            lambda d: es(d)["items"]["q1"]["options"].update(b=" "),
            "translations 'es' item 'q1': option 'b' must be a non-empty text",
        ),
    ],
)
def test_it_rejects_malformed_translations_naming_the_problem(change: Any, message: str) -> None:
    problems = broken(change)
    assert any(message in p for p in problems), problems


def test_it_lists_english_first_then_the_translations() -> None:
    assert languages(TRANSLATED) == ["en", "es"]
    assert languages({"items": []}) == ["en"]


def test_it_localizes_texts_and_falls_back_to_english_where_untranslated() -> None:
    local = localized(TRANSLATED, "es")
    assert [i["text"] for i in local["items"]] == [
        "¿Con qué frecuencia?",
        "¿Cuántos?",
        "Anything else?",
    ]
    assert [o["display"] for o in local["items"][0]["options"]] == ["Nunca", "Often"]


def test_it_leaves_codes_values_and_rules_alone_when_localizing() -> None:
    local = localized(TRANSLATED, "es")
    strip = ("text", "options")
    for mine, original in zip(local["items"], TRANSLATED["items"], strict=True):
        assert {k: v for k, v in mine.items() if k not in strip} == {
            k: v for k, v in original.items() if k not in strip
        }
        assert [(o["code"], o["value"]) for o in mine["options"]] == [
            (o["code"], o["value"]) for o in original.get("options", [])
        ]
    assert localized(TRANSLATED, "en")["items"] == TRANSLATED["items"]
    assert localized(TRANSLATED, "fr")["items"] == TRANSLATED["items"]
    assert TRANSLATED["items"][0]["text"] == "How often?"  # the original is untouched


def test_it_normalizes_translations_so_equal_meanings_compare_equal() -> None:
    padded = copy.deepcopy(TRANSLATED)
    assert normalize(padded)["translations"] == {
        "es": {
            "title": "Prueba",
            "validated": False,  # unsaid is not validated
            "items": {
                "q1": {"text": "¿Con qué frecuencia?", "options": {"a": "Nunca"}},
                "q2": {"text": "¿Cuántos?"},
            },
        }
    }
    assert normalize({"items": []})["translations"] == {}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_instrument_is_fully_translated_into_spanish(path: Path) -> None:
    definition = json.loads(path.read_text())["definition"]
    spanish = definition["translations"]["es"]
    assert spanish["title"].strip()
    for entry in definition["items"]:
        own = spanish["items"][entry["link_id"]]
        assert own["text"].strip() and own["text"] != entry["text"]
        assert set(own.get("options", {})) == {o["code"] for o in entry.get("options", [])}
    local = localized(definition, "es")
    assert definitions.score(local, {}) == definitions.score(definition, {})


def old_file(path: Path) -> dict[str, Any]:
    """The shipped file as it was before it carried translations: version 1."""
    data = json.loads(path.read_text())
    data["version"] = "1"
    data["definition"].pop("translations")
    return data


def test_it_upgrades_an_install_that_loaded_the_untranslated_versions(
    world: Any, tmp_path: Path
) -> None:
    for path in SHIPPED:
        (tmp_path / path.name).write_text(json.dumps(old_file(path)))
    services.instruments_load(directory=tmp_path)
    old = InstrumentVersion.objects.get(instrument__slug="phq-2", label="1")
    actor = world.coordinator
    done = services.response_start(actor=actor, person=world.person, instrument_version=old)
    for link_id in ("44250-9", "44255-8"):
        done = services.answer_save(
            actor=actor,
            response=done,
            link_id=link_id,
            value="LA6571-9",
            expected_version=done.version,
        )
    done = services.response_complete(actor=actor, response=done, expected_version=done.version)
    draft = services.response_start(actor=actor, person=world.person, instrument_version=old)

    assert all(line.endswith(": loaded") for line in services.instruments_load())
    assert all(line.endswith("already loaded") for line in services.instruments_load())

    for path in SHIPPED:
        data = json.loads(path.read_text())
        statuses = dict(
            InstrumentVersion.objects.filter(instrument__slug=data["slug"]).values_list(
                "label", "status"
            )
        )
        assert statuses == {"1": "retired", data["version"]: "active"}
    assert Instrument.objects.count() == len(SHIPPED)

    shown = selectors.response_detail(actor, done.pk)
    assert shown.instrument_version == old and shown.language == "en"
    assert [(s.name, s.value, s.band) for s in shown.scores.all()] == [("total", 6, "positive")]
    assert [a.link_id for a in selectors.answers_for(actor, shown)] == ["44250-9", "44255-8"]
    assert fhir.questionnaire_response(shown)["questionnaire"].endswith("/phq-2|1")

    for link_id in ("44250-9", "44255-8"):
        draft = services.answer_save(
            actor=actor,
            response=draft,
            link_id=link_id,
            value="LA6568-5",
            expected_version=draft.version,
        )
    draft = services.response_complete(actor=actor, response=draft, expected_version=draft.version)
    assert [(s.value, s.band) for s in draft.scores.all()] == [(0, "negative")]


def test_load_instruments_stays_idempotent_with_translations(db: Any, capsys: Any) -> None:
    call_command("load_instruments")
    call_command("load_instruments")
    output = capsys.readouterr().out
    assert output.count(": loaded") == len(SHIPPED)
    assert output.count("already loaded") == len(SHIPPED)
    for version in InstrumentVersion.objects.all():
        assert languages(version.definition) == ["en", "es"]


def test_a_person_can_be_asked_in_spanish_and_scores_the_same(
    world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    version = instruments["phq-2"]
    response = services.response_start(
        actor=world.coordinator,
        person=world.person,
        instrument_version=version,
        language=ScreeningResponse.Language.SPANISH,
    )
    local = localized(response.definition, response.language)
    assert local["items"][0]["text"].startswith("Durante las últimas 2 semanas")
    assert [o["display"] for o in local["items"][0]["options"]][0] == "Ningún día"
    for link_id in ("44250-9", "44255-8"):
        response = services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id=link_id,
            value="LA6570-1",
            expected_version=response.version,
        )
    response = services.response_complete(
        actor=world.coordinator, response=response, expected_version=response.version
    )
    assert [(s.value, s.band) for s in response.scores.all()] == [(4, "positive")]
