"""The comparison levels for the errors real records carry, and blocking that survives
any one corrupted field."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from alongside.matching.blocking import SHIFT, candidate_pairs
from alongside.matching.fellegi_sunter import compare, make_record, street_key

BORN = dt.date(1984, 3, 9)


def person(**fields: Any) -> Any:
    base: dict[str, Any] = {
        "given_name": "Robert",
        "family_name": "Hernández",
        "date_of_birth": BORN,
        "sex": "male",
        "phone": "+12125550187",
        "street": "12 Main Street",
        "postal_code": "10001",
        "identifier": "MCD84716641",
    }
    return make_record("x", **(base | fields))


def levels(a: Any, b: Any) -> dict[str, str]:
    return dict(compare(a, b))


def test_identifiers_one_or_two_characters_apart_are_close() -> None:
    assert levels(person(identifier="MCD84716647"), person())["identifier"] == "close"
    assert levels(person(identifier="MCD84761641"), person())["identifier"] == "close"
    assert levels(person(identifier="MCD8471664"), person())["identifier"] == "close"
    assert levels(person(identifier="MCD10000000"), person())["identifier"] == "different"
    assert levels(person(identifier="AB1"), person(identifier="AB2"))["identifier"] == "different"


def test_phones_a_digit_apart_are_close() -> None:
    assert levels(person(phone="+12125550181"), person())["phone"] == "close"
    assert levels(person(phone="+13125559999"), person())["phone"] == "different"


def test_a_postal_code_a_digit_off_still_lets_the_street_agree() -> None:
    assert levels(person(postal_code="10007"), person())["address"] == "street"
    assert levels(person(postal_code="90210"), person())["address"] == "different"


def test_street_name_and_number_are_compared_separately() -> None:
    assert street_key("12 Main Street") == street_key("12 mainstreet") == "12|main"
    assert street_key("12 Main St Apt 4") == "12|main"
    assert street_key("12mainstreet") == street_key("12Main St") == "12|main"
    assert levels(person(street="12 mainstreet"), person())["address"] == "same"
    assert levels(person(street="Main Street"), person())["address"] == "street_name"
    assert levels(person(street="14 Main St"), person())["address"] == "street_name"
    assert levels(person(street="12 Oak Street"), person())["address"] == "postal_code"


def test_an_impossible_date_is_compared_digit_by_digit() -> None:
    typed = make_record("y", "Robert", "Hernández", "19848309")  # month 83
    assert levels(typed, person())["dob"] == "one_digit"


def test_an_impossible_month_or_day_counts_as_one_slip_whatever_its_digits() -> None:
    def dob(typed: str, other: str) -> str:
        a = make_record("a", "Robert", "Hernández", typed)
        return levels(a, make_record("b", "Robert", "Hernández", other))["dob"]

    assert dob("19530688", "19530622") == "one_digit"  # day 88: both digits wrong
    assert dob("19538822", "19530622") == "one_digit"  # month 88
    assert dob("19530634", "19530624") == "one_digit"  # day 34, one digit off
    assert dob("19882603", "19880326") == "transposed"  # month 26: day first
    assert dob("19620885", "19640822") == "two_slips"  # and a year a digit off
    assert dob("19873928", "19880728") == "two_slips"  # month 39
    assert dob("19649985", "19640822") == "two_slips"  # month and day impossible
    assert dob("19629985", "19750822") == "different"


def test_an_impossible_component_both_dates_share_is_no_slip_between_them() -> None:
    def dob(typed: str, other: str) -> str:
        a = make_record("a", "Robert", "Hernández", typed)
        return levels(a, make_record("b", "Robert", "Hernández", other))["dob"]

    assert dob("19801345", "19800245") == "one_digit"
    assert dob("19801345", "19800145") == "one_digit"
    assert dob("19801399", "19800599") == "one_digit"
    # Both impossible the same way: they share the slip, the other digit is a plain one.
    assert dob("19681134", "19671134") == "year_near"


def test_two_neighbouring_digits_of_month_and_day_typed_the_other_way_round_are_one_slip() -> None:
    def dob(typed: str, other: str) -> str:
        a = make_record("a", "Robert", "Hernández", typed)
        return levels(a, make_record("b", "Robert", "Hernández", other))["dob"]

    assert dob("19840830", "19840803") == "one_digit"  # day 03 typed 30
    assert dob("19841022", "19840122") == "one_digit"  # month 01 typed 10
    assert dob("19840822", "19840228") == "two_slips"  # not neighbours
    # Swapped year digits are two slips: 1948 and 1984 with one birthday are as often a
    # parent and a child as a typo.
    assert dob("19480822", "19840822") == "two_slips"
    assert dob("19680315", "19860315") == "two_slips"


def test_a_parent_and_child_born_on_one_day_of_swapped_years_are_not_likely_one() -> None:
    from alongside.matching.fellegi_sunter import score, thresholds

    home = {"phone": "+12125550187", "street": "7335 Harrison St", "postal_code": "54352"}
    maria = make_record("a", "Maria", "Garcia", "19680315", "f", **home)
    marie = make_record("b", "Marie", "Garcia", "19860315", "f", **home)
    assert ("dob_kin", "two_slips") in compare(maria, marie)
    assert score(maria, marie) < thresholds()[0]


def test_a_different_year_with_the_same_day_and_month_has_its_own_level() -> None:
    assert levels(person(date_of_birth=dt.date(2016, 3, 9)), person())["dob"] == "day_month"
    assert levels(person(date_of_birth=dt.date(1984, 11, 25)), person())["dob"] == "year"


def test_swapped_names_are_compared_across_fields() -> None:
    swapped = person(given_name="Hernández", family_name="Robert")
    found = compare(swapped, person())
    assert ("swap", "swapped") in found and ("given", "exact") in found


def test_swapped_names_are_found_with_a_compound_family_name_in_the_first_name_field() -> None:
    keisha = person(given_name="Keisha", family_name="Alexander")
    swapped = person(given_name="Vang Alexander", family_name="Keisha")
    for found in (levels(swapped, keisha), levels(keisha, swapped)):
        assert found["swap"] == "swapped"
        assert found["given"] == "exact" and found["family"] == "part"
        assert found["dob"] == "exact"
    # The first names must still agree: "Garcia Lopez" / "Ana" is not "Luis Garcia".
    found = levels(
        person(given_name="Garcia Lopez", family_name="Ana"), person(family_name="Garcia")
    )
    assert "swap" not in found


def test_a_name_moved_into_the_other_field_still_agrees() -> None:
    moved = person(given_name="Mary", family_name="Ann Smith")
    found = levels(moved, person(given_name="Mary Ann", family_name="Smith"))
    assert found["given"] == found["family"] == "exact"
    whole = person(given_name="", family_name="Robert Hernández")
    found = levels(whole, person())
    assert found["given"] == found["family"] == "exact"
    # Both written whole, in either field.
    found = levels(whole, person(given_name="Robert Hernandes", family_name=""))
    assert found["given"] == "exact" and found["family"] == "close"


def test_a_letter_dropped_from_a_short_name_is_a_typo() -> None:
    assert levels(person(given_name="Jn"), person(given_name="Jun"))["given"] == "close"
    assert levels(person(given_name="Jo"), person(given_name="Al"))["given"] == "different"


def test_names_ignore_inserted_or_dropped_spaces() -> None:
    assert levels(person(given_name="Mary Ann"), person(given_name="Maryann"))["given"] == "exact"
    spaced = person(family_name="De la Cruz")
    assert levels(spaced, person(family_name="Delacruz"))["family"] == "exact"


def test_a_space_typed_into_a_name_with_a_typo_besides_is_still_close() -> None:
    found = levels(person(given_name="Sb ephen"), person(given_name="Stephen"))
    assert found["given"] == "close"
    # And swapped names are found with a space typed in.
    found = levels(person(given_name="Hern andes", family_name="Robert"), person())
    assert found["swap"] == "swapped" and found["given"] == "exact"


def test_digits_in_a_name_are_read_as_the_letters_they_look_like() -> None:
    assert levels(person(given_name="R0bert"), person())["given"] == "exact"
    assert levels(person(family_name="5mith"), person(family_name="Smith"))["family"] == "exact"
    assert make_record("x", "L1nda", "8rown")[1:5:3] == ("linda", "brown")
    # "1" is read as "i"; for an "l" it is then a typo.
    assert levels(person(given_name="Pau1"), person(given_name="Paul"))["given"] == "close"


def test_a_phone_is_its_own_field_when_the_addresses_differ() -> None:
    moved = person(phone="+13125559999", street="7 Oak Road", postal_code="60601")
    found = levels(moved, person())
    assert found["address"] == "different" and found["phone_moved"] == "different"
    assert "phone" not in found
    new_phone = levels(person(phone="+13125559999"), person())
    assert new_phone["address"] == "same" and new_phone["phone"] == "different"
    # Without an address on one side, the phone is the plain phone.
    assert levels(moved, person(street="", postal_code=""))["phone"] == "different"


def test_family_members_sharing_a_home_are_compared_as_such() -> None:
    sibling = person(
        given_name="Luisa", date_of_birth=dt.date(1990, 6, 1), sex="female", identifier=""
    )
    found = levels(sibling, person())
    assert found["given"] == "different"
    assert found["phone_kin"] == "same" and found["address_kin"] == "same"
    assert found["dob_kin"] == "different"
    twin = person(given_name="Luisa", sex="female", identifier="")
    assert levels(twin, person())["dob_kin"] == "exact"
    # A member's record with the names the other way round is still a household's.
    # ("James" and "Joan" sound alike, so "Patel James" looks like "Joan Patel" swapped.)
    swapped = person(given_name="Patel", family_name="James", identifier="")
    found = levels(swapped, person(given_name="Joan", family_name="Patel", sex="female"))
    assert found["swap"] == "swapped" and found["given"] == "different"
    assert found["phone_kin"] == "same" and found["address_kin"] == "same"
    # One identifier is one person, whatever the names say.
    renamed = person(given_name="Luisa", sex="female")
    assert levels(renamed, person())["dob"] == "exact"


def test_names_not_the_same_of_another_sex_sharing_a_home_are_a_household() -> None:
    # "Mario" and "Maria" at one address: a brother and a sister, not a typo.
    sister = person(given_name="Maria", sex="female", identifier="")
    found = levels(sister, person(given_name="Mario", identifier=""))
    assert found["given"] == "close"
    assert found["dob_kin"] == "exact" and found["address_kin"] == "same"
    # The same typo with the same sex is a typo.
    found = levels(person(given_name="Roberto", identifier=""), person(identifier=""))
    assert found["given"] == "close" and found["dob"] == "exact" and found["address"] == "same"
    # With one record's names swapped ("Jones Mark" and "Mary Jones"), either name may be
    # the first name.
    mark = person(given_name="Jones", family_name="Mark", identifier="")
    mary = person(given_name="Mary", family_name="Jones", sex="female", identifier="")
    for found in (levels(mark, mary), levels(mary, mark)):
        assert found["swap"] == "swapped" and "close" in (found["given"], found["family"])
        assert found["address_kin"] == "same"
    # Both names different (a couple; twins with one record's names garbled).
    partner = person(given_name="Ana", family_name="Ruiz", sex="female", identifier="")
    found = levels(partner, person(identifier=""))
    assert found["given"] == found["family"] == "different"
    assert found["dob_kin"] == "exact" and found["phone_kin"] == "same"
    # The same name of another sex is still one person with the sex mistyped.
    found = levels(person(sex="female", identifier=""), person(identifier=""))
    assert found["dob"] == "exact" and found["sex_named"] == "different"
    # Whatever the sexes, one identifier is one person.
    found = levels(person(given_name="Maria", sex="female"), person(given_name="Mario"))
    assert found["dob"] == "exact" and found["address"] == "same"


def population(n: int, seed: int) -> list[Any]:
    rng = random.Random(seed)
    syllables = ["ka", "ri", "mo", "la", "ne", "to", "sa", "vi", "ru", "de", "lo", "chi"]
    found = []
    for i in range(n):
        found.append(
            make_record(
                str(i),
                rng.choice(syllables) + rng.choice(syllables),
                "".join(rng.choice(syllables) for _ in range(3)),
                dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(25_000)),
                rng.choice("fm"),
                f"+1212555{rng.randrange(10_000):04d}",
                f"p{i}@example.org",
                f"{rng.randrange(1, 999)} {rng.choice(syllables)}ton Street",
                f"{rng.randrange(10_000, 99_999)}",
                f"ID{rng.randrange(10**8):08d}",
            )
        )
    return found


CORRUPTIONS = {
    "given_name": lambda r: (r[0], "zzyzx", *r[2:]),
    "family_name": lambda r: make_record("copy", r[1], "Quixotic", r[8], r[9], r[10], r[11]),
    "date_of_birth": lambda r: (*r[:8], "19000101", *r[9:]),
    "phone": lambda r: (*r[:10], "+19995550000", *r[11:]),
    "postal_code": lambda r: (*r[:13], "00000", r[14]),
    "email": lambda r: (*r[:11], "other@example.org", *r[12:]),
    "identifier": lambda r: (*r[:14], "XX1"),
}


def test_blocking_finds_a_whole_name_in_one_field_and_a_name_with_a_space_typed_in() -> None:
    records = population(400, seed=12)
    originals = records[:50]
    copies = []
    for i, r in enumerate(originals):
        if i % 2:
            copy = make_record(f"copy{i}", "", f"{r[1]} {r[4]}")
        else:
            copy = make_record(f"copy{i}", f"{r[1][:2]} {r[1][2:]}", r[4])
        copies.append((*copy[:9], "", "", "", "", "", ""))
    pairs = set(candidate_pairs(records + copies))
    found = sum(i * SHIFT + 400 + i in pairs for i in range(50))
    assert found == 50


def test_blocking_finds_an_identifier_a_digit_off_when_little_else_agrees() -> None:
    # The identifier a digit off, and the family name, date of birth, phone, email and
    # address all changed: only the first name and half the identifier are left.
    records = population(400, seed=13)
    copies = [
        make_record(
            f"copy{i}",
            r[1],
            "Quixotic",
            "19000101",
            r[9],
            "+19995550000",
            "",
            "",
            "",
            r[14][:-1] + str((int(r[14][-1]) + 1) % 10),
        )
        for i, r in enumerate(records[:50])
    ]
    pairs = set(candidate_pairs(records + copies))
    found = sum(i * SHIFT + 400 + i in pairs for i in range(50))
    assert found == 50
    assert levels(records[0], copies[0])["identifier"] == "close"


@pytest.mark.parametrize("field", sorted(CORRUPTIONS))
def test_blocking_finds_a_duplicate_whatever_single_field_is_wrong(field: str) -> None:
    records = population(400, seed=11)
    originals = records[:50]
    copies = [CORRUPTIONS[field](r) for r in originals]
    records = records + [(f"copy{i}", *c[1:]) for i, c in enumerate(copies)]
    pairs = set(candidate_pairs(records))
    found = sum(i * SHIFT + 400 + i in pairs for i in range(50))
    assert found == 50, f"blocking recall {found / 50:.2f} with the {field} wrong"


def test_a_slip_in_the_year_of_birth_has_its_own_levels_by_how_far_apart_the_years_are() -> None:
    def dob(typed: str, other: str) -> str:
        a = make_record("a", "Robert", "Hernández", typed)
        return levels(a, make_record("b", "Robert", "Hernández", other))["dob"]

    assert dob("19840319", "19840309") == "one_digit"  # the day
    assert dob("19840609", "19840309") == "one_digit"  # the month
    assert dob("19850309", "19840309") == "year_near"  # a year off
    assert dob("19820309", "19840309") == "year_near"  # two
    assert dob("19890309", "19840309") == "year_digit"  # five years apart
    assert dob("19740309", "19840309") == "year_digit"  # the decade
    assert dob("19890309", "19900309") == "year_near"  # a year off: two digits
    assert dob("19990309", "20000309") == "year_near"  # four
    assert dob("19850319", "19840309") == "two_slips"  # a year off and the day
