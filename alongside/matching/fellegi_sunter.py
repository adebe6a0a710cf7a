"""The match model: Fellegi–Sunter comparison of two person records.

Each field is compared to a level (exact, close, different, missing...). A level has two
probabilities: m, how often two records of the *same* person agree at that level, and
u, how often two records of *different* people do. The level adds log2(m/u) to the
score; a missing value adds nothing. The total is compared with two thresholds: the
Django settings MATCH_LIKELY_THRESHOLD and MATCH_POSSIBLE_THRESHOLD for the prior
weights, or thresholds from the match probability of a model learned from the data
(`learned.py`). Every level also has a sentence for people ("same date of birth").

The prior m and u are in `probabilities.py`, the comparisons in `comparisons.py`, the
name-frequency adjustment in `term_frequency.py`. See docs/matching.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from django.conf import settings

from alongside.matching.comparisons import (
    CLOSE_NAME,
    MIN_CLOSE_IDENTIFIER,
    MIN_ONE_EDIT,
    SOUNDS_ALIKE_NAME,
    Record,
    address_level,
    close_name,
    code_level,
    dob_level,
    family_code,
    family_level,
    given_level,
    name_to_name,
    swapped,
)
from alongside.matching.probabilities import (
    FUZZY_NAME_LEVELS,
    PROBABILITIES,
    REASONS,
    SWAP_PENALTY,
    WEIGHTS,
)
from alongside.matching.term_frequency import Frequencies, weigh
from alongside.matching.text import family_parts, given_roots, name_letters, nysiis
from alongside.people.normalize import normalize, normalize_identifier

__all__ = [
    "CLOSE_NAME",
    "FUZZY_NAME_LEVELS",
    "MIN_ONE_EDIT",
    "PROBABILITIES",
    "REASONS",
    "SOUNDS_ALIKE_NAME",
    "SWAP_PENALTY",
    "WEIGHTS",
    "Frequencies",
    "Record",
    "compare",
    "resplit",
    "weigh",
]

LIKELY = "likely"
POSSIBLE = "possible"

DEFAULT_LIKELY_THRESHOLD = 22.5
DEFAULT_POSSIBLE_THRESHOLD = 15.5


def thresholds() -> tuple[float, float]:
    """(likely, possible) score thresholds of the prior weights, from settings."""
    likely = float(getattr(settings, "MATCH_LIKELY_THRESHOLD", DEFAULT_LIKELY_THRESHOLD))
    possible = float(getattr(settings, "MATCH_POSSIBLE_THRESHOLD", DEFAULT_POSSIBLE_THRESHOLD))
    return likely, possible


def decide(score: float, likely: float, possible: float) -> str | None:
    if score >= likely:
        return LIKELY
    if score >= possible:
        return POSSIBLE
    return None


_STREET_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "apartment": "apt",
    "unit": "apt",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}
_STREET_TYPES = frozenset({"st", "ave", "rd", "dr", "blvd", "ln", "ct", "pl", "way", "ter"})
# Street types glued to the name ("mainstreet"), longest first.
_GLUED_TYPES = tuple(
    sorted(
        {w for w, short in _STREET_WORDS.items() if short in _STREET_TYPES} | {"way", "st"},
        key=len,
        reverse=True,
    )
)
_SEX = {"f": "f", "female": "f", "woman": "f", "m": "m", "male": "m", "man": "m"}
_POSTAL = re.compile(r"[^0-9a-z]")
_GLUED_NUMBER = re.compile(r"^(\d+)([a-z]{3,})$")
# Names and streets repeat: each distinct one as typed is normalized once (see
# `make_record`), up to this many.
_NAMES_CACHED = 1 << 17


def normalize_street(street: str) -> str:
    words = normalize(street).split()
    return " ".join(_STREET_WORDS.get(w, w) for w in words)


@lru_cache(maxsize=_NAMES_CACHED)
def street_key(street: str) -> str:
    """ "number|name" of a street address: the house number, and the street's name
    without its type and spaces ("12 Main Street" and "12 mainstreet" give "12|main"),
    so that a street name can agree while the number is missing or wrong."""
    words = normalize_street(street).split()
    if "apt" in words:
        words = words[: words.index("apt")]
    number = ""
    if words and any(ch.isdigit() for ch in words[0]):
        number, words = words[0], words[1:]
        split = _GLUED_NUMBER.match(number)
        if split:  # "3850madison": the space after the number dropped
            number, words = split[1], [split[2], *words]
    name = "".join(w for w in words if w not in _STREET_TYPES)
    for glued in _GLUED_TYPES:
        if name.endswith(glued) and len(name) > len(glued) + 2:
            name = name[: -len(glued)]
            break
    return f"{number}|{name}" if number or name else ""


@lru_cache(maxsize=_NAMES_CACHED)
def _given_fields(given_name: str) -> tuple[str, frozenset[str], str]:
    """The first-name fields of a record (given, given_roots, given_code)."""
    given = name_letters(normalize(given_name))
    given_first = given.split(" ", 1)[0]
    return given, given_roots(given), nysiis(given_first) if given_first else ""


@lru_cache(maxsize=_NAMES_CACHED)
def _family_fields(family_name: str) -> tuple[str, str, tuple[str, ...], str]:
    """The family-name fields of a record (family, family_compact, family_parts,
    family_code)."""
    family = name_letters(normalize(family_name))
    parts = family_parts(family)
    return family, family.replace(" ", ""), parts, family_code(parts)


def make_record(
    id: str,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | str | None = None,
    sex: str = "",
    phone: str = "",
    email: str = "",
    street: str = "",
    postal_code: str = "",
    identifier: str = "",
) -> Record:
    """A record from raw values; `phone` must already be in E.164 form (or empty); the
    date of birth a date, or the eight digits YYYYMMDD of one as typed (month 87)."""
    if isinstance(date_of_birth, str):
        dob = date_of_birth
    else:
        dob = date_of_birth.strftime("%Y%m%d") if date_of_birth else ""
    return (
        id,
        *_given_fields(given_name),
        *_family_fields(family_name),
        dob,
        _SEX.get(sex.strip().lower(), ""),
        phone,
        email.strip().lower(),
        street_key(street) if street else "",
        _POSTAL.sub("", postal_code.lower())[:5],
        normalize_identifier(identifier),
    )


FIRST_NAMES_AGREE = frozenset({("given", "exact"), ("given", "nickname"), ("given", "close")})
_KIN_FAMILY = frozenset({"exact", "part", "close"})


def resplit(r: Record) -> Record:
    """A record whose whole name was written in one field ("Ana García" as the family
    name, no first name): the first word as first name, the rest as family name (or,
    from the family-name field, all but the last word as first name)."""
    if r[1]:
        given, _, family = r[1].partition(" ")
    else:
        given, _, family = r[4].rpartition(" ")
    return (
        make_record(r[0], given, family, r[8], r[9], r[10], r[11], "", r[13], r[14])[:12] + r[12:]
    )


def _whole_names(a: Record, b: Record) -> tuple[Record, Record]:
    """The records with a whole name written in one field split (`resplit`) when the
    other record has both names, or a whole name in one field too."""
    a_whole = bool(a[1]) != bool(a[4]) and " " in (a[1] or a[4])
    b_whole = bool(b[1]) != bool(b[4]) and " " in (b[1] or b[4])
    if b_whole and (a_whole or (a[1] and a[4])):
        b = resplit(b)
    if a_whole and b[1] and b[4]:
        a = resplit(a)
    return a, b


def _shares_part(first: str, parts: tuple[str, ...]) -> bool:
    """For swapped names: whether a first-name field holds a compound family name
    ("Vang Alexander") sharing a part with the other record's family name."""
    return " " in first and not set(family_parts(first)).isdisjoint(parts)


def _names(a: Record, b: Record, levels: list[tuple[str, str]]) -> bool:
    """Compares the names into `levels` (first name, then family name, when both are
    compared); True when they look like two members of one household (first names
    entirely different, family names agreeing)."""
    if not (a[1] and a[4] and b[1] and b[4]):
        a, b = _whole_names(a, b)
    if a[1] and b[1] and a[4] and b[4]:
        given, family = given_level(a, b), family_level(a, b)
        if given == "exact" or family == "exact":
            pass  # a name moved across fields leaves neither exact
        elif (a[1] + a[5]).replace(" ", "") == (b[1] + b[5]).replace(" ", ""):
            given = family = "exact"  # a name moved into the other field
        elif (
            given == "different"
            and family == "different"
            and (name_to_name(a[1], a[3], b[5], b[7]) or _shares_part(a[1], b[6]))
            and (name_to_name(a[5], a[7], b[1], b[3]) or _shares_part(b[1], a[6]))
        ):
            # Given and family names written the other way round (in `b` when its first
            # name field holds a compound family name: "Vang Alexander" / "Keisha").
            if _shares_part(b[1], a[6]) and not _shares_part(a[1], b[6]):
                a, b = b, a
            other = swapped(a)
            given, family = given_level(other, b), family_level(other, b)
            levels.append(("swap", "swapped"))
            levels.append(("given", given))
            levels.append(("family", family))
            # Swapped, the names may still be two members of one household's.
            return given == "different" and family in _KIN_FAMILY
        levels.append(("given", given))
        levels.append(("family", family))
        # Family names agree, first names do not: a shared home, phone or birthday then
        # says "household". (Both names different was tried too: on generated file A it
        # took 65 true pairs, swapped names with typos, for households; with the sexes
        # different too, `compare` takes it for one.)
        return given == "different" and (
            family in _KIN_FAMILY or a[5] == b[1].replace(" ", "") or b[5] == a[1].replace(" ", "")
        )  # (or one record has its names the other way round: a twin's swapped record)
    if a[1] and b[1]:
        levels.append(("given", given_level(a, b)))
    elif a[4] and b[4]:
        levels.append(("family", family_level(a, b)))
    return False


# `_names` reads the name fields alone (1 to 7), and the pairs of names among candidate
# pairs are far fewer than the pairs (the same common names, again and again): its
# outcome is remembered for each pair of names, up to this many at a time.
NAME_PAIRS_REMEMBERED = 1 << 19
_NAME_FIELDS = itemgetter(1, 2, 3, 4, 5, 6, 7)
_name_pairs: dict[tuple[object, ...], tuple[tuple[tuple[str, str], ...], bool]] = {}


_remembering = False


@contextmanager
def remembering_names() -> Iterator[None]:
    """Name comparisons remembered for one bulk run (a file or an organization), and
    every name and street this module remembered forgotten after it (blocking's name
    sounds too: `pipeline.match`). Outside a bulk run the pairs are not remembered: a
    web process comparing one new record at a time gains nothing from them; only the
    bounded per-name caches keep the names it saw last."""
    global _remembering
    _remembering = True
    try:
        yield
    finally:
        _remembering = False
        forget_names()


def forget_names() -> None:
    _name_pairs.clear()
    for remembered in (street_key, _given_fields, _family_fields, close_name):
        remembered.cache_clear()


def _remembered_names(a: Record, b: Record, levels: list[tuple[str, str]]) -> bool:
    """`_names(a, b, levels)`, remembered for each pair of names."""
    key = _NAME_FIELDS(a) + _NAME_FIELDS(b)
    found = _name_pairs.get(key)
    if found is None:
        named: list[tuple[str, str]] = []
        kin = _names(a, b, named)
        if len(_name_pairs) >= NAME_PAIRS_REMEMBERED:
            _name_pairs.clear()
        found = _name_pairs[key] = (tuple(named), kin)
    levels.extend(found[0])
    return found[1]


# Levels of the date of birth that, with first names only alike, say "another member of
# the family" rather than "a typo" ("Marie" and "Maria", born years apart).
_KIN_DOB = frozenset({"different", "year", "day_month", "two_slips"})
_ALIKE = ([("given", "close")], [("given", "nickname")])


def _not_one_name(levels: list[tuple[str, str]]) -> bool:
    """Whether the names compared are not the same name: some name level other than
    exact ("Mario" and "Maria"; "Ana Ruiz" and "Luis Gómez"). With the sexes different,
    such records sharing a home, a phone or a birthday are two members of one family (a
    brother and a sister, twins, a couple) rather than one person with a typo."""
    names = [level for name, level in levels if name in ("given", "family")]
    return bool(names) and any(level != "exact" for level in names)


def compare(a: Record, b: Record) -> list[tuple[str, str]]:
    """The (field, level) of each field both records have."""
    levels: list[tuple[str, str]] = []
    # One identifier is one person, whatever the names: never a household.
    one_identifier = bool(a[14]) and a[14] == b[14]
    kin = (_remembered_names if _remembering else _names)(a, b, levels) and not one_identifier
    if not (kin or one_identifier) and a[9] and b[9] and a[9] != b[9]:
        kin = _not_one_name(levels)
    if a[8] and b[8]:
        dob = dob_level(a[8], b[8])
        if not (kin or one_identifier) and dob in _KIN_DOB and levels[-2:-1] in _ALIKE:
            kin = levels[-1][1] in _KIN_FAMILY
        levels.append(("dob_kin" if kin else "dob", dob))
    if a[9] and b[9]:
        named = any(level in FIRST_NAMES_AGREE for level in levels)
        levels.append(("sex_named" if named else "sex", "same" if a[9] == b[9] else "different"))
    address = address_level(a[12], a[13], b[12], b[13])
    if a[10] and b[10]:
        # A move changes phone and address together: with the addresses different, the
        # phone is its own field ("phone_moved"), so a move is not counted twice.
        phone = "phone_kin" if kin else "phone_moved" if address == "different" else "phone"
        levels.append((phone, code_level(a[10], b[10])))
    if a[11] and b[11]:
        levels.append(("email_kin" if kin else "email", "same" if a[11] == b[11] else "different"))
    if address is not None:
        levels.append(("address_kin" if kin else "address", address))
    if a[14] and b[14]:
        levels.append(("identifier", code_level(a[14], b[14], MIN_CLOSE_IDENTIFIER)))
    return levels


def score(a: Record, b: Record, frequencies: Frequencies | None = None) -> float:
    return weigh(b, compare(a, b), frequencies, a)


@dataclass(frozen=True)
class Explanation:
    score: float
    decision: str | None
    reasons: list[str]  # strongest evidence first, for and then against


def explain(a: Record, b: Record, frequencies: Frequencies | None = None) -> Explanation:
    levels = compare(a, b)
    weights = frequencies.weights if frequencies is not None else WEIGHTS
    weighted = sorted(((weights[level], level) for level in levels), key=lambda x: -x[0])
    total = weigh(b, levels, frequencies, a)
    likely, possible = thresholds()
    return Explanation(
        score=round(total, 2),
        decision=decide(total, likely, possible),
        reasons=[REASONS[level] for _, level in weighted],
    )
