"""The match model: Fellegi–Sunter comparison of two person records.

Each field is compared to a level (exact, close, different, missing...). A level has two
probabilities: m, how often two records of the *same* person agree at that level, and
u, how often two records of *different* people do. The level adds log2(m/u) to the
score; a missing value adds nothing. The total is compared with two thresholds, the
Django settings MATCH_LIKELY_THRESHOLD and MATCH_POSSIBLE_THRESHOLD. Every level also
has a sentence for people ("same date of birth", "last name sounds alike").

See docs/matching.md for how the numbers were chosen and how well they do.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.conf import settings

from alongside.matching.text import family_parts, given_roots, jaro_winkler, nysiis
from alongside.people.search import normalize, normalize_identifier

LIKELY = "likely"
POSSIBLE = "possible"

DEFAULT_LIKELY_THRESHOLD = 21.0
DEFAULT_POSSIBLE_THRESHOLD = 15.0

# Names this similar (Jaro-Winkler) count as a typo of each other.
CLOSE_NAME = 0.9
# Names that sound alike (same phonetic code) count as close when at least this similar
# ("José" and "Jesús" share a code but are two names).
SOUNDS_ALIKE_NAME = 0.85

# (m, u) for each field and level. m: P(level | same person); u: P(level | different
# people). Chosen by hand from published record-linkage studies and checked against
# bench/generate_duplicates.py; see docs/matching.md.
PROBABILITIES: dict[str, dict[str, tuple[float, float]]] = {
    "given": {
        "exact": (0.86, 0.005),
        "nickname": (0.05, 0.0005),
        "close": (0.07, 0.004),
        "different": (0.02, 0.99),
    },
    "family": {
        "exact": (0.86, 0.002),
        "part": (0.05, 0.002),
        "close": (0.07, 0.003),
        "different": (0.02, 0.99),
    },
    "dob": {
        "exact": (0.90, 0.0001),
        "transposed": (0.02, 0.0001),
        "one_digit": (0.04, 0.002),
        "year": (0.02, 0.012),
        "different": (0.02, 0.99),
    },
    "sex": {"same": (0.97, 0.5), "different": (0.03, 0.5)},
    "phone": {"same": (0.7, 0.0001), "different": (0.3, 0.9999)},
    "email": {"same": (0.7, 0.0001), "different": (0.3, 0.9999)},
    "address": {
        "same": (0.6, 0.001),
        "postal_code": (0.15, 0.01),
        "different": (0.25, 0.989),
    },
    "identifier": {"same": (0.95, 0.000001), "different": (0.05, 0.99)},
}

# Swapping first and last names costs this much, on top of the levels found swapped.
SWAP_PENALTY = 1.0

REASONS: dict[tuple[str, str], str] = {
    ("given", "exact"): "same first name",
    ("given", "nickname"): "first name is a nickname",
    ("given", "close"): "first name is spelled alike",
    ("given", "different"): "different first name",
    ("family", "exact"): "same last name",
    ("family", "part"): "last names share a part",
    ("family", "close"): "last name sounds alike",
    ("family", "different"): "different last name",
    ("dob", "exact"): "same date of birth",
    ("dob", "transposed"): "date of birth with day and month swapped",
    ("dob", "one_digit"): "date of birth one digit apart",
    ("dob", "year"): "same year of birth",
    ("dob", "different"): "different date of birth",
    ("sex", "same"): "same sex",
    ("sex", "different"): "different sex",
    ("phone", "same"): "phone matches",
    ("phone", "different"): "different phone",
    ("email", "same"): "email matches",
    ("email", "different"): "different email",
    ("address", "same"): "same address",
    ("address", "postal_code"): "same postal code",
    ("address", "different"): "different address",
    ("identifier", "same"): "identifier matches",
    ("identifier", "different"): "different identifier",
    ("swap", "swapped"): "first and last names swapped",
}


def _weights() -> dict[tuple[str, str], float]:
    return {
        (field, level): math.log2(m / u)
        for field, levels in PROBABILITIES.items()
        for level, (m, u) in levels.items()
    }


WEIGHTS: dict[tuple[str, str], float] = _weights()
WEIGHTS[("swap", "swapped")] = -SWAP_PENALTY


def thresholds() -> tuple[float, float]:
    """(likely, possible) from settings."""
    likely = float(getattr(settings, "MATCH_LIKELY_THRESHOLD", DEFAULT_LIKELY_THRESHOLD))
    possible = float(getattr(settings, "MATCH_POSSIBLE_THRESHOLD", DEFAULT_POSSIBLE_THRESHOLD))
    return likely, possible


def decide(score: float, likely: float, possible: float) -> str | None:
    if score >= likely:
        return LIKELY
    if score >= possible:
        return POSSIBLE
    return None


# A record is a plain tuple, compact enough for a million in memory:
# (id, given, given_roots, given_code, family, family_compact, family_parts, family_code,
#  dob "YYYYMMDD", sex "f"/"m", phone E.164, email, street, postal code, identifier);
# "" (or empty) where missing.
Record = tuple[
    str,
    str,
    frozenset[str],
    str,
    str,
    str,
    tuple[str, ...],
    str,
    str,
    str,
    str,
    str,
    str,
    str,
    str,
]

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
_SEX = {"f": "f", "female": "f", "woman": "f", "m": "m", "male": "m", "man": "m"}
_POSTAL = re.compile(r"[^0-9a-z]")


def normalize_street(street: str) -> str:
    words = normalize(street).split()
    return " ".join(_STREET_WORDS.get(w, w) for w in words)


def make_record(
    id: str,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    sex: str = "",
    phone: str = "",
    email: str = "",
    street: str = "",
    postal_code: str = "",
    identifier: str = "",
) -> Record:
    """A record from raw values; `phone` must already be in E.164 form (or empty)."""
    given = normalize(given_name)
    family = normalize(family_name)
    parts = family_parts(family)
    given_first = given.split(" ", 1)[0]
    return (
        id,
        given,
        given_roots(given),
        nysiis(given_first) if given_first else "",
        family,
        family.replace(" ", ""),
        parts,
        _family_code(parts),
        date_of_birth.strftime("%Y%m%d") if date_of_birth else "",
        _SEX.get(sex.strip().lower(), ""),
        phone,
        email.strip().lower(),
        normalize_street(street) if street else "",
        _POSTAL.sub("", postal_code.lower())[:5],
        normalize_identifier(identifier),
    )


def _family_code(parts: tuple[str, ...]) -> str:
    return nysiis("".join(parts)) if parts else ""


def _swapped(a: Record) -> Record:
    """The record with its first and last names exchanged."""
    given, family = a[4], a[1]
    parts = family_parts(family)
    first = given.split(" ", 1)[0]
    return (
        a[0],
        given,
        given_roots(given),
        nysiis(first) if first else "",
        family,
        family.replace(" ", ""),
        parts,
        _family_code(parts),
        *a[8:],
    )


def _given_level(a: Record, b: Record) -> str:
    x, y = a[1], b[1]
    if x == y:
        return "exact"
    if a[2] & b[2] or x in b[2] or y in a[2]:
        return "nickname"
    xf, yf = x.split(" ", 1)[0], y.split(" ", 1)[0]
    if xf == yf:
        return "close"
    similarity = jaro_winkler(x, y)
    if similarity >= CLOSE_NAME or (a[3] == b[3] and similarity >= SOUNDS_ALIKE_NAME):
        return "close"
    return "different"


def _family_level(a: Record, b: Record) -> str:
    if a[5] == b[5]:
        return "exact"
    pa, pb = a[6], b[6]
    if (len(pa) > 1 or len(pb) > 1) and not set(pa).isdisjoint(pb):
        return "part"
    similarity = jaro_winkler(a[5], b[5])
    if similarity >= CLOSE_NAME or (a[7] == b[7] and similarity >= SOUNDS_ALIKE_NAME):
        return "close"
    return "different"


def _name_to_name(x: str, x_code: str, y: str, y_code: str) -> bool:
    """For swapped names: whether a first name and a last name are the same name."""
    return (
        x == y
        or x_code == y_code
        or jaro_winkler(x, y) >= CLOSE_NAME
        or not given_roots(x).isdisjoint(given_roots(y))
    )


def _dob_level(x: str, y: str) -> str:
    if x == y:
        return "exact"
    if x[:4] == y[:4]:
        if x[4:6] == y[6:8] and x[6:8] == y[4:6]:
            return "transposed"
        if sum(p != q for p, q in zip(x[4:], y[4:], strict=True)) == 1:
            return "one_digit"
        return "year"
    if x[4:] == y[4:] and sum(p != q for p, q in zip(x[:4], y[:4], strict=True)) == 1:
        return "one_digit"
    return "different"


def compare(a: Record, b: Record) -> list[tuple[str, str]]:
    """The (field, level) of each field both records have."""
    levels: list[tuple[str, str]] = []
    if a[1] and b[1] and a[4] and b[4]:
        given, family = _given_level(a, b), _family_level(a, b)
        # Given and family names written the other way round?
        if (
            given == "different"
            and family == "different"
            and _name_to_name(a[1], a[3], b[5], b[7])
            and _name_to_name(a[5], a[7], b[1], b[3])
        ):
            swapped = _swapped(a)
            given, family = _given_level(swapped, b), _family_level(swapped, b)
            levels.append(("swap", "swapped"))
        levels.append(("given", given))
        levels.append(("family", family))
    elif a[1] and b[1]:
        levels.append(("given", _given_level(a, b)))
    elif a[4] and b[4]:
        levels.append(("family", _family_level(a, b)))
    if a[8] and b[8]:
        levels.append(("dob", _dob_level(a[8], b[8])))
    if a[9] and b[9]:
        levels.append(("sex", "same" if a[9] == b[9] else "different"))
    if a[10] and b[10]:
        levels.append(("phone", "same" if a[10] == b[10] else "different"))
    if a[11] and b[11]:
        levels.append(("email", "same" if a[11] == b[11] else "different"))
    if a[12] and b[12] and a[13] and b[13]:
        if a[12] == b[12] and a[13] == b[13]:
            levels.append(("address", "same"))
        else:
            levels.append(("address", "postal_code" if a[13] == b[13] else "different"))
    elif a[13] and b[13]:
        levels.append(("address", "postal_code" if a[13] == b[13] else "different"))
    if a[14] and b[14]:
        levels.append(("identifier", "same" if a[14] == b[14] else "different"))
    return levels


# Term frequencies: agreeing on a rare name says more than agreeing on a common one.
# With a table of name counts (`Frequencies.count`), an exact first or last name weighs
# log2(m / share of records with that name) instead of the flat log2(m / u) above; the
# share is floored at FREQUENCY_FLOOR so that a name seen once does not outweigh all.
FREQUENCY_FLOOR = 0.001
# Name shares from fewer records than this say little; the flat weights apply.
FREQUENCY_MIN_RECORDS = 1000


# First and last names are not independent (a family name comes with the given names of
# its tradition), so when both agree exactly the weight comes from the share of records
# with that whole name, floored at FULL_NAME_FLOOR, not from the sum of the two.
FULL_NAME_FLOOR = 0.00001


@dataclass(frozen=True)
class Frequencies:
    given: dict[str, float]
    family: dict[str, float]
    full: dict[str, float] = field(default_factory=dict)

    @classmethod
    def count(cls, records: list[Record]) -> Frequencies:
        total = len(records)
        if total < FREQUENCY_MIN_RECORDS:
            return cls({}, {})
        given: dict[str, int] = {}
        family: dict[str, int] = {}
        full: dict[str, int] = {}
        for r in records:
            if r[1] and r[5]:
                name = f"{r[1]}|{r[5]}"
                full[name] = full.get(name, 0) + 1
            if r[1]:
                given[r[1]] = given.get(r[1], 0) + 1
            if r[5]:
                family[r[5]] = family.get(r[5], 0) + 1
        m_given, m_family = PROBABILITIES["given"]["exact"][0], PROBABILITIES["family"]["exact"][0]

        def weigh(counts: dict[str, int], m: float, floor: float) -> dict[str, float]:
            return {v: math.log2(m / max(n / total, floor)) for v, n in counts.items()}

        return cls(
            weigh(given, m_given, FREQUENCY_FLOOR),
            weigh(family, m_family, FREQUENCY_FLOOR),
            weigh(full, m_given * m_family, FULL_NAME_FLOOR),
        )


_GIVEN_EXACT = ("given", "exact")
_FAMILY_EXACT = ("family", "exact")


def weigh(b: Record, levels: list[tuple[str, str]], frequencies: Frequencies | None) -> float:
    """The score of the levels found comparing some record with `b` (its names are the
    ones that agree exactly, even when the other record has them swapped)."""
    weights = WEIGHTS
    total = 0.0
    if (
        frequencies is not None
        and frequencies.full
        and _GIVEN_EXACT in levels
        and _FAMILY_EXACT in levels
    ):
        both = frequencies.full.get(f"{b[1]}|{b[5]}")
        if both is not None:
            total += both - frequencies.given.get(b[1], weights[_GIVEN_EXACT])
            total -= frequencies.family.get(b[5], weights[_FAMILY_EXACT])
    for level in levels:
        if frequencies is not None and level == _GIVEN_EXACT:
            total += frequencies.given.get(b[1], weights[level])
        elif frequencies is not None and level == _FAMILY_EXACT:
            total += frequencies.family.get(b[5], weights[level])
        else:
            total += weights[level]
    return total


def score(a: Record, b: Record, frequencies: Frequencies | None = None) -> float:
    return weigh(b, compare(a, b), frequencies)


@dataclass(frozen=True)
class Explanation:
    score: float
    decision: str | None
    reasons: list[str]  # strongest evidence first, for and then against


def explain(a: Record, b: Record, frequencies: Frequencies | None = None) -> Explanation:
    levels = compare(a, b)
    weighted = sorted(((WEIGHTS[level], level) for level in levels), key=lambda x: -x[0])
    total = weigh(b, levels, frequencies)
    likely, possible = thresholds()
    return Explanation(
        score=round(total, 2),
        decision=decide(total, likely, possible),
        reasons=[REASONS[level] for _, level in weighted],
    )
