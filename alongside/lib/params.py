"""Whole numbers read from a query string, bounded so that no value a client sends reaches a
query the database cannot run: SQLite refuses integers past 2**63-1 with an OverflowError,
and a page number of 0 or less would slice backwards. (Ids in filters are bounded where they
are read: form fields with min_value=1 and max_value=MAX_ID, as the audit filter does.)"""

from __future__ import annotations

import re
from collections.abc import Mapping

MAX_PAGE = 10_000
# A record id as text: ASCII digits only ("²".isdigit() is true, int("²") fails), and short
# enough to stay below 2**63.
_ID = re.compile(r"[0-9]{1,18}")


def id_or_none(text: str) -> int | None:
    """`text` as a record id, or None when it is not one."""
    return int(text) if _ID.fullmatch(text) else None


def query_page(params: Mapping[str, str], name: str = "page", *, high: int = MAX_PAGE) -> int:
    """A page number from 1 to `high`: missing or malformed means 1, and a number beyond
    either end means that end, so a stale or edited link still shows a page."""
    try:
        # Thousands of digits are a ValueError too (Python's int_max_str_digits).
        number = int(params.get(name) or 1)
    except ValueError:
        return 1
    return max(1, min(number, high))


def version_sent(text: str) -> int | None:
    """The record version a form sent back: None when it sent none (the service then
    checks nothing), else a number to compare with the record's. What is not a version
    (letters, thousands of digits) becomes 0, which no record has: the change is refused
    as stale rather than made without the check."""
    if not text:
        return None
    number = id_or_none(text.strip())
    return 0 if number is None else number
