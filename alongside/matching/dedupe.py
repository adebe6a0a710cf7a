"""Finding duplicate people in a CSV file of a million rows, in minutes, in Python.

1. Read the file as a stream into compact tuples (`model.Record`), with every
   normalized value and phonetic code computed once.
2. Blocking: records are compared only when they share a key (same date of birth and a
   name sound; same pair of name sounds and birth year; same phone; ...). One kind of
   key at a time, so only one index is in memory; blocks larger than `max_block` are
   skipped (a phone shared by a whole shelter says nothing about who is who).
3. Each candidate pair is scored once by the model and kept when it reaches the
   `possible` threshold.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from alongside.matching.blocking import MAX_BLOCK, SHIFT, Summary, candidate_pairs
from alongside.matching.fellegi_sunter import (
    FIRST_NAMES_AGREE,
    Frequencies,
    Record,
    compare,
    decide,
    make_record,
    weigh,
)
from alongside.matching.probabilities import KIN
from alongside.people.normalize import normalize_phone

COLUMNS = (
    "id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "street",
    "city",
    "postal_code",
    "state",
    "identifier",
)
# Pairs scored per task.
CHUNK = 200_000
# Rows read between two progress messages.
PROGRESS_ROWS = 100_000
_EARLIEST = dt.date(1890, 1, 1)
_NON_DIGITS = re.compile(r"\D")
# Letters that scanning or typing puts for digits in a phone number ("(5S2) 7O1-...").
_OCR_DIGITS = str.maketrans("OoIlSB", "001158")
_NANP_REGIONS = frozenset({"US", "CA"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


__all__ = ["MAX_BLOCK", "Summary", "candidate_pairs", "find_matches", "link_groups", "read_records"]


class DedupeInputError(ValueError):
    pass


@contextmanager
def without_gc() -> Iterator[None]:
    """The cyclic garbage collector off for a bulk step: a million records, their
    blocks and pairs are millions of objects without a cycle among them, and each
    collection would walk them all again (it cost blocking a third of its time at
    100,000 rows). Reference counting frees them as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_DATE_DIGITS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def dob_digits(text: str) -> str:
    """YYYYMMDD of a date written YYYY-MM-DD even when it is not a real date (month 87):
    compared digit by digit, it is still one slip from the right one."""
    found = _DATE_DIGITS.match(text.strip())
    return "".join(found.groups()) if found else ""


def parse_dob(text: str, today: dt.date) -> dt.date | None:
    """A YYYY-MM-DD date of birth, or None when malformed or impossible."""
    text = text.strip()
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        born = dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None
    return born if _EARLIEST <= born <= today else None


def _date(text: str, today: dt.date) -> tuple[str, bool]:
    """The YYYYMMDD digits of a date of birth as typed, and whether it is malformed or
    impossible (then its digits as typed, see `dob_digits`)."""
    born = parse_dob(text, today)
    return (born.isoformat().replace("-", ""), False) if born else (dob_digits(text), True)


def fast_phone(text: str) -> str | None:
    """E.164 form of a phone number; North American numbers without the phonenumbers
    library (a hundred times faster), anything else through it."""
    text = text.strip().translate(_OCR_DIGITS)
    north_american = settings.PHONE_DEFAULT_REGION in _NANP_REGIONS
    if (north_american and not text.startswith("+")) or text.startswith("+1"):
        digits = _NON_DIGITS.sub("", text)
        if len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
        if (
            len(digits) == 10
            and digits[0] in "23456789"
            and digits[3] in "23456789"
            and digits[1:3] != "11"
            and digits[4:6] != "11"
        ):
            return "+1" + digits
    return normalize_phone(text)


def _rows(reader: Any) -> Iterator[list[str]]:
    """The rows of a csv reader; DedupeInputError naming the line of a malformed one."""
    try:
        yield from reader
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            problem = f"a cell is longer than {csv.field_size_limit():,} characters"
        else:
            problem = f"it is not well-formed CSV ({error})"
        raise DedupeInputError(f"Line {reader.line_num}: {problem}. Nothing was written.") from None


def read_file(
    source: Path, *, progress: Callable[[str], None] | None = None
) -> tuple[list[Record], Summary]:
    """`read_records` of a UTF-8 file; DedupeInputError naming the line otherwise."""
    try:
        with source.open(newline="", encoding="utf-8-sig") as stream, without_gc():
            return read_records(stream, progress=progress)
    except UnicodeDecodeError:
        with source.open("rb") as raw:
            for number, line in enumerate(raw, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise DedupeInputError(
                        f"Line {number} is not UTF-8 text (byte {error.start + 1} of the "
                        "line). Save the file as UTF-8 and try again. Nothing was written."
                    ) from None
        raise


def read_records(  # noqa: C901 - one branch per column check; dedupe is being rewritten
    stream: IO[str],
    *,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[Record], Summary]:
    """Records from a CSV stream with a header; raises DedupeInputError when the id
    column or some ids are missing, naming the rows (the header is row 1). Says how
    many rows it has read every PROGRESS_ROWS rows."""
    today = today or dt.date.today()  # noqa: DTZ011 (a calendar date)
    reader = csv.reader(stream, strict=True)
    rows = _rows(reader)
    header = [name.strip().lower().lstrip("\ufeff") for name in next(rows, [])]
    if "id" not in header:
        raise DedupeInputError("The file has no id column (its header must name 'id').")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise DedupeInputError(
            f"Line 1 names columns this command does not know: {', '.join(unknown)}. "
            f"Known columns: {', '.join(COLUMNS)}. Nothing was written."
        )
    width = len(header)
    # The columns in the order of COLUMNS; a column the file lacks reads the empty cell
    # added at the end of each row.
    cells = itemgetter(*(header.index(name) if name in header else width for name in COLUMNS))
    summary = Summary()
    records: list[Record] = []
    missing_ids: list[int] = []
    dates: dict[str, tuple[str, bool]] = {}  # each distinct date as typed, parsed once

    for number, row in enumerate(rows, start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            row = (row + [""] * width)[:width]
        row.append("")
        id_, given, family, dob_text, sex, phone_text, email, street, _, postal, _, code = map(
            str.strip, cells(row)
        )
        if not id_:
            missing_ids.append(number)
            continue
        summary.rows += 1
        dob = ""
        if dob_text:
            parsed = dates.get(dob_text)
            if parsed is None:
                parsed = dates[dob_text] = _date(dob_text, today)
            dob, bad = parsed
            summary.bad_dates += bad
        if progress and summary.rows % PROGRESS_ROWS == 0:
            progress(f"read {summary.rows:,} rows")
        phone = fast_phone(phone_text) if phone_text else None
        if phone_text and phone is None:
            summary.bad_phones += 1
        if email and not _EMAIL.match(email):
            summary.bad_emails += 1
            email = ""
        records.append(
            make_record(id_, given, family, dob, sex, phone or "", email, street, postal, code)
        )
    if missing_ids:
        shown = ", ".join(str(n) for n in missing_ids[:20])
        more = f" and {len(missing_ids) - 20} more" if len(missing_ids) > 20 else ""
        raise DedupeInputError(f"Rows without an id: {shown}{more}. Nothing was written.")
    return records, summary


def _score_slice(
    records: list[Record],
    pairs: Sequence[int],
    likely: float,
    possible: float,
    frequencies: Frequencies | None,
) -> list[tuple[int, int, float, str]]:
    found: list[tuple[int, int, float, str]] = []
    for pair in pairs:
        a, b = divmod(pair, SHIFT)
        total = weigh(records[b], compare(records[a], records[b]), frequencies, records[a])
        if total >= possible:
            decision = decide(total, likely, possible)
            assert decision is not None
            found.append((a, b, round(total, 2), decision))
    return found


# Set by find_matches for worker processes started by fork, which inherit it.
_SHARED: tuple[list[Record], Sequence[int], float, float, Frequencies | None] | None = None


def _score_part(bounds: tuple[int, int]) -> list[tuple[int, int, float, str]]:
    assert _SHARED is not None
    records, pairs, likely, possible, frequencies = _SHARED
    return _score_slice(records, pairs[bounds[0] : bounds[1]], likely, possible, frequencies)


def find_matches(
    records: list[Record],
    pairs: Sequence[int],
    likely: float,
    possible: float,
    *,
    frequencies: Frequencies | None = None,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> list[tuple[int, int, float, str]]:
    """(position a, position b, score, decision) of each candidate pair reaching
    `possible`, in the order of the pairs. Scored in `workers` processes when the
    platform can fork."""
    chunk = CHUNK
    bounds = [(start, min(start + chunk, len(pairs))) for start in range(0, len(pairs), chunk)]
    found: list[tuple[int, int, float, str]] = []
    if workers > 1 and len(bounds) > 1 and hasattr(os, "fork"):
        import multiprocessing

        global _SHARED
        _SHARED = (records, pairs, likely, possible, frequencies)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for done, part in enumerate(pool.imap(_score_part, bounds), start=1):
                    found.extend(part)
                    if progress:
                        progress(f"scored {bounds[done - 1][1]:,} of {len(pairs):,} pairs")
        finally:
            _SHARED = None
        return found
    for start, end in bounds:
        found.extend(_score_slice(records, pairs[start:end], likely, possible, frequencies))
        if progress:
            progress(f"scored {end:,} of {len(pairs):,} pairs")
    return found


# Two members of one household born the same day: twins, whose records are the likeliest
# to be wrongly linked through a third record.
_TWINS = ("dob_kin", "exact")


def _vouches(third: Record, other: Record) -> bool:
    """Whether a third record may say `other` is the same person as it: its first name
    agrees with the other's (exact, close or a nickname; a record with no first name
    vouches for no one, or it would join twins through their family's nameless record)
    and the pair does not look like two members of one household."""
    levels = compare(third, other)
    return any(level in FIRST_NAMES_AGREE for level in levels) and not any(
        name in KIN for name, _ in levels
    )


def _one_person_between(
    records: list[Record], partners: dict[int, set[int]], a: int, b: int
) -> bool:
    """Whether records a and b are both likely, on their own scores, the same person as
    one third record whose first name agrees with both, neither pair looking like two
    members of one household: then a and b are one person too, however different their
    own records (each was entered from the original with its own slips)."""
    return any(
        _vouches(records[min(a, c)], records[max(a, c)])
        and _vouches(records[min(b, c)], records[max(b, c)])
        for c in partners[a] & partners[b]
    )


# Groups of records linked by likely pairs are one person when they are this small;
# larger groups are left as pairs for people to look at.
MAX_GROUP = 8


def link_groups(  # noqa: C901, PLR0912 - union-find, its groups, and the pairs left out
    records: list[Record],
    found: list[tuple[int, int, float, str]],
    frequencies: Frequencies | None = None,
    floor: float = 0.0,
) -> list[tuple[int, int, float, str]]:
    """Transitivity: when A is likely B and B is likely C, A and C are likely the same
    person too, even if their own records differ more (each was entered from the
    original with different slips). Returns `found` with such pairs added or raised to
    likely, keeping their own score; in groups larger than MAX_GROUP only the pairs
    already possible on their own are raised. Pairs that look like two members of one
    household (see `fellegi_sunter.compare`) are left as they are when they score
    below `floor` on their own (in large groups, always): a chain through a garbled
    record must not make a household one person."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b, _, decision in found:
        if decision == "likely":
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[ra] = rb
    groups: dict[int, set[int]] = {}
    for a, b, _, decision in found:
        if decision == "likely":
            groups.setdefault(root(a), set()).update((a, b))
    linked = {(a, b): n for n, (a, b, _, _) in enumerate(found)}
    # Each record's likely partners on its own score: a pair that looks like a
    # household's is one person still when both are likely the same as one third record.
    partners: dict[int, set[int]] = {}
    for a, b, _, decision in found:
        if decision == "likely":
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
    result = list(found)
    large = [group for group in groups.values() if len(group) > MAX_GROUP]
    for group in groups.values():
        if not 2 < len(group) <= MAX_GROUP:
            continue
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                n = linked.get((a, b))
                if n is not None and result[n][3] == "likely":
                    continue
                levels = compare(records[a], records[b])
                total = weigh(records[b], levels, frequencies, records[a])
                if (
                    total < floor
                    and any(name in KIN for name, _ in levels)
                    and not (
                        total > 0
                        and _TWINS not in levels
                        and _one_person_between(records, partners, a, b)
                    )
                ):
                    continue
                if n is None:
                    result.append((a, b, round(total, 2), "likely"))
                else:
                    result[n] = (*result[n][:3], "likely")
    # A larger group (a chain may run through strangers) is checked pair by pair: only
    # its pairs that are possible on their own, and do not look like two members of one
    # household, become likely.
    member = {x: n for n, group in enumerate(large) for x in group}
    for n, (a, b, total, decision) in enumerate(result):
        if (
            decision != "likely"
            and member.get(a, -1) == member.get(b, -2)
            and not any(name in KIN for name, _ in compare(records[a], records[b]))
        ):
            result[n] = (a, b, total, "likely")
    return result
