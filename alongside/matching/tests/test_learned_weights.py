"""Weights learned from the input: EM, its fallbacks, the weights file, the thresholds."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from alongside.matching import em
from alongside.matching.fellegi_sunter import make_record, thresholds
from alongside.matching.learned import Model, WeightsFileError
from alongside.matching.probabilities import PROBABILITIES


def synthetic_patterns(
    rng: random.Random, truth: dict[str, list[float]], chance: dict[str, list[float]], share: float
) -> Counter[em.Pattern]:
    """Comparison vectors drawn from a known model (independent fields)."""
    counts: Counter[em.Pattern] = Counter()
    for _ in range(40_000):
        probabilities = truth if rng.random() < share else chance
        vector = [0] * len(em.FIELDS)
        for name, shares in probabilities.items():
            vector[em.FIELDS.index(name)] = rng.choices(range(1, len(shares) + 1), shares)[0]
        counts[tuple(vector)] += 1
    return counts


def test_em_recovers_known_m_from_unlabelled_patterns() -> None:
    truth = {
        "given": [0.7, 0.05, 0.2, 0.05],
        "family": [0.6, 0.15, 0.2, 0.05],
        "phone": [0.8, 0.05, 0.15],
        "email": [0.9, 0.1],
    }
    chance = {
        "given": [0.05, 0.01, 0.04, 0.9],
        "family": [0.1, 0.05, 0.05, 0.8],
        "phone": [0.01, 0.01, 0.98],
        "email": [0.02, 0.98],
    }
    patterns = synthetic_patterns(random.Random(3), truth, chance, 0.2)
    m_prior = [[m for m, _ in PROBABILITIES[name].values()] for name in em.FIELDS]
    m, share, _, converged = em.expectation_maximisation(patterns, m_prior)
    assert converged
    assert share == pytest.approx(0.2, abs=0.02)
    for name, expected in truth.items():
        learned = m[em.FIELDS.index(name)]
        assert learned == pytest.approx(expected, abs=0.03), name


def people(n: int, seed: int = 5) -> list[tuple]:  # type: ignore[type-arg]
    """n people with names, dates of birth and phones, a tenth of them entered twice."""
    rng = random.Random(seed)
    syllables = ["ka", "ri", "mo", "la", "ne", "to", "sa", "vi", "ru", "de", "lo", "chi"]
    given = [a + b for a in syllables for b in syllables[:6]]
    family = [a + b + c for a in syllables for b in syllables for c in ("n", "s", "ra")]
    records = []
    for i in range(n):
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(25_000))
        g, f = rng.choice(given), rng.choice(family)
        phone = f"+1212555{rng.randrange(10_000):04d}"
        records.append(make_record(str(i), g, f, born, rng.choice("fm"), phone))
        if i % 10 == 0:  # entered again, with independent slips
            typo = g[:-1] + "x" if rng.random() < 0.3 else g
            again = born + dt.timedelta(days=1) if rng.random() < 0.3 else born
            records.append(make_record(f"{i}b", typo, f, again, "", phone))
    return records


def candidates(records: list[tuple]) -> Sequence[int]:  # type: ignore[type-arg]
    from alongside.matching.blocking import candidate_pairs

    return candidate_pairs(records)


def test_fit_learns_from_a_large_enough_input() -> None:
    records = people(6000)
    model = em.fit(records, candidates(records))
    assert model.fitted, model.note
    assert model.match_rate is not None
    # About 600 duplicates among 6,600 records.
    assert 300 < model.match_rate * len(records) < 1200
    m_exact, u_exact = model.probabilities["dob"]["exact"]
    assert m_exact > 0.5 and u_exact < 0.01


@pytest.mark.parametrize(
    ("records", "why"),
    [
        ([make_record("1", "Ana", "García")], "fewer than 1,000 records"),
        (
            [make_record(str(i), "Ana", "García", dt.date(1990, 1, 2)) for i in range(1200)],
            "fewer than 200 candidate pairs",  # one huge block: skipped by blocking
        ),
        (
            [(*r[:8], "", *r[9:]) for r in people(3000)],
            "sharing a date of birth",  # the date of birth column is empty
        ),
    ],
    ids=["one row", "all rows identical", "a column entirely empty"],
)
def test_fit_falls_back_to_the_prior_on_tiny_or_degenerate_inputs(
    records: list[tuple],  # type: ignore[type-arg]
    why: str,
) -> None:
    model = em.fit(records, candidates(records))
    assert not model.fitted
    assert why in model.note
    assert model.probabilities == PROBABILITIES
    assert model.thresholds(len(records)) == thresholds()


def test_fit_falls_back_when_em_does_not_converge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(em, "MAX_ITERATIONS", 1)
    records = people(6000)
    model = em.fit(records, candidates(records))
    assert not model.fitted and "did not converge" in model.note


def test_thresholds_come_from_the_match_probability_and_grow_with_the_file() -> None:
    model = Model(PROBABILITIES, match_rate=0.12, fitted=True)
    small, _ = model.thresholds(100_000)
    large, possible = model.thresholds(1_000_000)
    assert 3.0 < large - small < 3.6  # log2(10)
    assert possible < large
    assert model.probability(large, 1_000_000) == pytest.approx(0.9)


def test_weights_file_round_trip(tmp_path: Path) -> None:
    probabilities = {name: dict(levels) for name, levels in PROBABILITIES.items()}
    probabilities["dob"]["exact"] = (0.7123, 0.0000321)
    model = Model(probabilities, match_rate=0.0625, fitted=True, records=5000, iterations=9)
    path = tmp_path / "weights.json"
    model.save(path)
    again = Model.load(path)
    assert again.probabilities == probabilities
    assert again.match_rate == 0.0625 and again.fitted and again.records == 5000
    assert again.thresholds(5000) == model.thresholds(5000)


def test_a_weights_file_of_the_previous_release_keeps_the_prior_dates_of_birth(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Its one_digit was learned over every slip, the year's included: mixed with the
    # new levels' priors the chances of a date of birth would add up to more than 1.
    probabilities = {name: dict(levels) for name, levels in PROBABILITIES.items()}
    probabilities["dob"]["one_digit"] = (0.3, 0.001)
    probabilities["dob_kin"]["one_digit"] = (0.3, 0.001)
    probabilities["phone"]["same"] = (0.61, 0.0001)
    path = tmp_path / "weights.json"
    Model(probabilities, match_rate=0.01, records=5000).save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level("WARNING", logger="alongside.matching.learned"):
        model = Model.load(path)
    assert model.probabilities["dob"] == PROBABILITIES["dob"]
    assert model.probabilities["dob_kin"] == PROBABILITIES["dob_kin"]
    assert model.probabilities["phone"]["same"] == (0.61, 0.0001)
    assert "earlier release" in model.warning and "dedupe --weights" in model.warning
    assert model.warning in caplog.text
    assert Model.load(tmp_path / "weights.json").records == 5000
    model.save(path)
    assert Model.load(path).warning == ""


def test_a_weights_file_with_an_unknown_level_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    Model(dict(PROBABILITIES), match_rate=0.01, records=5000).save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["probabilities"]["phone"]["impossible_one_digit"] = [0.01, 0.000004]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(WeightsFileError, match="unknown level phone.impossible_one_digit"):
        Model.load(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "Could not read weights"),
        (
            '{"format": "alongside-match-weights", "version": 3, "probabilities": {}}',
            "version 3 is not one this release reads",
        ),
        ('{"format": "other"}', "not a weights file"),
        ('{"format": "alongside-match-weights", "probabilities": {"shoe": {}}}', "unknown field"),
        (
            '{"format": "alongside-match-weights", "version": 2, '
            '"probabilities": {"dob": {"exact": [0, 1]}}}',
            "must be \\[m, u\\]",
        ),
        (
            '{"format": "alongside-match-weights", "probabilities": {}, "records": "many"}',
            "records must be a whole number",
        ),
        (
            '{"format": "alongside-match-weights", "probabilities": {}, "iterations": []}',
            "iterations must be a whole number",
        ),
    ],
)
def test_a_bad_weights_file_is_refused_with_a_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "weights.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WeightsFileError, match=message):
        Model.load(path)


def test_explain_lists_every_level_with_its_weight() -> None:
    lines = Model.prior("a note").explain_lines(10)
    assert "prior" in lines[0] and "a note" in lines[0]
    assert any(line.startswith("dob ") and "exact" in line for line in lines)
    assert len(lines) > sum(len(levels) for levels in PROBABILITIES.values())
    json.dumps(lines)


def test_random_pairs_count_the_kin_fields_for_their_plain_field() -> None:
    # u of a level is how often it turns up by chance, household-like or not: a kin
    # field's random pairs count for its plain field, level by level.
    from alongside.matching import em
    from alongside.matching.probabilities import KIN, PROBABILITIES

    for kin, plain in KIN.items():
        assert list(PROBABILITIES[kin]) == list(PROBABILITIES[plain])
        assert em._BASE[em.FIELDS.index(kin)] == em.FIELDS.index(plain)
    assert em._BASE[em.FIELDS.index("phone_moved")] == em.FIELDS.index("phone_moved")


def test_twins_do_not_teach_em_that_duplicates_have_other_names() -> None:
    # Pairs sharing a date of birth: 2,300 duplicates, 20,000 strangers, and 3,000 twins
    # (one family name and home, first names and sexes different), whose kin fields
    # have stated weights: they are left out of the session, not taken for duplicates.
    def vector(**levels: str) -> em.Pattern:
        found = [0] * len(em.FIELDS)
        for name, level in levels.items():
            found[em.FIELDS.index(name)] = list(PROBABILITIES[name]).index(level) + 1
        return tuple(found)

    same = {"sex_named": "same", "phone": "same", "address": "same"}
    moved = {"phone": "different", "address": "different"}
    patterns: Counter[em.Pattern] = Counter()
    patterns[vector(given="exact", family="exact", dob="exact", **same)] += 1500
    patterns[vector(given="close", family="exact", dob="exact", **same)] += 300
    patterns[vector(given="exact", family="exact", dob="one_digit", **same)] += 500
    for sex in ("same", "different"):
        patterns[vector(given="different", family="different", dob="exact", sex=sex, **moved)] += (
            10_000
        )
    patterns[vector(given="exact", family="exact", dob="different", sex_named="same", **moved)] += (
        20_000
    )
    twins = {"phone_kin": "same", "address_kin": "same"}
    patterns[
        vector(given="different", family="exact", dob_kin="exact", sex="different", **twins)
    ] += 3000
    learned = em._sessions(patterns, lambda message: None)
    assert not isinstance(learned, str)
    m, matches, _ = learned
    m_given, m_sex = m[em.FIELDS.index("given")], m[em.FIELDS.index("sex")]
    assert m_given[list(PROBABILITIES["given"]).index("different")] < 0.05
    assert m_sex[list(PROBABILITIES["sex"]).index("different")] < 0.05
    assert 2000 < matches < 2700
