"""Comparing two match records field by field: the level of each field (see
`probabilities.py` for what each level weighs and `fellegi_sunter.compare`)."""

from __future__ import annotations

from functools import lru_cache
from operator import ne

from alongside.matching.text import family_parts, given_roots, jaro_winkler, nysiis, one_edit

# Names this similar (Jaro-Winkler) count as a typo of each other.
CLOSE_NAME = 0.9
# Names that sound alike (same phonetic code) count as close when at least this similar
# ("José" and "Jesús" share a code but are two names).
SOUNDS_ALIKE_NAME = 0.85
# Names one keystroke apart ("Jsan" and "Juan") count as close when the longer is at
# least this long ("Jn" and "Jun": a letter dropped from a short name).
MIN_ONE_EDIT = 3
# Identifiers, phones and postal codes this many characters apart (same length) or one
# keystroke apart count as "close"; identifiers from this length on.
CLOSE_CODE_SLIPS = 2
MIN_CLOSE_IDENTIFIER = 5

# A record is a plain tuple, compact enough for a million in memory:
# (id, given, given_roots, given_code, family, family_compact, family_parts, family_code,
#  dob "YYYYMMDD" (digits as typed, even of an impossible date), sex "f"/"m", phone
#  E.164, email, street "number|name", postal code, identifier); "" (or empty) where
#  missing.
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


def family_code(parts: tuple[str, ...]) -> str:
    return nysiis("".join(parts)) if parts else ""


def swapped(a: Record) -> Record:
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
        family_code(parts),
        *a[8:],
    )


@lru_cache(maxsize=1 << 17)  # names repeat: each pair of spellings is compared once
def close_name(x: str, y: str, x_code: str, y_code: str) -> bool:
    """A typo: one keystroke apart, very similar, or sounding alike and similar."""
    if max(len(x), len(y)) >= MIN_ONE_EDIT and min(len(x), len(y)) > 1 and one_edit(x, y):
        return True
    similarity = jaro_winkler(x, y)
    return similarity >= CLOSE_NAME or (x_code == y_code and similarity >= SOUNDS_ALIKE_NAME)


def given_level(a: Record, b: Record) -> str:
    x, y = a[1], b[1]
    if x == y:
        return "exact"
    if a[2] & b[2] or x in b[2] or y in a[2]:
        return "nickname"
    if " " in x or " " in y:
        if x.replace(" ", "") == y.replace(" ", ""):
            return "exact"  # "Mary Ann" and "Maryann"
        if x.split(" ", 1)[0] == y.split(" ", 1)[0]:
            return "close"
        # A space typed into a name with a typo besides ("Sb ephen"): compared without it.
        x, y = x.replace(" ", ""), y.replace(" ", "")
    if close_name(x, y, a[3], b[3]):
        return "close"
    return "different"


def family_level(a: Record, b: Record) -> str:
    if a[5] == b[5]:
        return "exact"
    pa, pb = a[6], b[6]
    if (len(pa) > 1 or len(pb) > 1) and not set(pa).isdisjoint(pb):
        return "part"
    if close_name(a[5], b[5], a[7], b[7]):
        return "close"
    return "different"


def name_to_name(x: str, x_code: str, y: str, y_code: str) -> bool:
    """For swapped names: whether a first name and a last name are the same name (spaces
    typed in or dropped ignored)."""
    bare_x, bare_y = x.replace(" ", ""), y.replace(" ", "")
    return (
        bare_x == bare_y
        or x_code == y_code
        or close_name(bare_x, bare_y, x_code, y_code)
        or not given_roots(x).isdisjoint(given_roots(y))
    )


def _digits_apart(x: str, y: str) -> int:
    """Positions at which two strings of one length differ."""
    return sum(map(ne, x, y))


def _impossible(dob: str) -> set[int]:
    """The positions (4: month, 6: day) of the components of YYYYMMDD digits that no
    date has."""
    found = set()
    if not "01" <= dob[4:6] <= "12":
        found.add(4)
    if not "01" <= dob[6:8] <= "31":
        found.add(6)
    return found


# A date of birth one digit off in the year is "year_near" when the years are at most
# this far apart, else "year_digit" ("one_digit" is then a slip in the month or day).
NEAR_YEARS = 2


def dob_level(x: str, y: str) -> str:
    """Dates as YYYYMMDD digits, compared by component, so an impossible date as typed
    (month 87) is still one digit from the right one."""
    if x == y:
        return "exact"
    level = _dob_level(x, y)
    if x[:4] != y[:4]:
        # A slip in the year: a year or two off (a birth year worked out from an age),
        # however many digits that changes (1989 and 1990), is another error than a
        # digit that makes the dates years apart.
        if x[4:] == y[4:] and abs(int(x[:4]) - int(y[:4])) <= NEAR_YEARS:
            return "year_near"
        if level == "one_digit":
            return "year_digit"
    return level


def _dob_level(x: str, y: str) -> str:
    if x[:4] == y[:4] and x[4:6] == y[6:8] and x[6:8] == y[4:6]:
        return "transposed"
    apart = _digits_apart(x, y)
    # Or two neighbouring digits of the month and day typed swapped; swapped year digits
    # are two slips: 1968 and 1986 are a parent and child as often as a typo.
    if apart == 1 or (apart == 2 and x[:4] == y[:4] and one_edit(x, y)):
        return "one_digit"
    impossible = _impossible(x) | _impossible(y)
    if impossible:
        # An impossible month or day ("87") is one slip whatever its digits, if the dates
        # differ in it (one both share is no slip between them); the other components
        # are compared digit by digit.
        slips = sum(x[i : i + 2] != y[i : i + 2] for i in impossible)
        slips += _digits_apart(x[:4], y[:4])
        slips += sum(
            _digits_apart(x[i : i + 2], y[i : i + 2]) for i in (4, 6) if i not in impossible
        )
        if slips <= 2:
            return "one_digit" if slips == 1 else "two_slips"
    if apart == 2 or _digits_apart(x, y[:4] + y[6:8] + y[4:6]) == 1:
        return "two_slips"
    if x[4:] == y[4:]:
        return "day_month"
    if x[:4] == y[:4]:
        return "year"
    return "different"


def code_level(x: str, y: str, shortest: int = 0) -> str:
    """Identifiers, phones: same, close (one keystroke, or up to two characters of the
    same length apart) or different."""
    if x == y:
        return "same"
    if min(len(x), len(y)) < shortest:
        return "different"
    if len(x) == len(y):  # a neighbours' swap is two positions apart too
        return "close" if _digits_apart(x, y) <= CLOSE_CODE_SLIPS else "different"
    return "close" if abs(len(x) - len(y)) == 1 and one_edit(x, y) else "different"


def _postal_close(x: str, y: str) -> bool:
    return len(x) == len(y) and _digits_apart(x, y) <= CLOSE_CODE_SLIPS


def address_level(sa: str, pa: str, sb: str, pb: str) -> str | None:  # noqa: PLR0911 - one return per level
    """Street ("number|name", see `fellegi_sunter.street_key`) and postal code, either
    possibly empty; None when there is nothing to compare."""
    streets = bool(sa and sb)
    postals = bool(pa and pb)
    if not streets and not postals:
        return None
    postal_same = postals and pa == pb
    postal_near = not postals or postal_same or _postal_close(pa, pb)
    if streets and sa == sb:
        if postal_same:
            return "same"
        return "street" if postal_near else "different"
    if streets:
        number_a, _, name_a = sa.partition("|")
        number_b, _, name_b = sb.partition("|")
        if name_a and name_a == name_b and postal_near:
            return "street_name"
    return "postal_code" if postal_same else "different"
