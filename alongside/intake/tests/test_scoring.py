"""Published scoring at every band boundary, from the shipped definitions themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alongside.intake.definitions import Given, score

INSTRUMENTS = Path(__file__).resolve().parent.parent / "instruments"
PHQ = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]  # 0..3
SAFETY = ["LA6270-8", "LA10066-1", "LA10082-8", "LA16644-9", "LA6482-9"]  # 1..5
SAFETY_ITEMS = ["95618-5", "95617-7", "95616-9", "95615-1"]
OFTEN, SOMETIMES, NEVER = "LA28397-0", "LA6729-3", "LA28398-8"


def definition(slug: str) -> dict[str, Any]:
    return dict(json.loads((INSTRUMENTS / f"{slug}.json").read_text())["definition"])


def spread(link_ids: list[str], total: int, codes: list[str], base: int = 0) -> dict[str, Given]:
    """Answers adding up to `total`, filling items in order with the highest value."""
    top = len(codes) - 1 + base
    answers = {}
    remaining = total - base * len(link_ids)
    for link_id in link_ids:
        value = min(top - base, remaining)
        remaining -= value
        answers[link_id] = Given(codes[value])
    assert remaining == 0
    return answers


def items(slug: str) -> list[str]:
    return [i["link_id"] for i in definition(slug)["items"]]


@pytest.mark.parametrize(
    ("total", "band", "positive"),
    [(0, "negative", False), (2, "negative", False), (3, "positive", True), (6, "positive", True)],
)
def test_it_scores_phq2_at_its_cut_point(total: int, band: str, positive: bool) -> None:
    outcome = score(definition("phq-2"), spread(items("phq-2"), total, PHQ))
    assert (outcome.scores["total"].value, outcome.scores["total"].band) == (total, band)
    assert ("depression" in outcome.needs) is positive


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_it_scores_phq9_at_every_band_boundary(total: int, band: str) -> None:
    outcome = score(definition("phq-9"), spread(items("phq-9"), total, PHQ))
    assert (outcome.scores["total"].value, outcome.scores["total"].band) == (total, band)
    assert ("depression" in outcome.needs) is (total >= 10)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_it_scores_gad7_at_every_band_boundary(total: int, band: str) -> None:
    outcome = score(definition("gad-7"), spread(items("gad-7"), total, PHQ))
    assert (outcome.scores["total"].value, outcome.scores["total"].band) == (total, band)
    assert ("anxiety" in outcome.needs) is (total >= 10)
    assert outcome.urgent == []


@pytest.mark.parametrize("item_nine", [1, 2, 3])
def test_it_flags_any_positive_answer_to_phq9_item_nine(item_nine: int) -> None:
    answers = {link_id: Given(PHQ[0]) for link_id in items("phq-9")}
    answers["44260-8"] = Given(PHQ[item_nine])
    outcome = score(definition("phq-9"), answers)
    assert outcome.scores["total"].band == "minimal"
    assert [u["reason"] for u in outcome.urgent] == [
        "Positive answer to PHQ-9 item 9 (thoughts of death or self-harm)"
    ]


def test_it_does_not_flag_item_nine_answered_not_at_all_or_declined() -> None:
    answers = {link_id: Given(PHQ[3]) for link_id in items("phq-9")}
    answers["44260-8"] = Given(PHQ[0])
    assert score(definition("phq-9"), answers).urgent == []
    answers["44260-8"] = Given(declined=True)
    outcome = score(definition("phq-9"), answers)
    assert outcome.urgent == []
    assert (outcome.scores["total"].value, outcome.scores["total"].items_missing) == (24, 1)


def ahc(safety_total: int) -> dict[str, Given]:
    answers = {
        "71802-3": Given("LA31993-1"),
        "88122-7": Given(NEVER),
        "88123-5": Given(NEVER),
        "93030-5": Given("LA32-8"),
        "96779-4": Given("LA32-8"),
    }
    return answers | spread(SAFETY_ITEMS, safety_total, SAFETY, base=1)


@pytest.mark.parametrize(
    ("total", "band"), [(4, "negative"), (10, "negative"), (11, "positive"), (20, "positive")]
)
def test_it_scores_ahc_safety_at_its_cut_point(total: int, band: str) -> None:
    outcome = score(definition("ahc-hrsn-core"), ahc(total))
    assert (outcome.scores["safety"].value, outcome.scores["safety"].band) == (total, band)
    positive = total >= 11
    assert outcome.needs == (["unsafe_relationship"] if positive else [])
    assert len(outcome.urgent) == (1 if positive else 0)


@pytest.mark.parametrize(
    ("item", "code", "need"),
    [
        ("71802-3", "LA31994-9", "housing_instability"),
        ("71802-3", "LA31995-6", "housing_instability"),
        ("88122-7", OFTEN, "food_insecurity"),
        ("88123-5", SOMETIMES, "food_insecurity"),
        ("93030-5", "LA33-6", "transportation"),
        ("96779-4", "LA33-6", "utilities"),
        ("96779-4", "LA32002-0", "utilities"),
    ],
)
def test_it_derives_each_ahc_need(item: str, code: str, need: str) -> None:
    outcome = score(definition("ahc-hrsn-core"), ahc(4) | {item: Given(code)})
    assert outcome.needs == [need]
    assert outcome.urgent == []


def test_it_finds_no_needs_in_an_all_clear_ahc_screen() -> None:
    assert score(definition("ahc-hrsn-core"), ahc(4)).needs == []


@pytest.mark.parametrize(
    ("first", "second", "positive"),
    [
        (OFTEN, NEVER, True),
        (SOMETIMES, NEVER, True),
        (NEVER, OFTEN, True),
        (NEVER, SOMETIMES, True),
        (OFTEN, OFTEN, True),
        (NEVER, NEVER, False),
    ],
)
def test_it_screens_hunger_vital_sign(first: str, second: str, positive: bool) -> None:
    answers = {"88122-7": Given(first), "88123-5": Given(second)}
    outcome = score(definition("hunger-vital-sign"), answers)
    assert outcome.needs == (["food_insecurity"] if positive else [])


def test_it_does_not_read_declined_hunger_questions_as_never_true() -> None:
    answers = {"88122-7": Given(declined=True), "88123-5": Given(SOMETIMES)}
    assert score(definition("hunger-vital-sign"), answers).needs == ["food_insecurity"]
    answers = {"88122-7": Given(declined=True), "88123-5": Given(declined=True)}
    assert score(definition("hunger-vital-sign"), answers).needs == []


@pytest.mark.parametrize(("importance", "confidence"), [(0, 10), (10, 0), (7, 4)])
def test_it_records_the_readiness_ruler_as_two_scores(importance: int, confidence: int) -> None:
    answers = {"importance": Given(importance), "confidence": Given(confidence)}
    outcome = score(definition("readiness-ruler"), answers)
    assert outcome.scores["importance"].value == importance
    assert outcome.scores["confidence"].value == confidence
    assert outcome.needs == [] and outcome.urgent == []
