"""Blocking keys for a duplicate with two or more fields wrong: each key finds the pair
its corruption leaves it, and is cheap where the corruption is absent."""

from __future__ import annotations

from typing import Any

from alongside.matching import blocking
from alongside.matching.blocking import SHIFT, candidate_pairs
from alongside.matching.fellegi_sunter import make_record
from alongside.matching.tests.test_comparison_levels import population
from alongside.matching.tests.test_speed_caches import _records


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


def _typo(name: str, n: int) -> str:
    """A typo at the start of a name, where it changes the name's sound: the first two
    letters swapped, the first letter dropped or changed, or a letter typed in."""
    return [name[1] + name[0] + name[2:], name[1:], "x" + name[1:], name[0] + "h" + name[1:]][n % 4]


def test_a_typo_in_one_name_is_found_when_nothing_else_agrees(monkeypatch: Any) -> None:
    records = population(400, seed=21)
    copies = []
    for i, r in enumerate(records[:48]):
        if i % 3 == 0:
            copies.append(_copy(r, _typo(r[1], i // 3), r[4]))
        elif i % 3 == 1:
            copies.append(_copy(r, r[1], _typo(r[4], i // 3)))
        else:  # swapped, with a typo in the first name
            copies.append(_copy(r, r[4], _typo(r[1], i // 3)))
    assert _found(records, copies) == 48
    assert _found(records, copies, blocking._keys_name_typo, monkeypatch) == 48
    without = tuple(k for k in blocking.BLOCKING if k is not blocking._keys_name_typo)
    monkeypatch.setattr(blocking, "BLOCKING", without)
    assert _found(records, copies) < 24


def test_the_typo_key_keeps_only_small_blocks_and_short_names_whole(monkeypatch: Any) -> None:
    typo = [make_record("copy", "Mary", "Smiht")]
    few = [make_record(str(i), "Mary", "Smith") for i in range(5)]
    many = [make_record(str(i), "Mary", "Smith") for i in range(10)]
    assert _found(few, typo, blocking._keys_name_typo, monkeypatch) == 1
    assert _found(many, typo, blocking._keys_name_typo, monkeypatch) == 0
    assert list(blocking._keys_name_typo(make_record("1", "Jn", "Kwan"))) == [
        "jn|kwan",
        "jn|wan",
        "jn|kan",
        "jn|kwn",
        "jn|kwa",
        "kwan|jn",
    ]
    # "Jun" less its "u" is "Jn": a letter dropped from a short name.
    assert "kwan|jn" in set(blocking._keys_name_typo(make_record("2", "Jun", "Kwan")))


def test_typo_blocks_made_name_by_name_are_the_typo_keys_blocks() -> None:
    # The blocks of the key, less those of one spelling of the other name (the names
    # alike throughout: the names' key pairs them).
    views = [blocking._views(r) for r in _records(800, seed=5)]
    entries: dict[str, set[tuple[int, str]]] = {}
    for i, of_record in enumerate(views):
        for view in of_record:
            for name, other in blocking._names_both_ways(view[1], view[5]):
                for variant in blocking._one_letter_less(other):
                    entries.setdefault(f"{name}|{variant}", set()).add((i, other))
    by_key = {
        tuple(sorted({i for i, _ in found}))
        for found in entries.values()
        if len({other for _, other in found}) > 1
    }
    assert blocking._typo_blocks(views) == by_key
    assert len(by_key) > 50


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
