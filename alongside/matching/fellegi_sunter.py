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

from alongside.matching.text import family_parts, given_roots, jaro_winkler, nysiis, one_edit
from alongside.people.normalize import normalize, normalize_identifier

LIKELY = "likely"
POSSIBLE = "possible"

DEFAULT_LIKELY_THRESHOLD = 22.5
DEFAULT_POSSIBLE_THRESHOLD = 15.5

# Names this similar (Jaro-Winkler) count as a typo of each other.
CLOSE_NAME = 0.9
# Names that sound alike (same phonetic code) count as close when at least this similar
# ("José" and "Jesús" share a code but are two names).
SOUNDS_ALIKE_NAME = 0.85
# Names one keystroke apart ("Jsan" and "Juan") count as close from this length on.
MIN_ONE_EDIT = 3

# (m, u) for each field and level. m: P(level | same person); u: P(level | different
# people). Estimated with `bench/bench_matching.py fit` on the generated 100,000-row file
# (u from random pairs, m by EM with u fixed), except the u of the same phone, email,
# address, street and postal code and the m of levels the generator never produces,
# which are stated for real caseloads; see docs/matching.md, "Where the numbers come
# from".
PROBABILITIES: dict[str, dict[str, tuple[float, float]]] = {
    "given": {
        "exact": (0.669, 0.00192),
        "nickname": (0.035, 0.00011),
        "close": (0.278, 0.00137),
        "different": (0.018, 0.9966),
    },
    "family": {
        "exact": (0.598, 0.00223),
        "part": (0.149, 0.00215),
        "close": (0.215, 0.00064),
        "different": (0.038, 0.99498),
    },
    "dob": {
        "exact": (0.675, 0.000035),
        "transposed": (0.050, 0.000011),
        "one_digit": (0.253, 0.00105),
        "two_slips": (0.0196, 0.0123),
        "year": (0.005, 0.0087),
        "different": (0.005, 0.9779),
    },
    "sex": {"same": (0.99, 0.5), "different": (0.01, 0.5)},
    # Sex when the first names agree (exactly, as a nickname or but for a typo): strangers
    # named alike are nearly always of the same sex too, so agreeing then says little.
    "sex_named": {"same": (0.99, 0.852), "different": (0.01, 0.148)},
    "phone": {"same": (0.888, 0.0001), "different": (0.112, 0.9999)},
    "email": {"same": (0.95, 0.0001), "different": (0.05, 0.9999)},
    "address": {
        "same": (0.782, 0.0001),
        "street": (0.040, 0.001),
        "postal_code": (0.038, 0.01),
        "different": (0.140, 0.9889),
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
    ("dob", "two_slips"): "date of birth two slips apart",
    ("dob", "year"): "same year of birth",
    ("dob", "different"): "different date of birth",
    ("sex", "same"): "same sex",
    ("sex", "different"): "different sex",
    ("sex_named", "same"): "same sex",
    ("sex_named", "different"): "different sex",
    ("phone", "same"): "same phone number",
    ("phone", "different"): "different phone",
    ("email", "same"): "same email address",
    ("email", "different"): "different email",
    ("address", "same"): "same address",
    ("address", "street"): "same street address",
    ("address", "postal_code"): "same postal code",
    ("address", "different"): "different address",
    ("identifier", "same"): "same identifier",
    ("identifier", "different"): "different identifier",
    ("swap", "swapped"): "first and last names swapped",
}


# A near-miss of a name is never stronger evidence than the name itself: these levels
# weigh at most what the exact level does (with its frequency adjustment, in bulk).
FUZZY_NAME_LEVELS = frozenset(
    {("given", "nickname"), ("given", "close"), ("family", "part"), ("family", "close")}
)


def _weights() -> dict[tuple[str, str], float]:
    weights = {
        (field, level): math.log2(m / u)
        for field, levels in PROBABILITIES.items()
        for level, (m, u) in levels.items()
    }
    for name, level in FUZZY_NAME_LEVELS:
        weights[name, level] = min(weights[name, level], weights[name, "exact"])
    return weights


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
    if _close(x, y, a[3], b[3]):
        return "close"
    return "different"


def _close(x: str, y: str, x_code: str, y_code: str) -> bool:
    """A typo: one keystroke apart, very similar, or sounding alike and similar."""
    if min(len(x), len(y)) >= MIN_ONE_EDIT and one_edit(x, y):
        return True
    similarity = jaro_winkler(x, y)
    return similarity >= CLOSE_NAME or (x_code == y_code and similarity >= SOUNDS_ALIKE_NAME)


def _family_level(a: Record, b: Record) -> str:
    if a[5] == b[5]:
        return "exact"
    pa, pb = a[6], b[6]
    if (len(pa) > 1 or len(pb) > 1) and not set(pa).isdisjoint(pb):
        return "part"
    if _close(a[5], b[5], a[7], b[7]):
        return "close"
    return "different"


def _name_to_name(x: str, x_code: str, y: str, y_code: str) -> bool:
    """For swapped names: whether a first name and a last name are the same name."""
    return (
        x == y
        or x_code == y_code
        or _close(x, y, x_code, y_code)
        or not given_roots(x).isdisjoint(given_roots(y))
    )


def _digits_apart(x: str, y: str) -> int:
    return sum(p != q for p, q in zip(x, y, strict=True))


def _dob_level(x: str, y: str) -> str:
    """Dates as YYYYMMDD."""
    if x == y:
        return "exact"
    apart = _digits_apart(x, y)
    if x[:4] == y[:4] and x[4:6] == y[6:8] and x[6:8] == y[4:6]:
        return "transposed"
    if apart == 1:
        return "one_digit"
    if apart == 2 or _digits_apart(x, y[:4] + y[6:8] + y[4:6]) == 1:
        return "two_slips"
    if x[:4] == y[:4]:
        return "year"
    return "different"


_FIRST_NAMES_AGREE = frozenset({("given", "exact"), ("given", "nickname"), ("given", "close")})


def compare(a: Record, b: Record) -> list[tuple[str, str]]:  # noqa: C901, PLR0912 - one branch per field compared
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
        named = any(level in _FIRST_NAMES_AGREE for level in levels)
        levels.append(("sex_named" if named else "sex", "same" if a[9] == b[9] else "different"))
    if a[10] and b[10]:
        levels.append(("phone", "same" if a[10] == b[10] else "different"))
    if a[11] and b[11]:
        levels.append(("email", "same" if a[11] == b[11] else "different"))
    if a[12] and b[12] and a[13] and b[13]:
        if a[12] == b[12] and a[13] == b[13]:
            levels.append(("address", "same"))
        else:
            levels.append(("address", "postal_code" if a[13] == b[13] else "different"))
    elif a[12] and b[12]:
        # A postal code missing on one side: the street (with its number) alone.
        levels.append(("address", "street" if a[12] == b[12] else "different"))
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
# with that whole name, not from the sum of the two. Two records agreeing on a whole name
# are at least two records with it: the share is counted as at least FULL_NAME_MIN / all
# records (a fixed floor would cap the weight of the rarest names lower the larger the
# file).
FULL_NAME_MIN = 2


@dataclass(frozen=True)
class Frequencies:
    given: dict[str, float]
    family: dict[str, float]
    full: dict[str, float] = field(default_factory=dict)
    # Each part of a compound family name ("garcia" of "garcia lopez"): the weight of
    # "last names share a part" when that is the part shared.
    part: dict[str, float] = field(default_factory=dict)
    # A first name with a part of the family name ("luis|castillo"), for the same reason
    # as the whole name: when both agree, this weight replaces the sum of the two.
    named_part: dict[str, float] = field(default_factory=dict)

    @classmethod
    def count(cls, records: list[Record]) -> Frequencies:
        total = len(records)
        if total < FREQUENCY_MIN_RECORDS:
            return cls({}, {})
        given: dict[str, int] = {}
        family: dict[str, int] = {}
        full: dict[str, int] = {}
        part: dict[str, int] = {}
        named_part: dict[str, int] = {}
        for r in records:
            if r[1] and r[5]:
                name = f"{r[1]}|{r[5]}"
                full[name] = full.get(name, 0) + 1
            if r[1]:
                given[r[1]] = given.get(r[1], 0) + 1
            if r[5]:
                family[r[5]] = family.get(r[5], 0) + 1
                for p in set(r[6]):
                    part[p] = part.get(p, 0) + 1
                    if r[1] and len(r[6]) > 1:
                        name = f"{r[1]}|{p}"
                        named_part[name] = named_part.get(name, 0) + 1
                if r[1] and len(r[6]) == 1:
                    name = f"{r[1]}|{r[6][0]}"
                    named_part[name] = named_part.get(name, 0) + 1
        m_given, m_family = PROBABILITIES["given"]["exact"][0], PROBABILITIES["family"]["exact"][0]
        m_part = PROBABILITIES["family"]["part"][0]

        def weigh(counts: dict[str, int], m: float, floor: float) -> dict[str, float]:
            return {v: math.log2(m / max(n / total, floor)) for v, n in counts.items()}

        return cls(
            weigh(given, m_given, FREQUENCY_FLOOR),
            weigh(family, m_family, FREQUENCY_FLOOR),
            weigh(full, m_given * m_family, FULL_NAME_MIN / total),
            weigh(part, m_part, FREQUENCY_FLOOR),
            weigh(named_part, m_given * m_part, FULL_NAME_MIN / total),
        )


_GIVEN_EXACT = ("given", "exact")
_FAMILY_EXACT = ("family", "exact")
_FAMILY_PART = ("family", "part")
_SWAPPED = ("swap", "swapped")
_TYPO_LEVELS = frozenset({("given", "close"), ("family", "close")})
_TYPO_SHIFT = {
    level: math.log2(PROBABILITIES[level[0]][level[1]][0] / PROBABILITIES[level[0]]["exact"][0])
    for level in _TYPO_LEVELS
}


def _shared_part(a: Record, b: Record, frequencies: Frequencies) -> str | None:
    """The rarest family-name part `a` and `b` share (`a` may have its names swapped)."""
    shared = set(a[6]).intersection(b[6]) or set(family_parts(a[1])).intersection(b[6])
    known = [p for p in shared if p in frequencies.part]
    return max(known, key=frequencies.part.__getitem__) if known else None


def weigh(  # noqa: C901, PLR0912 - one branch per field's agreement level
    b: Record,
    levels: list[tuple[str, str]],
    frequencies: Frequencies | None,
    a: Record | None = None,
) -> float:
    """The score of the levels found comparing `a` with `b` (its names are the ones that
    agree exactly, even when `a` has them swapped). With `frequencies`, exact names weigh
    by how common they are, near-misses at most as much as the exact name would, and a
    shared family-name part (when `a` is given) by how common that part is."""
    weights = WEIGHTS
    if frequencies is None or not frequencies.given:
        return sum(weights[level] for level in levels)
    total = 0.0  # all but the names
    names = 0.0
    given_exact = frequencies.given.get(b[1], weights[_GIVEN_EXACT])
    family_exact = frequencies.family.get(b[5], weights[_FAMILY_EXACT])
    unswapped = _SWAPPED not in levels
    if frequencies.full and _GIVEN_EXACT in levels and _FAMILY_EXACT in levels:
        both = frequencies.full.get(f"{b[1]}|{b[5]}")
        if both is not None:
            names += both - given_exact - family_exact
    near: tuple[str, str] | None = None
    for level in levels:
        if level == _GIVEN_EXACT:
            names += given_exact
        elif level == _FAMILY_EXACT:
            names += family_exact
        elif level == _FAMILY_PART:
            part = _shared_part(a, b, frequencies) if a is not None else None
            if part is None:
                names += weights[level]
                continue
            names += frequencies.part[part]
            both = frequencies.named_part.get(f"{b[1]}|{part}")
            if _GIVEN_EXACT in levels and both is not None:
                names += both - given_exact - frequencies.part[part]
        elif level in FUZZY_NAME_LEVELS:
            # At most what the more common of the two names would weigh exactly (the
            # common spelling is the likelier one, the other the slip); for a typo, with
            # the m of the typo level.
            near = level
            if level[0] == "given":
                cap = given_exact
                if a is not None and unswapped:
                    cap = min(cap, frequencies.given.get(a[1], cap))
            else:
                cap = family_exact
                if a is not None and unswapped:
                    cap = min(cap, frequencies.family.get(a[5], cap))
            names += min(weights[level], cap + _TYPO_SHIFT.get(level, 0.0))
        else:
            total += weights[level]
    if (
        near is not None
        and a is not None
        and unswapped
        and (_FAMILY_EXACT if near[0] == "given" else _GIVEN_EXACT) in levels
    ):
        # One name exact and the other a near-miss: at most what the more common of the
        # two whole names would weigh (names are not independent, as above).
        spellings = (frequencies.full.get(f"{a[1]}|{a[5]}"), frequencies.full.get(f"{b[1]}|{b[5]}"))
        known = [w for w in spellings if w is not None]
        if known:
            names = min(names, min(known) + _TYPO_SHIFT.get(near, 0.0))
    return total + names


def score(a: Record, b: Record, frequencies: Frequencies | None = None) -> float:
    return weigh(b, compare(a, b), frequencies, a)


@dataclass(frozen=True)
class Explanation:
    score: float
    decision: str | None
    reasons: list[str]  # strongest evidence first, for and then against


def explain(a: Record, b: Record, frequencies: Frequencies | None = None) -> Explanation:
    levels = compare(a, b)
    weighted = sorted(((WEIGHTS[level], level) for level in levels), key=lambda x: -x[0])
    total = weigh(b, levels, frequencies, a)
    likely, possible = thresholds()
    return Explanation(
        score=round(total, 2),
        decision=decide(total, likely, possible),
        reasons=[REASONS[level] for _, level in weighted],
    )
