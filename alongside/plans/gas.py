"""Goal attainment scaling: the plan's T-score (Kiresuk and Sherman, 1968).

Each goal is rated at a review on five levels, -2 (much less than expected) to +2
(much more than expected), 0 being the expected outcome. The T-score sums the ratings
weighted by each goal's weight:

    T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i ** 2) + rho * (sum(w_i)) ** 2)

where x_i is goal i's level, w_i its weight (1 when all goals count the same) and rho
the correlation assumed between goals' outcomes. Kiresuk and Sherman took rho = 0.3,
and so do we (`RHO`). The score is 50 when every goal reaches its expected outcome, with
a standard deviation of 10 when the assumptions hold; it says nothing for a plan with no
rated goal (None).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

RHO = 0.3
LEVELS = (-2, -1, 0, 1, 2)


def t_score(ratings: Iterable[tuple[int, int]], rho: float = RHO) -> float | None:
    """The T-score of (level, weight) pairs, or None with none. Refuses a level outside
    -2..+2 and a weight below 1 (a caller's mistake, not a person's answer)."""
    pairs = list(ratings)
    if not pairs:
        return None
    for level, weight in pairs:
        if level not in LEVELS:
            raise ValueError(f"A GAS level is -2 to +2, not {level}.")
        if weight < 1:
            raise ValueError(f"A goal's weight is at least 1, not {weight}.")
    weighted = sum(level * weight for level, weight in pairs)
    squares = sum(weight * weight for _, weight in pairs)
    total = sum(weight for _, weight in pairs)
    return 50 + 10 * weighted / math.sqrt((1 - rho) * squares + rho * total * total)
