"""Blocking keys for a duplicate with two or more fields wrong: each key finds the pair
its corruption leaves it, and is cheap where the corruption is absent."""

from __future__ import annotations

from typing import Any

from alongside.matching import blocking
from alongside.matching.blocking import SHIFT, candidate_pairs
from alongside.matching.fellegi_sunter import make_record
from alongside.matching.tests.test_comparison_levels import population


def _copy(r: Any, given: str, family: str, dob: str = "", street: str = "") -> Any:
    """A copy of a record with only the names, date of birth, sex and street given
    (street as `street_key` makes it, "number|name")."""
    copy = make_record("copy", given, family, dob, r[9])
    return (*copy[:10], "", "", street, "", "")


def _found(records: list[Any], copies: list[Any], only: Any = None, monkeypatch: Any = None) -> int:
    if only is not None:
        monkeypatch.setattr(blocking, "BLOCKING", (only,))
    pairs = set(candidate_pairs(records + [(f"copy{i}", *c[1:]) for i, c in enumerate(copies)]))
    n = len(records)
    return sum(i * SHIFT + n + i in pairs for i in range(len(copies)))


def test_the_same_home_and_initials_find_both_names_and_the_date_mistyped(
    monkeypatch: Any,
) -> None:
    records = population(400, seed=22)
    copies = []
    for i, r in enumerate(records[:40]):
        number, name = r[12].split("|")
        # Both names garbled past their sound (a letter typed in after the first),
        # another year of birth, no postal code: only the home and the initials agree.
        given = r[1][0] + "h" + r[1][1:]
        family = r[4][0] + "h" + r[4][1:]
        if i % 2:
            given, family = family, given
        copies.append(
            _copy(
                r, given, family, f"19{int(r[8][2:4]) % 90 + 5:02d}{r[8][4:]}", f"{number}|{name}"
            )
        )
    assert _found(records, copies, blocking._keys_street_initials, monkeypatch) == 40
    monkeypatch.setattr(
        blocking,
        "BLOCKING",
        tuple(k for k in blocking.BLOCKING if k is not blocking._keys_street_initials),
    )
    assert _found(records, copies) < 20


def test_the_day_of_birth_key_finds_swapped_names_with_a_typo_and_another_year(
    monkeypatch: Any,
) -> None:
    records = population(400, seed=23)
    copies = []
    for r in records[:40]:
        typo = r[1][:2] + "x" + r[1][3:]  # the first two letters kept, the sound not
        copies.append(_copy(r, r[4], typo, f"{int(r[8][:4]) + 10}{r[8][4:]}"))
    assert _found(records, copies, blocking._keys_day_name, monkeypatch) == 40
