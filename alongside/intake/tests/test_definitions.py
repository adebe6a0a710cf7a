"""The definition format: malformed definitions are refused with messages that say what
and where; the shipped instruments load once and refuse silent edits."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from alongside.intake import services
from alongside.intake.definitions import Given, is_enabled, validate_definition
from alongside.intake.models import Instrument, InstrumentVersion
from alongside.intake.tests.test_scoring import INSTRUMENTS

GOOD: dict[str, Any] = {
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
    ],
    "scores": [
        {"name": "total", "items": ["q1", "q2"], "bands": [{"min": 0, "max": 6, "label": "x"}]}
    ],
    "needs": [{"kind": "transportation", "any": [{"item": "q1", "codes": ["b"]}]}],
    "urgent": [{"reason": "r", "guidance": "g", "any": [{"score": "total", "at_least": 5}]}],
}


def broken(change: Any) -> list[str]:
    data = copy.deepcopy(GOOD)
    change(data)
    return validate_definition(data)


@pytest.mark.parametrize("path", sorted(INSTRUMENTS.glob("*.json")), ids=lambda p: p.stem)
def test_it_accepts_every_shipped_definition(path: Path) -> None:
    assert validate_definition(json.loads(path.read_text())["definition"]) == []


def test_it_accepts_a_minimal_definition() -> None:
    assert validate_definition(GOOD) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(items=[]), "non-empty list of 'items'"),
        (lambda d: d["items"][0].pop("link_id"), "items[0] needs a 'link_id'"),
        (lambda d: d["items"][1].update(link_id="q1"), "item 'q1': link_id is used by more"),
        (lambda d: d["items"][0].update(text=" "), "item 'q1' needs a 'text'"),
        (lambda d: d["items"][0].update(type="slider"), "item 'q1': type 'slider' is not one"),
        (lambda d: d["items"][0].update(options=[]), "item 'q1': a choice item needs 'options'"),
        (
            lambda d: d["items"][0]["options"][1].update(code="a"),
            "item 'q1' option 2: code 'a' appears twice",
        ),
        (
            lambda d: d["items"][0]["options"][0].update(value="zero"),
            "item 'q1' option 1: 'value' must be a whole number",
        ),
        (lambda d: d["items"][1].update(max="5"), "item 'q2': 'max' must be a whole number"),
        (
            lambda d: d["items"][0].update(
                enable_when=[{"question": "q2", "operator": "=", "answer": 1}]
            ),
            "item 'q1': enable_when refers to 'q2', which is not an earlier item",
        ),
        (
            lambda d: d["items"][1].update(
                enable_when=[{"question": "q1", "operator": "~", "answer": "a"}]
            ),
            "item 'q2': enable_when operator '~' is not known",
        ),
        (
            lambda d: d.update(allow_decline=False) or d["items"][0].update(allow_decline=True),
            "item 'q1': the instrument forbids declining",
        ),
        (lambda d: d["scores"][0].update(items=["q9"]), "score 'total' adds up 'q9', which is not"),
        (
            lambda d: d["items"][0]["options"][0].pop("value"),
            "score 'total' adds up 'q1', but not all its options have a value",
        ),
        (
            lambda d: d["scores"][0]["bands"].append({"min": 8, "max": 9, "label": "high"}),
            "band 2 (high) starts at 8; bands must follow on from 6",
        ),
        (lambda d: d["needs"][0].update(kind="loneliness"), "needs[0]: unknown need kind"),
        (
            lambda d: d["needs"][0].update(any=[{"item": "q1", "codes": ["z"]}]),
            "needs[0]: item 'q1' has no option 'z'",
        ),
        (lambda d: d["urgent"][0].update(guidance=""), "urgent[0] needs a 'guidance' text"),
        (
            lambda d: d["urgent"][0].update(any=[{"score": "nope", "at_least": 1}]),
            "urgent[0] refers to score 'nope', not defined",
        ),
    ],
)
def test_it_rejects_malformed_definitions_naming_the_problem(change: Any, message: str) -> None:
    problems = broken(change)
    assert any(message in p for p in problems), problems


def test_it_rejects_a_definition_that_is_not_an_object() -> None:
    assert validate_definition(["items"]) == ["The definition must be a JSON object."]


def test_it_refuses_to_save_an_invalid_version(world: Any) -> None:
    instrument = Instrument.objects.create(slug="bad", title="Bad")
    with pytest.raises(ValidationError, match="needs a 'text'"):
        services.instrument_version_create(
            actor=world.admin,
            instrument=instrument,
            label="1",
            definition={"items": [{"link_id": "q", "type": "text"}]},
        )


def test_it_loads_the_shipped_instruments_once(db: Any, capsys: Any) -> None:
    call_command("load_instruments")
    call_command("load_instruments")
    output = capsys.readouterr().out
    assert output.count(": loaded") == 6 and output.count("already loaded") == 6
    assert InstrumentVersion.objects.filter(status="active").count() == 6
    phq9 = Instrument.objects.get(slug="phq-9")
    shipped = json.loads((INSTRUMENTS / "phq-9.json").read_text())["version"]
    assert (phq9.code, phq9.versions.get().label) == ("44249-1", shipped)


def test_it_refuses_to_change_a_loaded_version_in_place(db: Any, tmp_path: Path) -> None:
    source = json.loads((INSTRUMENTS / "phq-2.json").read_text())
    loaded = source["version"]
    (tmp_path / "phq-2.json").write_text(json.dumps(source))
    services.instruments_load(directory=tmp_path)
    source["definition"]["items"][0]["text"] = "Changed"
    (tmp_path / "phq-2.json").write_text(json.dumps(source))
    with pytest.raises(ValidationError, match="new version label"):
        services.instruments_load(directory=tmp_path)
    source["version"] = "next"
    (tmp_path / "phq-2.json").write_text(json.dumps(source))
    services.instruments_load(directory=tmp_path)
    statuses = dict(InstrumentVersion.objects.values_list("label", "status"))
    assert statuses == {loaded: "retired", "next": "active"}


@pytest.mark.parametrize(
    ("operator", "answer", "given", "enabled"),
    [
        ("=", "a", "a", True),
        ("!=", "a", "a", False),
        (">", 3, 4, True),
        (">=", 3, 3, True),
        ("<", 3, 3, False),
        ("<=", 3, 3, True),
        (">", 3, "a", False),
        ("exists", True, 1, True),
        ("exists", False, None, True),
    ],
)
def test_it_applies_skip_logic_operators(
    operator: str, answer: Any, given: Any, enabled: bool
) -> None:
    entry = {"enable_when": [{"question": "q", "operator": operator, "answer": answer}]}
    answers = {} if given is None else {"q": Given(given)}
    assert is_enabled(entry, answers) is enabled


def test_it_never_enables_on_a_declined_answer_and_combines_with_any() -> None:
    conditions = [
        {"question": "q", "operator": "=", "answer": "a"},
        {"question": "r", "operator": "=", "answer": "b"},
    ]
    answers = {"q": Given(declined=True), "r": Given("b")}
    assert is_enabled({"enable_when": conditions}, answers) is False
    assert is_enabled({"enable_when": conditions, "enable_behavior": "any"}, answers) is True


def test_it_refuses_to_send_a_published_version_back_to_draft(instruments: Any, world: Any) -> None:
    with pytest.raises(ValidationError, match="cannot go back to draft"):
        services.instrument_version_set_status(
            actor=world.admin, version=instruments["phq-2"], status="draft"
        )
