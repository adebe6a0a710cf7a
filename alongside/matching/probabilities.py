"""The prior model: m and u of each field's comparison levels, their reasons, weights.

These are the weights used when nothing better is known: at registration, on inputs too
small to learn from, and as the starting point (the prior) of the expectation-maximisation
in `em.py`, which learns m and u from the data at hand. See docs/matching.md.
"""

from __future__ import annotations

import math

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
        "one_digit": (0.12, 0.0005),  # in the month or day
        "year_near": (0.08, 0.0002),  # in the year, at most two years apart
        "year_digit": (0.053, 0.00035),  # in the year, further apart
        "two_slips": (0.0196, 0.0123),
        "day_month": (0.005, 0.0025),
        "year": (0.005, 0.0087),
        "different": (0.005, 0.9754),
    },
    "sex": {"same": (0.99, 0.5), "different": (0.01, 0.5)},
    # Sex when the first names agree (exactly, as a nickname or but for a typo): strangers
    # named alike are nearly always of the same sex too, so agreeing then says little.
    "sex_named": {"same": (0.99, 0.852), "different": (0.01, 0.148)},
    "phone": {
        "same": (0.888, 0.0001),
        "close": (0.02, 0.0002),
        "different": (0.092, 0.9997),
    },
    # The phone when the addresses differ: people who move change phone and address
    # together, so the two are not independent evidence. Learned separately (the prior
    # is the plain phone's), a different phone then costs what it costs among movers.
    "phone_moved": {
        "same": (0.888, 0.0001),
        "close": (0.02, 0.0002),
        "different": (0.092, 0.9997),
    },
    "email": {"same": (0.95, 0.0001), "different": (0.05, 0.9999)},
    "address": {
        "same": (0.782, 0.0001),
        "street": (0.040, 0.001),
        "street_name": (0.02, 0.0005),
        "postal_code": (0.038, 0.01),
        "different": (0.12, 0.9884),
    },
    "identifier": {
        "same": (0.95, 0.000001),
        "close": (0.02, 0.00001),
        "different": (0.03, 0.99),
    },
    # Family members: when the first names differ entirely while the family names agree,
    # a shared phone, email, address or even date of birth (twins) is what a household
    # looks like, so these then say much less (stated, not measured: strangers who share
    # a family name and a phone are too rare among random pairs to count).
    "phone_kin": {"same": (0.888, 0.3), "close": (0.02, 0.005), "different": (0.092, 0.695)},
    "email_kin": {"same": (0.95, 0.1), "different": (0.05, 0.9)},
    "address_kin": {
        "same": (0.782, 0.4),
        "street": (0.040, 0.05),
        "street_name": (0.02, 0.02),
        "postal_code": (0.038, 0.1),
        "different": (0.12, 0.43),
    },
    "dob_kin": {
        "exact": (0.675, 0.03),
        "transposed": (0.050, 0.0005),
        "one_digit": (0.12, 0.02),
        "year_near": (0.08, 0.02),
        "year_digit": (0.053, 0.01),
        "two_slips": (0.0196, 0.03),
        "day_month": (0.005, 0.01),
        "year": (0.005, 0.05),
        "different": (0.005, 0.8595),
    },
}

# The fields of family members, and the plain field each stands for.
KIN = {"phone_kin": "phone", "email_kin": "email", "address_kin": "address", "dob_kin": "dob"}

# Levels whose u is stated for real caseloads (households, shelters, a program's own
# phone) rather than measured: a learned u never goes below these.
STATED_U: frozenset[tuple[str, str]] = frozenset(
    {("phone", "same"), ("phone_moved", "same"), ("email", "same"), ("address", "same")}
    | {("address", "street")}
    | {("address", "street_name"), ("address", "postal_code"), ("identifier", "same")}
    | {
        (f, level)
        for f in ("phone_kin", "email_kin", "address_kin", "dob_kin")
        for level in PROBABILITIES[f]
    }
)

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
    ("dob", "year_near"): "year of birth one digit and at most two years apart",
    ("dob", "year_digit"): "year of birth one digit apart",
    ("dob", "two_slips"): "date of birth two slips apart",
    ("dob", "day_month"): "same day and month of birth",
    ("dob", "year"): "same year of birth",
    ("dob", "different"): "different date of birth",
    ("sex", "same"): "same sex",
    ("sex", "different"): "different sex",
    ("sex_named", "same"): "same sex",
    ("sex_named", "different"): "different sex",
    ("phone", "same"): "same phone number",
    ("phone", "close"): "phone one or two digits apart",
    ("phone", "different"): "different phone",
    ("email", "same"): "same email address",
    ("email", "different"): "different email",
    ("address", "same"): "same address",
    ("address", "street"): "same street address",
    ("address", "street_name"): "same street, another number",
    ("address", "postal_code"): "same postal code",
    ("address", "different"): "different address",
    ("identifier", "same"): "same identifier",
    ("identifier", "close"): "identifier one or two characters apart",
    ("identifier", "different"): "different identifier",
    ("swap", "swapped"): "first and last names swapped",
}
for _kin, _base in (
    ("phone_kin", "phone"),
    ("phone_moved", "phone"),
    ("email_kin", "email"),
    ("address_kin", "address"),
):
    for _level in PROBABILITIES[_kin]:
        REASONS[_kin, _level] = REASONS[_base, _level]
for _level in PROBABILITIES["dob_kin"]:
    REASONS["dob_kin", _level] = REASONS["dob", _level]

# A near-miss of a name is never stronger evidence than the name itself: these levels
# weigh at most what the exact level does (with its frequency adjustment, in bulk).
FUZZY_NAME_LEVELS = frozenset(
    {("given", "nickname"), ("given", "close"), ("family", "part"), ("family", "close")}
)


def weights_of(
    probabilities: dict[str, dict[str, tuple[float, float]]],
) -> dict[tuple[str, str], float]:
    """log2(m / u) of every level, near-misses of names capped at the exact name."""
    weights = {
        (field, level): math.log2(m / u)
        for field, levels in probabilities.items()
        for level, (m, u) in levels.items()
    }
    for name, level in FUZZY_NAME_LEVELS:
        weights[name, level] = min(weights[name, level], weights[name, "exact"])
    weights["swap", "swapped"] = -SWAP_PENALTY
    return weights


WEIGHTS: dict[tuple[str, str], float] = weights_of(PROBABILITIES)
