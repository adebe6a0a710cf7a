"""`alongside dedupe` on small files, good and bad."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

HEADER = (
    "id,given_name,family_name,date_of_birth,sex,phone,email,street,city,postal_code,state,"
    "identifier"
)
ROWS = [
    "1,Robert,Hernández,1984-03-09,male,(212) 555-0187,,12 Main Street,Springfield,10001,IL,",
    "2,Bob,Hernandez,1984-09-03,M,212.555.0187,,12 Main St,Springfield,10001,IL,",
    "3,Hernández,Robert,1984-03-09,male,,,,,,,",
    "4,Lucía,García-López,1990-01-20,female,,lucia@example.org,,,,,MCD123",
    "5,Lucia,Garcia,1990-01-20,female,,LUCIA@example.org,,,,,mcd-123",
    "6,Amara,Okafor,1961-07-30,female,+1 312 555 0111,,,,60601,,",
    "7,Walter,Nguyen,2001-12-01,male,,,,,,,",
]


def run(tmp_path: Path, lines: list[str], *extra: str) -> tuple[str, list[dict[str, str]]]:
    source = tmp_path / "people.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "pairs.csv"
    out = StringIO()
    call_command(
        "dedupe", str(source), "--output", str(output), "--workers", "1", *extra, stdout=out
    )
    with output.open(newline="", encoding="utf-8") as f:
        return out.getvalue(), list(csv.DictReader(f))


def pairs(rows: list[dict[str, str]]) -> dict[frozenset[str], str]:
    return {frozenset((r["id_a"], r["id_b"])): r["decision"] for r in rows}


def test_it_finds_duplicates_with_nicknames_swaps_and_compound_names(tmp_path: Path) -> None:
    printed, rows = run(tmp_path, [HEADER, *ROWS])
    found = pairs(rows)
    assert found[frozenset(("1", "2"))] == "likely"  # nickname, transposed date, same phone
    assert found[frozenset(("1", "3"))] == "likely"  # swapped names
    assert found[frozenset(("4", "5"))] == "likely"  # compound name, accents, identifier
    assert not any("6" in pair or "7" in pair for pair in found)
    assert list(rows[0]) == ["id_a", "id_b", "score", "decision"]
    assert "read 7 rows" in printed
    assert "likely" in printed


def test_it_adds_reasons_on_request(tmp_path: Path) -> None:
    _, rows = run(tmp_path, [HEADER, *ROWS], "--reasons")
    reasons = {frozenset((r["id_a"], r["id_b"])): r["reasons"] for r in rows}
    assert "first name is a nickname" in reasons[frozenset(("1", "2"))]
    assert "same phone number" in reasons[frozenset(("1", "2"))]


def test_it_accepts_missing_columns_and_counts_malformed_values(tmp_path: Path) -> None:
    printed, rows = run(
        tmp_path,
        [
            "id,given_name,family_name,date_of_birth,phone",
            "a,Robert,Hernández,1984-03-09,not a phone",
            "b,Robert,Hernandez,1984-13-45,",
            "c,Robert,Hernández,1984-03-09,",
            "d,,,,",
        ],
    )
    assert "1 malformed dates of birth" in printed
    assert "1 malformed phones" in printed
    assert pairs(rows)[frozenset(("a", "c"))] == "likely"


def test_it_refuses_a_file_without_an_id_column(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no id column"):
        run(tmp_path, ["given_name,family_name", "Robert,Hernández"])
    assert not (tmp_path / "pairs.csv").exists()


def test_it_names_rows_without_an_id_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Rows without an id: 3, 5\. Nothing was written"):
        run(tmp_path, [HEADER, ROWS[0], ",Bob,Hernandez,,,,,,,,,", ROWS[2], ",,,,,,,,,,,"])
    assert not (tmp_path / "pairs.csv").exists()


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("dedupe", str(tmp_path / "nope.csv"), "--output", str(tmp_path / "o.csv"))


def test_it_scores_in_several_processes_like_in_one(tmp_path: Path) -> None:
    from alongside.matching import dedupe
    from alongside.matching.fellegi_sunter import make_record

    records = [make_record(str(i), "Robert", "Hernández") for i in range(40)]
    pairs_ = dedupe.candidate_pairs(records)
    one = dedupe.find_matches(records, pairs_, 22, 12, workers=1)
    old, dedupe.CHUNK = dedupe.CHUNK, 100
    try:
        two = dedupe.find_matches(records, pairs_, 22, 12, workers=2)
    finally:
        dedupe.CHUNK = old
    assert one == two and len(one) == 40 * 39 // 2


def test_it_links_groups_of_likely_pairs(tmp_path: Path) -> None:
    from alongside.matching import dedupe
    from alongside.matching.fellegi_sunter import make_record

    records = [make_record("a"), make_record("b"), make_record("c")]
    linked = dedupe.link_groups(records, [(0, 1, 30.0, "likely"), (1, 2, 30.0, "likely")])
    assert {(a, b, d) for a, b, _, d in linked} == {
        (0, 1, "likely"),
        (1, 2, "likely"),
        (0, 2, "likely"),
    }


def test_a_large_group_raises_only_its_pairs_possible_on_their_own() -> None:
    from alongside.matching import dedupe
    from alongside.matching.fellegi_sunter import make_record

    names = ["Ana", "Luis", "Tomas", "Kofi", "Mei", "Omar", "Ines", "Raj", "Zoe", "Yusuf"]
    size = len(names)
    assert size > dedupe.MAX_GROUP
    home = "+12125550187"
    records = [make_record(str(i), name, "Okafor", phone=home) for i, name in enumerate(names)]
    chain = [(i, i + 1, 30.0, "likely") for i in range(size - 1)]
    found = [*chain, (0, 2, 14.0, "possible"), (0, size - 1, 13.0, "possible")]
    linked = dedupe.link_groups(records, found)
    decided = {(a, b): d for a, b, _, d in linked}
    assert len(linked) == len(found)  # no pair of a large group is added
    # Two members of one household (same family name, first names different): left as
    # they are, even when possible on their own.
    assert decided[0, 2] == decided[0, size - 1] == "possible"
    records = [make_record(str(i), "Ana", f"Oka{n}", phone=home) for i, n in enumerate(names)]
    decided = {(a, b): d for a, b, _, d in dedupe.link_groups(records, found)}
    assert decided[0, 2] == decided[0, size - 1] == "likely"


def test_two_records_likely_the_same_as_a_third_are_one_person_though_they_look_like_kin() -> None:
    from alongside.matching import dedupe
    from alongside.matching.fellegi_sunter import compare, make_record, score

    home = {"phone": "+12125550187", "street": "7335 Harrison St", "postal_code": "54352"}

    def dale(given: str, dob: str, **more: str) -> Any:
        return make_record(given, given, "Harjo", dob, "m", **{**home, **more})

    # Two garbled records of Dale Harjo: on their own, first names different and the
    # family name and home the same, a household's pair.
    a, b, c = dale("Dle", "20110228"), dale("Dade", "20110218"), dale("Dale", "20110228")
    assert any(name == "phone_kin" for name, _ in compare(a, b))
    assert score(a, b) > 0
    found = [(0, 2, 30.0, "likely"), (1, 2, 30.0, "likely")]
    # Below the floor (possible) on its own: left as it is, unless both are likely the
    # same person as one third record (c, Dale, is).
    decided = {(x, y): d for x, y, _, d in dedupe.link_groups([a, b, c], found, floor=99.0)}
    assert decided[0, 1] == "likely"
    # A chain through a fourth record is not a shared third record.
    d = dale("Dale", "20110228", email="dale@example.org")
    chain = [(0, 2, 30.0, "likely"), (2, 3, 30.0, "likely"), (1, 3, 30.0, "likely")]
    decided = {(x, y): v for x, y, _, v in dedupe.link_groups([a, b, c, d], chain, floor=99.0)}
    assert decided[0, 3] == "likely" and (0, 1) not in decided
    # Twins (same birthday, first names different, one home) are never joined this way.
    twin = dale("Dade", "20110228")
    assert ("dob_kin", "exact") in compare(a, twin)
    decided = {(x, y): d for x, y, _, d in dedupe.link_groups([a, twin, c], found, floor=99.0)}
    assert (0, 1) not in decided
    # Nor when the third record looks like the other's household member.
    mark = dale("Mark", "20110228")
    decided = {(x, y): d for x, y, _, d in dedupe.link_groups([a, b, mark], found, floor=99.0)}
    assert (0, 1) not in decided


def test_a_record_with_no_first_name_does_not_make_twins_one_person() -> None:
    from alongside.matching import dedupe
    from alongside.matching.fellegi_sunter import make_record, score

    home = {
        "phone": "+12125550187",
        "street": "7335 Harrison St",
        "postal_code": "54352",
        "email": "garcia@example.org",
    }

    def garcia(given: str, dob: str) -> Any:
        return make_record(given or "x", given, "Garcia", dob, "m", **home)

    # Noah and Liam, one home, born ten days apart (one digit), and a record of the
    # family's with no first name, likely the same as each on its own score.
    records = [garcia("Noah", "20110228"), garcia("Liam", "20110218"), garcia("", "20110228")]
    found = [(0, 2, round(score(records[0], records[2]), 2), "likely")]
    found.append((1, 2, round(score(records[1], records[2]), 2), "likely"))
    assert all(total >= 22.5 for _, _, total, _ in found)
    decided = {(x, y): d for x, y, _, d in dedupe.link_groups(records, found, None, 15.5)}
    assert (0, 1) not in decided


def test_it_reads_phones_like_the_people_app(settings: Any) -> None:
    from alongside.matching.dedupe import fast_phone
    from alongside.people.normalize import normalize_phone

    for typed in ("(720) 535-0656", "1-720-535-0656", "+1 720 535 0656", "720.535.0656"):
        assert fast_phone(typed) == normalize_phone(typed) == "+17205350656"
    assert fast_phone("+44 20 7946 0958") == normalize_phone("+44 20 7946 0958")
    assert fast_phone("123") is None
    settings.PHONE_DEFAULT_REGION = "GB"
    assert fast_phone("020 7946 0958") == "+442079460958"


def test_it_writes_ids_that_look_like_formulas_as_text(tmp_path: Path) -> None:
    hostile = ['=HYPERLINK("https://evil.example")', "-2+3+cmd|' /C calc'!A0"]
    lines = [HEADER, *(f'"{h.replace(chr(34), chr(34) * 2)}"' + ROWS[0][1:] for h in hostile)]
    _, rows = run(tmp_path, lines, "--reasons")
    assert {rows[0]["id_a"], rows[0]["id_b"]} == {"'" + h for h in hostile}
    assert float(rows[0]["score"]) > 0 and rows[0]["decision"] == "likely"
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_it_explains_the_weights_and_says_why_they_were_not_learned(tmp_path: Path) -> None:
    printed, _ = run(tmp_path, [HEADER, *ROWS], "--explain")
    assert "weights: prior (not learned); fewer than 1,000 records" in printed
    assert "thresholds: likely at score 22.5" in printed
    assert any(line.startswith("identifier") for line in printed.splitlines())


def test_it_saves_weights_and_reuses_them(tmp_path: Path) -> None:
    weights = tmp_path / "weights.json"
    printed, first = run(tmp_path, [HEADER, *ROWS], "--weights", str(weights))
    assert weights.exists() and f"weights saved to {weights}" in printed
    printed, again = run(tmp_path, [HEADER, *ROWS], "--weights", str(weights))
    assert f"weights read from {weights}" in printed
    assert pairs(again) == pairs(first)
    assert "warning" not in printed
    saved = json.loads(weights.read_text(encoding="utf-8"))
    weights.write_text(json.dumps(saved | {"version": 1}), encoding="utf-8")
    printed, _ = run(tmp_path, [HEADER, *ROWS], "--weights", str(weights))
    assert "warning: " in printed and "date of birth weights are ignored" in printed
    weights.write_text("{broken", encoding="utf-8")
    with pytest.raises(CommandError, match="Could not read weights"):
        run(tmp_path, [HEADER, *ROWS], "--weights", str(weights))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,given_name,shoe_size\n1,Ana,38\n", r"Line 1 names columns .* shoe_size"),
        (b'id,given_name\n1,"Ana"x\n', r"Line 2: it is not well-formed CSV"),
        (b'id,given_name\n1,"Ana\n2,Bob\n', r"Line 3: it is not well-formed CSV"),
        (b"id,given_name\n1," + b"a" * 10_000_000 + b"\n", r"Line 2: a cell is longer than"),
        (b"id,given_name\n1,Ana\n2,\xff\xfeBob\n", r"Line 3 is not UTF-8 text"),
    ],
    ids=["unknown column", "broken quoting", "unclosed quote", "10 MB cell", "not UTF-8"],
)
def test_it_refuses_bad_csv_naming_the_line(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "people.csv"
    source.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("dedupe", str(source), "--output", str(tmp_path / "pairs.csv"))
    assert not (tmp_path / "pairs.csv").exists()
