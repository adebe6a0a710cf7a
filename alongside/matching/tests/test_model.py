"""The comparison rules, the weights and the thresholds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from alongside.matching.model import (
    LIKELY,
    POSSIBLE,
    WEIGHTS,
    Frequencies,
    compare,
    explain,
    make_record,
    score,
    thresholds,
)
from alongside.matching.text import family_parts, given_roots, jaro_winkler, nysiis

BORN = dt.date(1984, 3, 9)


def person(**fields: Any) -> Any:
    base: dict[str, Any] = {
        "given_name": "Robert",
        "family_name": "Hernández",
        "date_of_birth": BORN,
        "sex": "male",
        "phone": "+12125550187",
        "email": "rob@example.org",
        "street": "12 Main Street",
        "postal_code": "10001",
    }
    return make_record("x", **(base | fields))


def levels(a: Any, b: Any) -> dict[str, str]:
    return dict(compare(a, b))


def test_it_computes_jaro_winkler_like_the_reference() -> None:
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.9611, abs=1e-4)
    assert jaro_winkler("dixon", "dicksonx") == pytest.approx(0.8133, abs=1e-4)
    assert jaro_winkler("abc", "abc") == 1.0
    assert jaro_winkler("", "abc") == 0.0


def test_it_codes_names_that_sound_alike_the_same() -> None:
    assert nysiis("hernandez") == nysiis("hernandes")
    assert nysiis("knight") == nysiis("night")
    assert nysiis("johnson") != nysiis("garcia")
    assert nysiis("王") == "王"  # not Latin letters: left as is


def test_it_knows_nicknames_both_ways() -> None:
    assert "robert" in given_roots("bob")
    assert "elizabeth" in given_roots("liz")
    assert "guadalupe" in given_roots("lupe")  # from the demo names
    assert given_roots("zzyzx") == frozenset()


def test_it_splits_compound_family_names_without_particles() -> None:
    assert family_parts("garcia lopez") == ("garcia", "lopez")
    assert family_parts("de la cruz") == ("cruz",)


def test_it_scores_the_same_record_as_likely_with_reasons() -> None:
    result = explain(person(), person())
    assert result.decision == LIKELY
    assert "same date of birth" in result.reasons
    assert "phone matches" in result.reasons
    assert "same first name" in result.reasons


def test_it_tolerates_typos_in_names() -> None:
    found = levels(person(given_name="Robret", family_name="Hernandes"), person())
    assert found["given"] == "close"
    assert found["family"] == "close"
    result = explain(person(given_name="Robret", family_name="Hernandes"), person())
    assert "last name sounds alike" in result.reasons
    assert result.decision == LIKELY


def test_it_recognises_nicknames() -> None:
    result = explain(person(given_name="Bob"), person())
    assert levels(person(given_name="Bob"), person())["given"] == "nickname"
    assert "first name is a nickname" in result.reasons
    assert result.decision == LIKELY


def test_it_recognises_swapped_first_and_last_names() -> None:
    swapped = person(given_name="Hernández", family_name="Robert")
    result = explain(swapped, person())
    assert "first and last names swapped" in result.reasons
    assert "same first name" in result.reasons
    assert result.decision == LIKELY


def test_it_recognises_transposed_day_and_month() -> None:
    transposed = person(date_of_birth=dt.date(1984, 9, 3))
    assert levels(transposed, person())["dob"] == "transposed"
    assert "date of birth with day and month swapped" in explain(transposed, person()).reasons


def test_it_grades_dates_of_birth() -> None:
    assert levels(person(date_of_birth=dt.date(1984, 3, 8)), person())["dob"] == "one_digit"
    assert levels(person(date_of_birth=dt.date(1985, 3, 9)), person())["dob"] == "one_digit"
    assert levels(person(date_of_birth=dt.date(1984, 11, 20)), person())["dob"] == "year"
    assert levels(person(date_of_birth=dt.date(1990, 11, 20)), person())["dob"] == "different"


def test_it_matches_hyphenated_and_compound_family_names_on_any_part() -> None:
    a = person(given_name="Lucía", family_name="García-López")
    for other in ("García", "López", "Garcia Lopez", "GARCÍA LÓPEZ"):
        found = levels(a, person(given_name="Lucia", family_name=other))
        assert found["family"] in {"exact", "part"}, other
        assert found["given"] == "exact"
    assert (
        levels(person(family_name="De la Cruz"), person(family_name="Delacruz"))["family"]
        == "exact"
    )


def test_it_ignores_accents_and_capitals() -> None:
    a = person(given_name="JOSÉ", family_name="NÚÑEZ")
    assert levels(a, person(given_name="Jose", family_name="Nunez")) == levels(
        person(given_name="Jose", family_name="Nunez"),
        person(given_name="Jose", family_name="Nunez"),
    )


def test_it_leaves_missing_fields_out_of_the_score() -> None:
    bare = make_record("a", "Robert", "Hernández")
    found = levels(bare, person())
    assert set(found) == {"given", "family"}
    assert score(bare, person()) == pytest.approx(
        WEIGHTS[("given", "exact")] + WEIGHTS[("family", "exact")]
    )


def test_it_counts_disagreement_against_a_match() -> None:
    other = person(
        given_name="Maria",
        family_name="Okafor",
        date_of_birth=dt.date(1950, 1, 1),
        phone="+13125550111",
        sex="female",
    )
    result = explain(other, person())
    assert result.decision is None
    assert result.score < 0
    assert "different first name" in result.reasons


def test_it_treats_malformed_and_unknown_sex_as_missing() -> None:
    assert "sex" not in levels(person(sex="declined"), person())
    assert levels(person(sex="F"), person(sex="female"))["sex"] == "same"


def test_it_weighs_rare_names_more_than_common_ones() -> None:
    records = [make_record(str(i), "Maria", f"Family{i}") for i in range(1000)]
    records.append(make_record("rare", "Oluwadamilare", "Family0"))
    frequencies = Frequencies.count(records)
    assert frequencies.given["oluwadamilare"] > frequencies.given["maria"]


def test_it_reads_thresholds_from_settings(settings: Any) -> None:
    settings.MATCH_LIKELY_THRESHOLD = 100
    settings.MATCH_POSSIBLE_THRESHOLD = 20
    assert thresholds() == (100.0, 20.0)
    assert explain(person(), person()).decision == POSSIBLE
    settings.MATCH_POSSIBLE_THRESHOLD = 90
    assert explain(person(), person()).decision is None
