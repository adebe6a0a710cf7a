"""The comparison rules, the weights and the thresholds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from alongside.matching.fellegi_sunter import (
    FUZZY_NAME_LEVELS,
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
from alongside.matching.text import family_parts, given_roots, jaro_winkler, nysiis, one_edit

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


def test_it_finds_names_one_keystroke_apart() -> None:
    assert one_edit("juan", "jsan")  # replaced
    assert one_edit("leroy", "leoy") and one_edit("leoy", "leroy")  # dropped, added
    assert one_edit("jaspal", "japsal")  # neighbours swapped
    assert not one_edit("juan", "juan")
    assert not one_edit("juan", "jsun")  # two slips
    assert not one_edit("abc", "cba")


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
    assert "same phone number" in result.reasons
    assert "same first name" in result.reasons


def test_it_tolerates_typos_in_names() -> None:
    found = levels(person(given_name="Robret", family_name="Hernandes"), person())
    assert found["given"] == "close"
    assert found["family"] == "close"
    result = explain(person(given_name="Robret", family_name="Hernandes"), person())
    assert "last name sounds alike" in result.reasons
    assert result.decision == LIKELY


def test_it_tolerates_one_slip_in_a_short_name() -> None:
    # Jaro-Winkler alone finds "Juan" and "Jsan" too far apart.
    assert jaro_winkler("juan", "jsan") < 0.9
    found = levels(person(given_name="Jsan"), person(given_name="Juan"))
    assert found["given"] == "close"
    assert explain(person(given_name="Jsan"), person(given_name="Juan")).decision == LIKELY
    assert levels(person(given_name="Jo"), person(given_name="Ja"))["given"] == "different"


def test_it_recognises_nicknames() -> None:
    result = explain(person(given_name="Bob"), person())
    assert levels(person(given_name="Bob"), person())["given"] == "nickname"
    assert "first name is a nickname" in result.reasons
    assert result.decision == LIKELY
    liz = explain(person(given_name="Liz"), person(given_name="Elizabeth"))
    assert "first name is a nickname" in liz.reasons
    assert liz.decision == LIKELY


def test_it_recognises_swapped_first_and_last_names() -> None:
    swapped = person(given_name="Hernández", family_name="Robert")
    result = explain(swapped, person())
    assert "first and last names swapped" in result.reasons
    assert "same first name" in result.reasons
    assert result.decision == LIKELY


def test_it_recognises_swapped_names_with_a_typo() -> None:
    swapped = person(given_name="Mrozov", family_name="Sergei")
    result = explain(swapped, person(given_name="Sergei", family_name="Morozov"))
    assert "first and last names swapped" in result.reasons
    assert "last name sounds alike" in result.reasons
    assert result.decision == LIKELY


def test_it_recognises_transposed_day_and_month() -> None:
    transposed = person(date_of_birth=dt.date(1984, 9, 3))
    assert levels(transposed, person())["dob"] == "transposed"
    result = explain(transposed, person())
    assert "date of birth with day and month swapped" in result.reasons
    assert result.decision == LIKELY
    bare = {"phone": "", "email": "", "street": "", "postal_code": ""}
    assert explain(person(date_of_birth=dt.date(1984, 9, 3), **bare), person()).decision


def test_it_grades_dates_of_birth() -> None:
    assert levels(person(date_of_birth=dt.date(1984, 3, 8)), person())["dob"] == "one_digit"
    assert levels(person(date_of_birth=dt.date(1985, 3, 9)), person())["dob"] == "year_near"
    # Two slips: two digits, or day and month swapped and a digit off.
    assert levels(person(date_of_birth=dt.date(1984, 3, 18)), person())["dob"] == "two_slips"
    assert levels(person(date_of_birth=dt.date(1984, 9, 4)), person())["dob"] == "two_slips"
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
    bare = {"phone": "", "email": "", "street": "", "postal_code": ""}
    assert explain(person(family_name="Hernández"), person(family_name="Hernández-Ruiz")).decision
    assert (
        explain(
            person(family_name="Hernández", **bare), person(family_name="Hernández Ruiz", **bare)
        ).decision
        == LIKELY
    )


def test_it_compares_the_street_when_a_postal_code_is_missing() -> None:
    assert levels(person(postal_code=""), person())["address"] == "street"
    assert levels(person(postal_code="", street="9 Oak Ave"), person())["address"] == "different"
    assert levels(person(street=""), person())["address"] == "postal_code"
    assert "same street address" in explain(person(postal_code=""), person()).reasons


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
        email="maria@example.net",
        street="5 Oak Avenue",
        postal_code="60601",
    )
    result = explain(other, person())
    assert result.decision is None
    assert result.score < 0
    assert "different first name" in result.reasons


def test_it_treats_malformed_and_unknown_sex_as_missing() -> None:
    found = levels(person(sex="declined"), person())
    assert "sex" not in found and "sex_named" not in found
    assert levels(person(sex="F"), person(sex="female"))["sex_named"] == "same"


def test_sex_says_little_when_the_first_names_already_agree() -> None:
    # Strangers named alike are nearly always of the same sex: agreeing then adds little.
    assert levels(person(), person())["sex_named"] == "same"
    assert levels(person(given_name="Amara"), person())["sex"] == "same"
    assert WEIGHTS["sex_named", "same"] < WEIGHTS["sex", "same"]
    assert WEIGHTS["sex_named", "different"] > WEIGHTS["sex", "different"]
    assert "same sex" in explain(person(), person()).reasons


def test_it_weighs_rare_names_more_than_common_ones() -> None:
    records = [make_record(str(i), "Maria", f"Family{i}") for i in range(1000)]
    records.append(make_record("rare", "Oluwadamilare", "Family0"))
    frequencies = Frequencies.count(records)
    assert frequencies.given["oluwadamilare"] > frequencies.given["maria"]


def test_a_persons_own_duplicates_do_not_make_their_name_common() -> None:
    # Five records of one Ziad Al Sayed (one date of birth) are one person with that
    # name; five Ziad Al Sayeds born on five days are five people.
    others = [make_record(f"o{i}", f"Given{i}", f"Family{i}") for i in range(1000)]
    one = [make_record(f"z{i}", "Ziad", "Al Sayed", "1950-01-27") for i in range(5)]
    five = [make_record(f"z{i}", "Ziad", "Al Sayed", f"1950-01-{i + 10}") for i in range(5)]
    once = Frequencies.count(others + one)
    apart = Frequencies.count(others + five)
    assert once.full["ziad|alsayed"] > apart.full["ziad|alsayed"]
    assert once.given["ziad"] > apart.given["ziad"]
    # Records without a date of birth cannot be told to be one person: each counts.
    undated = [make_record(f"z{i}", "Ziad", "Al Sayed") for i in range(5)]
    assert Frequencies.count(others + undated).full["ziad|alsayed"] == apart.full["ziad|alsayed"]


def _common_and_rare_family_names() -> Frequencies:
    records = [make_record(str(i), f"Given{i}", "Garcia") for i in range(500)]
    records += [make_record(f"r{i}", f"Other{i}", f"Family{i}") for i in range(500)]
    records.append(make_record("rare", "Other", "Oyelaran"))
    records.append(make_record("rare2", "Other", "Garcia Oyelaran"))
    return Frequencies.count(records)


def test_a_near_miss_never_outweighs_the_exact_name() -> None:
    for field, level in FUZZY_NAME_LEVELS:
        assert WEIGHTS[field, level] <= WEIGHTS[field, "exact"]
    frequencies = _common_and_rare_family_names()
    exact = score(person(family_name="Garcia"), person(family_name="Garcia"), frequencies)
    typo = score(person(family_name="Garcai"), person(family_name="Garcia"), frequencies)
    assert levels(person(family_name="Garcai"), person(family_name="Garcia"))["family"] == "close"
    assert typo <= exact
    # A rare name keeps the full weight of a typo.
    rare = score(person(family_name="Oyelarna"), person(family_name="Oyelaran"), frequencies)
    assert rare > typo


def test_a_near_miss_of_one_name_never_outweighs_the_whole_name() -> None:
    # "Ana" always comes with "Garcia" here: the two names are one piece of evidence.
    records = [make_record(f"a{i}", "Ana", "Garcia") for i in range(100)]
    records += [make_record(f"b{i}", "Bo", f"Family{i}") for i in range(450)]
    records += [make_record(f"c{i}", f"Given{i}", "Smith") for i in range(450)]
    frequencies = Frequencies.count(records)
    ana = make_record("x", "Ana", "Garcia")
    exact = score(ana, ana, frequencies)
    assert levels(make_record("y", "Anna", "Garcia"), ana)["given"] == "close"
    assert score(make_record("y", "Anna", "Garcia"), ana, frequencies) < exact
    assert levels(make_record("z", "Ana", "Garcai"), ana)["family"] == "close"
    assert score(make_record("z", "Ana", "Garcai"), ana, frequencies) < exact


def test_a_shared_part_weighs_by_how_common_that_part_is() -> None:
    frequencies = _common_and_rare_family_names()
    common = person(family_name="Garcia Oyelaran")
    by_common = score(person(family_name="Garcia Abara"), common, frequencies)
    by_rare = score(person(family_name="Oyelaran Abara"), common, frequencies)
    assert levels(person(family_name="Garcia Abara"), common)["family"] == "part"
    assert levels(person(family_name="Oyelaran Abara"), common)["family"] == "part"
    assert by_rare > by_common
    # Without name counts (a small file, the registration check): the flat weight.
    assert score(person(family_name="Garcia Abara"), common) == score(
        person(family_name="Oyelaran Abara"), common
    )


def test_it_reads_thresholds_from_settings(settings: Any) -> None:
    settings.MATCH_LIKELY_THRESHOLD = 100
    settings.MATCH_POSSIBLE_THRESHOLD = 20
    assert thresholds() == (100.0, 20.0)
    assert explain(person(), person()).decision == POSSIBLE
    settings.MATCH_POSSIBLE_THRESHOLD = 90
    assert explain(person(), person()).decision is None
