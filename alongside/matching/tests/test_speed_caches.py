"""What `alongside dedupe` remembers to go faster (names compared once per pair of
names, names normalized once, name sounds worked out once, blocking in several
processes) gives what working it all out again gives."""

from __future__ import annotations

import io
import random
import string
from typing import Any

import pytest

from alongside.matching import blocking, dedupe, em
from alongside.matching import fellegi_sunter as fs
from alongside.matching.comparisons import close_name
from alongside.matching.fellegi_sunter import compare, make_record
from alongside.matching.text import family_parts, nysiis
from alongside.people.normalize import fold, normalize

GIVEN = ["Mary", "Maria", "Marie", "Mary Ann", "Maryann", "Bob", "Robert", "Jose", "José"]
GIVEN += ["Jesus", "Juan", "Jsan", "Ana", "Anna", "L1nda", "Linda", "Sb ephen", "Stephen"]
FAMILY = ["Smith", "Smyth", "5mith", "Garcia Lopez", "Garcia", "Lopez", "de la Cruz", "Cruz"]
FAMILY += ["Hernandez", "Hernandes", "Po wel1", "Powell", "Vang Alexander", "Alexander", "James"]


def _typo(rng: random.Random, name: str) -> str:
    if not name or rng.random() < 0.6:
        return name
    i = rng.randrange(len(name))
    return name[:i] + rng.choice(string.ascii_lowercase + " 01") + name[i + 1 :]


def _records(count: int, seed: int) -> list[Any]:
    rng = random.Random(seed)
    found = []
    for n in range(count):
        given, family = _typo(rng, rng.choice(GIVEN)), _typo(rng, rng.choice(FAMILY))
        if rng.random() < 0.1:
            given, family = "", f"{given} {family}"  # a whole name in one field
        elif rng.random() < 0.1:
            given, family = family, given  # swapped
        found.append(
            make_record(
                str(n),
                given,
                family,
                rng.choice(["19840309", "19840903", "19850309", "19840399", ""]),
                rng.choice(["f", "m", ""]),
                rng.choice(["+12125550187", "+12125550188", ""]),
                "",
                rng.choice(["12|main", "14|main", ""]),
                rng.choice(["10001", "10002", ""]),
                rng.choice(["MCD123456", "MCD123465", ""]),
            )
        )
    return found


def test_names_remembered_for_a_pair_of_names_give_what_comparing_them_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = _records(300, seed=3)
    rng = random.Random(5)
    pairs = [(rng.choice(records), rng.choice(records)) for _ in range(3000)]
    with fs.remembering_names():
        remembered = [compare(a, b) for a, b in pairs]
        again = [compare(a, b) for a, b in pairs]  # every pair of names remembered now
        assert len(fs._name_pairs) < len(pairs)  # names repeat: fewer pairs of names
        monkeypatch.setattr(fs, "_remembered_names", fs._names)
        worked_out = [compare(a, b) for a, b in pairs]
    assert remembered == worked_out
    assert again == worked_out
    assert {name for levels in worked_out for name, _ in levels} >= {"swap", "dob_kin"}


def test_the_names_remembered_are_forgotten_when_there_are_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fs, "NAME_PAIRS_REMEMBERED", 10)
    records = _records(100, seed=4)
    with fs.remembering_names():
        for b in records:
            compare(records[0], b)
            assert len(fs._name_pairs) <= 10


def test_names_are_remembered_only_during_a_bulk_run_and_forgotten_after_it() -> None:
    records = _records(50, seed=6)
    for b in records:
        compare(records[0], b)  # one record at a time, as the registration check does
    assert not fs._name_pairs
    with fs.remembering_names():
        for b in records:
            compare(records[0], b)
        assert fs._name_pairs
    assert not fs._name_pairs
    assert fs.street_key.cache_info().currsize == 0
    assert fs._given_fields.cache_info().currsize == 0


def test_a_bulk_match_forgets_blocking_name_sounds_after_it() -> None:
    from alongside.matching.pipeline import match

    match(_records(60, seed=7))
    assert blocking._given_codes.cache_info().currsize == 0
    assert blocking._all_codes.cache_info().currsize == 0


def test_names_and_streets_normalized_once_give_what_normalizing_gives() -> None:
    rng = random.Random(7)
    for _ in range(500):
        given = _typo(rng, rng.choice(GIVEN)) + rng.choice(["", " ", "-Ann", "É"])
        family = _typo(rng, rng.choice(FAMILY))
        street = rng.choice(["12 Main Street", "12 mainstreet", "3850madison Ave Apt 4", "Élm Rd"])
        record = make_record("1", given, family, street=street)
        assert record[1:4] == fs._given_fields.__wrapped__(given)
        assert record[4:8] == fs._family_fields.__wrapped__(family)
        assert record[12] == fs.street_key.__wrapped__(street)
        names = fs.name_letters(normalize(family))
        assert record[4] == names
        assert record[6] == family_parts(names)


@pytest.mark.parametrize("alphabet", [string.printable, "AaÉé ñ-'’.ﬁ①Ⅻ"])
def test_plain_ascii_folds_to_its_lower_case(alphabet: str) -> None:
    rng = random.Random(11)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        if text.isascii():
            assert text.lower() == fold(text)
        assert normalize(text) == normalize(text.lower() if text.isascii() else fold(text))
    assert normalize("  Mary-Ann O'Neil ") == "mary ann oneil"
    assert normalize("José ﬁ") == "jose fi"


def test_name_sounds_worked_out_once_give_what_working_them_out_gives() -> None:
    for r in _records(400, seed=9):
        given = {nysiis(root.split(" ", 1)[0]) for root in r[2]}
        if r[3]:
            given.add(r[3])
        if " " in r[1]:
            given.add(nysiis(r[1].replace(" ", "")))
        assert blocking._name_codes(r) == (given, r[7])
        every = given | {nysiis(p) for p in r[6]} | ({r[7]} if r[7] else set())
        assert blocking._any_name_codes(r) == every


def test_blocking_in_two_processes_finds_what_one_finds() -> None:
    records = _records(600, seed=13)
    one, two = dedupe.Summary(), dedupe.Summary()
    said: list[str] = []
    alone = blocking.candidate_pairs(records, max_block=20, summary=one)
    shared = blocking.candidate_pairs(
        records, max_block=20, summary=two, workers=2, progress=said.append
    )
    assert shared == alone
    assert len(alone) > 1000
    assert two.skipped_blocks == one.skipped_blocks > 0
    assert said[-1] == f"blocking done: {len(alone):,} candidate pairs"


def test_reading_says_how_many_rows_it_has_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedupe, "PROGRESS_ROWS", 2)
    text = "identifier,id,given_name,family_name,date_of_birth,extra\n"
    text += "X1,1,Ana,Ruiz,1984-03-09\n,2,Ana,Ruiz,1984-03-09,,\n,3,Luis,Gómez,1984-13-09\n"
    text += ",4,Luis,Gómez,1984-13-09\n"
    said: list[str] = []
    with pytest.raises(dedupe.DedupeInputError, match="columns this command does not know"):
        dedupe.read_records(io.StringIO(text), progress=said.append)
    text = text.replace(",extra", "")
    records, summary = dedupe.read_records(io.StringIO(text), progress=said.append)
    assert said == ["read 2 rows", "read 4 rows"]
    assert [r[8] for r in records] == ["19840309", "19840309", "19841309", "19841309"]
    assert [r[14] for r in records] == ["X1", "", "", ""]
    assert summary.bad_dates == 2


def test_counting_patterns_in_two_processes_counts_them_in_the_same_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(em, "PARALLEL_PAIRS", 100)
    records = _records(200, seed=17)
    rng = random.Random(19)
    pairs = [tuple(sorted(rng.sample(range(len(records)), 2))) for _ in range(3000)]
    alone = em.count_patterns(records, pairs)  # type: ignore[arg-type]
    shared = em.count_patterns(records, pairs, workers=2)  # type: ignore[arg-type]
    assert list(shared.items()) == list(alone.items())
    assert len(alone) > 20


def test_close_names_remembered_give_what_comparing_them_gives() -> None:
    rng = random.Random(23)
    names = [_typo(rng, normalize(rng.choice(GIVEN + FAMILY))) for _ in range(200)]
    for _ in range(3000):
        x, y = rng.choice(names), rng.choice(names)
        codes = (nysiis(x), nysiis(y))
        assert close_name(x, y, *codes) == close_name.__wrapped__(x, y, *codes)
    assert close_name.cache_info().hits > 0
