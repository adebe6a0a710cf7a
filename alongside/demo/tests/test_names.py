"""Demo identities: deterministic, diverse, and valid for the Person model."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from alongside.demo import names
from alongside.people.languages import LANGUAGE_NAMES
from alongside.people.models import Person
from alongside.people.normalize import normalize, normalize_phone


def draw(count: int, seed: int = 1) -> list[names.Identity]:
    rng = random.Random(seed)
    return [names.random_identity(rng) for _ in range(count)]


def test_it_gives_the_same_people_for_the_same_seed():
    assert draw(300, seed=42) == draw(300, seed=42)
    assert draw(50, seed=42) != draw(50, seed=43)


def test_it_does_not_depend_on_todays_date():
    rng_a, rng_b = random.Random(5), random.Random(5)
    today = dt.date(2030, 6, 1)
    a = [names.random_identity(rng_a, today=today) for _ in range(50)]
    b = [names.random_identity(rng_b, today=today) for _ in range(50)]
    assert a == b
    assert all(p["date_of_birth"] <= today for p in a)


def test_it_draws_many_distinct_names():
    people = draw(2000)
    full_names = {(p["legal_given_name"], p["legal_family_name"]) for p in people}
    assert len(full_names) >= 1000
    assert len({p["legal_given_name"] for p in people}) >= 300
    assert len({p["legal_family_name"] for p in people}) >= 400


def test_it_draws_names_from_many_traditions():
    people = draw(5000)
    heritages = Counter(p["heritage"] for p in people)
    assert len(heritages) == len(names.HERITAGES)
    family = [p["legal_family_name"] for p in people]
    given = [p["legal_given_name"] for p in people]
    assert any("'" in f for f in family)  # O'Brien
    assert any("-" in f for f in family)  # hyphenated
    assert any(" " in f for f in family)  # García Márquez, Two Bulls, De la Cruz
    assert any(not f.isascii() and f.isalpha() for f in family)  # Nguyễn, Wiśniewska
    assert any("\u0600" <= ch <= "\u06ff" for g in given for ch in g)  # Arabic script
    assert any(p["preferred_name"] for p in people)
    assert any(p["gender_identity"] for p in people)
    assert {p["pronouns"] for p in people} >= {"she/her", "he/him", "they/them", ""}


def test_it_gives_the_preferred_language_first_with_interpreter_needs():
    people = draw(3000)
    for person in people:
        codes = [code for code, _ in person["languages"]]
        assert codes and len(codes) == len(set(codes))
        assert set(codes) <= set(LANGUAGE_NAMES)
    preferred = Counter(p["languages"][0][0] for p in people)
    assert preferred["en"] > preferred["es"] > 0
    assert len(preferred) >= 20
    assert any(interpreter for p in people for _, interpreter in p["languages"])
    assert set(LANGUAGE_NAMES) >= names.LANGUAGE_CODES


def test_it_makes_identities_the_person_model_accepts():
    sexes = {choice for choice, _ in Person.Sex.choices} | {""}
    for identity in draw(2000):
        person = Person(**{k: v for k, v in identity.items() if k not in ("languages", "heritage")})
        person.clean()
        assert person.search_text == normalize(
            f"{person.legal_given_name} {person.legal_family_name} {person.preferred_name}"
        )
        assert person.sex in sexes
        assert len(person.pronouns) <= 40
        assert len(person.gender_identity) <= 100
        longest = max(
            len(identity["legal_given_name"]),
            len(identity["legal_family_name"]),
            len(identity["preferred_name"]),
        )
        assert longest <= 150
        assert dt.date(1890, 1, 1) < identity["date_of_birth"] < names.REFERENCE_DATE


def test_it_makes_phone_numbers_that_normalize_to_their_e164_form():
    rng = random.Random(3)
    for _ in range(500):
        typed, e164 = names.random_phone(rng)
        assert normalize_phone(typed) == e164


def test_it_draws_full_names_for_support_contacts_and_staff():
    rng = random.Random(9)
    full = [names.random_full_name(rng) for _ in range(200)]
    assert all(" " in name for name in full)
    assert len(set(full)) > 150
