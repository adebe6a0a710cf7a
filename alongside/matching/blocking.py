"""Blocking: which pairs of records are compared at all.

Records are compared only when they share a key. There are several independent kinds of
key, so that a pair is still found when any one field is wrong (a mistyped date of
birth, a family name changed, a new phone): date of birth with a name sound; the name
sounds with the year; postal code with a name sound; the name sounds alone; date of
birth with initials; day and month of birth with one name's sound and the other's first
two letters; phone; email; identifier; each half of the identifier with one name sound
(an identifier a digit or two off); the same house number and street with the same
initials. (A key for one name the same and the other one keystroke apart found a
fifth of the pairs the others missed at 100,000 rows, but almost none reached likely,
and it cost a sixth more CPU on the second generated set at a million rows: left out.) (A sorted
neighbourhood of the names written without spaces was tried: it added a quarter more
pairs for 8 of the 50 true pairs missed at 100,000 rows.) One kind of key at a time, so
only one index is in memory; blocks larger than `max_block` are skipped (a phone shared
by a whole shelter says nothing about who is who).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from alongside.matching.comparisons import Record
from alongside.matching.fellegi_sunter import resplit
from alongside.matching.text import nysiis

MAX_BLOCK = 50
# Pairs are numbered a * SHIFT + b, with a < b, to keep millions of them in a set.
SHIFT = 1 << 32


@dataclass
class Summary:
    """What reading and blocking an input found (printed by the commands)."""

    rows: int = 0
    bad_dates: int = 0
    bad_phones: int = 0
    bad_emails: int = 0
    skipped_blocks: int = 0
    candidate_pairs: int = 0
    likely: int = 0
    possible: int = 0
    missing: dict[str, int] = field(default_factory=dict)


# Names repeat: the sounds of each distinct name are worked out once, up to this many.
_SOUNDS_CACHED = 1 << 17


def _name_codes(r: Record) -> tuple[frozenset[str], str]:
    """The sounds of the first name (with the full names a nickname stands for, and the
    name without its spaces: "Fr ances"), and of the family name."""
    return _given_codes(r[1], r[2], r[3]), r[7]


def forget_codes() -> None:
    """Forget the name sounds kept during a bulk run (`pipeline.match` calls it after)."""
    for remembered in (_given_codes, _part_codes, _all_codes):
        remembered.cache_clear()


@lru_cache(maxsize=_SOUNDS_CACHED)
def _given_codes(given_name: str, roots: frozenset[str], code: str) -> frozenset[str]:
    given = {nysiis(root.split(" ", 1)[0]) for root in roots}
    if code:
        given.add(code)
    if " " in given_name:
        given.add(nysiis(given_name.replace(" ", "")))
    return frozenset(given)


@lru_cache(maxsize=_SOUNDS_CACHED)
def _part_codes(parts: tuple[str, ...]) -> frozenset[str]:
    """The sounds of each part of a family name."""
    return frozenset(nysiis(p) for p in parts)


def _any_name_codes(r: Record) -> frozenset[str]:
    """The sounds of the first name, of each part of the family name and of the whole."""
    return _all_codes(_given_codes(r[1], r[2], r[3]), _part_codes(r[6]), r[7])


@lru_cache(maxsize=_SOUNDS_CACHED)
def _all_codes(given: frozenset[str], parts: frozenset[str], family: str) -> frozenset[str]:
    return given | parts | ({family} if family else set())


def _views(r: Record) -> tuple[Record, ...]:
    """The record, and when its whole name is in one field ("Rosa Jones" as the family
    name, no first name), also that name split as `compare` splits it."""
    if bool(r[1]) != bool(r[4]) and " " in (r[1] or r[4]):
        return (r, resplit(r))
    return (r,)


def _keys_dob_name(r: Record) -> Iterator[str]:
    """Same date of birth (day and month in either order) and one name sound."""
    dob = r[8]
    if not dob:
        return
    day_month = "".join(sorted((dob[4:6], dob[6:8])))
    for code in _any_name_codes(r):
        yield f"{dob[:4]}{day_month}|{code}"


def _name_pairs(r: Record) -> Iterator[str]:
    given, family = _name_codes(r)
    if not family:
        return
    for code in given:
        first, second = sorted((code, family))
        yield f"{first}|{second}"


def _keys_year_names(r: Record) -> Iterator[str]:
    """The two name sounds, in either order, and the year of birth."""
    if r[8]:
        for pair in _name_pairs(r):
            yield f"{r[8][:4]}|{pair}"


def _keys_postal_name(r: Record) -> Iterator[str]:
    """The same postal code and one name sound (a missing or mistyped date of birth)."""
    if r[13]:
        for code in _any_name_codes(r):
            yield f"{r[13]}|{code}"


def _keys_names(r: Record) -> Iterator[str]:
    """A sound of the first name and of a part of the last name, in either order; for
    names rare enough that their block stays small."""
    given, family = _name_codes(r)
    others = _all_codes(frozenset(), _part_codes(r[6]), family)
    for code in given:
        for other in others:
            yield "|".join(sorted((code, other)))


def _keys_dob_initials(r: Record) -> Iterator[str]:
    """Same date of birth and the same initials, in either order (a typo in each name)."""
    if r[8] and r[1] and r[4]:
        dob = r[8]
        day_month = "".join(sorted((dob[4:6], dob[6:8])))
        yield f"{dob[:4]}{day_month}|{''.join(sorted((r[1][0], r[4][0])))}"


def _key_phone(r: Record) -> Iterator[str]:
    if r[10]:
        yield r[10]


def _key_email(r: Record) -> Iterator[str]:
    if r[11]:
        yield r[11]


def _key_identifier(r: Record) -> Iterator[str]:
    if r[14]:
        yield r[14]


# Identifiers at least this long (without a leading prefix of letters) are also blocked
# by each half (see `_keys_code_halves`).
MIN_HALVED_CODE = 6


def _keys_code_halves(r: Record) -> Iterator[str]:
    """Each half of the identifier with one name sound: a digit or two mistyped in an
    identifier are most often in one half, and a name that also agrees (in either field,
    for swapped names) keeps the blocks small. A prefix of letters ("MCD") is left out:
    most of an agency's identifiers share it. (The same for phones, their last eight
    digits, added 2% more pairs on the first generated file and 8% on the second for
    none of their true pairs.)"""
    code = r[14].lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if len(code) < MIN_HALVED_CODE:
        return
    given, family = _name_codes(r)
    middle = len(code) // 2
    for sound in given | ({family} if family else set()):
        yield f"<{code[:middle]}|{sound}"
        yield f">{code[middle:]}|{sound}"


def _keys_day_name(r: Record) -> Iterator[str]:
    """The day and month of birth (in either order), one name's sound and the other's
    first two letters: a slip in the year of birth together with a slip in one name.
    (With the initial alone, this key added 3.6 million pairs at a million rows.)"""
    dob = r[8]
    if dob:
        day_month = "".join(sorted((dob[4:6], dob[6:8])))
        for names in _sound_and_letters(r):
            yield f"{day_month}|{names}"


def _sound_and_letters(r: Record) -> Iterator[str]:
    """One name's sound and the other's first two letters, the sound first either way
    (swapped names share them)."""
    if not (r[1] and r[5]):
        return
    given, family = _name_codes(r)
    for code in given:
        yield f"{code}|{r[5][:2]}"
    if family:
        yield f"{family}|{r[1][:2]}"


def _keys_street_initials(r: Record) -> Iterator[str]:
    """The same house number and street name (whatever the postal code) and the same
    initials, in either order: the names and the date of birth mistyped, the postal code
    missing, the home the same."""
    street = r[12]
    if r[1] and r[4] and street and street[0] != "|" and street[-1] != "|":
        yield f"{street}|{''.join(sorted((r[1][0], r[4][0])))}"


# In this order, every other kind makes two groups of about the same cost for two
# processes (`candidate_pairs`), the first with the names' key (most of the pairs).
BLOCKING: tuple[Callable[[Record], Iterable[str]], ...] = (
    _keys_names,
    _keys_year_names,
    _keys_dob_name,
    _keys_postal_name,
    _key_email,
    _keys_dob_initials,
    _key_identifier,
    _key_phone,
    _keys_code_halves,
    _keys_day_name,
    _keys_street_initials,
)


def candidate_pairs(
    records: list[Record],
    *,
    max_block: int = MAX_BLOCK,
    summary: Summary | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
) -> array[int]:
    """Pairs of record positions sharing a blocking key, numbered a * 2**32 + b, in order
    (an array of 8-byte numbers: a tenth of the memory of a list of ints). With
    `workers` > 1 (where processes can fork), the kinds of key are shared among that
    many processes, each inheriting the records."""
    views = [_views(r) for r in records]
    kinds = BLOCKING
    if workers > 1 and hasattr(os, "fork"):
        import multiprocessing

        global _SHARED
        _SHARED = (views, max_block, progress)
        groups = [kinds[n::workers] for n in range(workers)]
        try:
            with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
                others = pool.map_async(_block_part, groups[1:], chunksize=1)
                # This process takes the first group, with the kind that finds most pairs
                # (they need not be sent across).
                pairs, skipped = _block(views, groups[0], max_block, progress)
                parts = others.get()
        finally:
            _SHARED = None
        for found, skipped_there in parts:
            pairs.update(found)
            skipped += skipped_there
        if summary is not None:
            summary.skipped_blocks += skipped
        del parts
        if progress:
            progress(f"blocking done: {len(pairs):,} candidate pairs")
    else:
        pairs, skipped = _block(views, kinds, max_block, progress)
        if summary is not None:
            summary.skipped_blocks += skipped
    ordered = sorted(pairs)
    pairs.clear()  # its table freed before the array is made
    return array("q", ordered)


# Set by candidate_pairs for worker processes started by fork, which inherit it.
_SHARED: tuple[list[tuple[Record, ...]], int, Callable[[str], None] | None] | None = None


def _block_part(kinds: tuple[Callable[[Record], Iterable[str]], ...]) -> tuple[list[int], int]:
    assert _SHARED is not None
    views, max_block, progress = _SHARED
    pairs, skipped = _block(views, kinds, max_block, progress)
    return list(pairs), skipped


def _blocks(
    views: list[tuple[Record, ...]], keys_of: Callable[[Record], Iterable[str]]
) -> dict[str, list[int]]:
    """The positions of the records sharing each key of one kind."""
    blocks: dict[str, list[int]] = {}
    for i, of_record in enumerate(views):
        for view in of_record:
            for key in keys_of(view):
                block = blocks.get(key)
                if block is None:
                    blocks[key] = [i]
                elif block[-1] != i:
                    block.append(i)
    return blocks


def _block(
    views: list[tuple[Record, ...]],
    kinds: tuple[Callable[[Record], Iterable[str]], ...],
    max_block: int,
    progress: Callable[[str], None] | None,
) -> tuple[set[int], int]:
    """The pairs sharing a key of one of `kinds`, and how many blocks were skipped."""
    pairs: set[int] = set()
    skipped = 0
    for keys_of in kinds:
        blocks = _blocks(views, keys_of).values()
        skipped_here = 0
        for block in blocks:
            n = len(block)
            if n < 2:
                continue
            if n > max_block:
                skipped_here += 1
                continue
            pairs.update(a * SHIFT + b for a, b in combinations(block, 2))
        skipped += skipped_here
        if progress:
            progress(
                f"blocking by {keys_of.__name__.lstrip('_')}: {len(blocks):,} keys, "
                f"{skipped_here:,} blocks over {max_block} skipped, {len(pairs):,} pairs so far"
                + (" in this process" if len(kinds) < len(BLOCKING) else "")
            )
        del blocks
    return pairs, skipped
