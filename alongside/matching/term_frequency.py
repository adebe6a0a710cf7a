"""Term-frequency adjustment: agreeing on a rare name says more than on a common one.

`Frequencies.count` counts the names of the input; `weigh` scores the levels of a pair
with them (or with flat weights). See docs/matching.md, "Rare names weigh more".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from alongside.matching.comparisons import Record
from alongside.matching.probabilities import FUZZY_NAME_LEVELS, PROBABILITIES, WEIGHTS, weights_of
from alongside.matching.text import family_parts

_GIVEN_EXACT = ("given", "exact")
_FAMILY_EXACT = ("family", "exact")
_FAMILY_PART = ("family", "part")
_SWAPPED = ("swap", "swapped")
_TYPO_LEVELS = frozenset({("given", "close"), ("family", "close")})


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
    # The model's weights these were counted with, and how much less a typo's m is than
    # the exact name's (log2).
    weights: dict[tuple[str, str], float] = field(default_factory=lambda: WEIGHTS)
    typo_shift: dict[tuple[str, str], float] = field(default_factory=dict)

    @classmethod
    def count(
        cls,
        records: list[Record],
        probabilities: dict[str, dict[str, tuple[float, float]]] | None = None,
    ) -> Frequencies:
        probabilities = probabilities or PROBABILITIES
        weights = weights_of(probabilities)
        total = len(records)
        if total < FREQUENCY_MIN_RECORDS:
            return cls({}, {}, weights=weights)
        given: dict[str, int] = {}
        family: dict[str, int] = {}
        full: dict[str, int] = {}
        part: dict[str, int] = {}
        named_part: dict[str, int] = {}
        people = _people(records)
        total = len(people)
        for r in people:
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
        m_given, m_family = probabilities["given"]["exact"][0], probabilities["family"]["exact"][0]
        m_part = probabilities["family"]["part"][0]

        def weigh(counts: dict[str, int], m: float, floor: float) -> dict[str, float]:
            return {v: math.log2(m / max(n / total, floor)) for v, n in counts.items()}

        return cls(
            weigh(given, m_given, FREQUENCY_FLOOR),
            weigh(family, m_family, FREQUENCY_FLOOR),
            weigh(full, m_given * m_family, FULL_NAME_MIN / total),
            weigh(part, m_part, FREQUENCY_FLOOR),
            weigh(named_part, m_given * m_part, FULL_NAME_MIN / total),
            weights,
            {
                level: math.log2(
                    probabilities[level[0]][level[1]][0] / probabilities[level[0]]["exact"][0]
                )
                for level in _TYPO_LEVELS
            },
        )


def _people(records: list[Record]) -> list[Record]:
    """One record per person, as far as can be told: the records of one whole name and
    date of birth count once, so that a name is not made common by its own duplicates
    (five records of one "Ziad Al Sayed" are not five people). Records without a date
    of birth each count."""
    seen: set[tuple[str, str, str]] = set()
    people = []
    for r in records:
        if r[8] and (r[1] or r[5]):
            person = (r[1], r[5], r[8])
            if person in seen:
                continue
            seen.add(person)
        people.append(r)
    return people


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
    weights: dict[tuple[str, str], float] | None = None,
) -> float:
    """The score of the levels found comparing `a` with `b` (its names are the ones that
    agree exactly, even when `a` has them swapped). With `frequencies`, exact names weigh
    by how common they are, near-misses at most as much as the exact name would, and a
    shared family-name part (when `a` is given) by how common that part is."""
    if frequencies is not None:
        weights = frequencies.weights
    weights = weights or WEIGHTS
    if frequencies is None or not frequencies.given:
        return sum(weights[level] for level in levels)
    shift = frequencies.typo_shift
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
            names += min(weights[level], cap + shift.get(level, 0.0))
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
            names = min(names, min(known) + shift.get(near, 0.0))
    return total + names
