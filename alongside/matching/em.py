"""Learning the model's m and u from the data at hand, without labels.

- **u** from random pairs of the input (nearly all of them two different people):
  how often each level turns up by chance.
- **m** by expectation–maximisation over (a sample of) the candidate pairs blocking
  found: each pair is a comparison vector (one level index per field), the vectors are
  counted (a few thousand distinct ones among millions of pairs), and EM splits them
  into a "same person" class and a "different people" class, each with its own level
  frequencies (the second describes strangers who share a blocking key, not strangers
  at random, so its u is not used for the weights). It runs in two sessions (see
  `_sessions`). The prior m and u (`probabilities.py`) are the starting point, and the
  prior m counts as PRIOR_STRENGTH pairs per field, so levels the input rarely shows
  keep sensible values.

Falls back to the prior model when the input is too small, when EM does not converge,
or when its "same person" class is degenerate (almost none or almost all pairs);
a field whose learned agreement is no evidence (m not above u) keeps its prior.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Callable, Sequence

from alongside.matching.comparisons import Record
from alongside.matching.fellegi_sunter import compare
from alongside.matching.learned import Model, Probabilities
from alongside.matching.probabilities import KIN, PROBABILITIES, STATED_U

# Below these, the prior model is used.
MIN_RECORDS = 1000
MIN_PAIRS = 200
# Candidate pairs and random pairs compared to learn from (a sample of larger inputs).
EM_SAMPLE = 150_000
RANDOM_PAIRS = 60_000
MAX_ITERATIONS = 200
TOLERANCE = 1e-5
# Pseudo-pairs of prior per field, for m (EM) and u (random pairs).
PRIOR_STRENGTH = 20.0
U_PRIOR_STRENGTH = 100.0
# A learned m never goes below min(prior m / 2, M_FLOOR): an error the input happens
# not to show (a garbled identifier) is still possible in the next file. The m of a
# "different" level never goes below the prior's.
M_FLOOR = 0.005

FIELDS = tuple(PROBABILITIES)
_INDEX = {
    (name, level): (f, i + 1)
    for f, name in enumerate(FIELDS)
    for i, level in enumerate(PROBABILITIES[name])
}
_SHIFT = 1 << 32
# For each field, the field whose u its random pairs count for (`KIN`: the plain one).
_BASE = tuple(FIELDS.index(KIN.get(name, name)) for name in FIELDS)

Pattern = tuple[int, ...]


def pattern(levels: list[tuple[str, str]]) -> Pattern:
    """The comparison vector: for each field of FIELDS, 0 when not compared, else the
    position of its level plus one."""
    vector = [0] * len(FIELDS)
    for level in levels:
        at = _INDEX.get(level)
        if at is not None:
            vector[at[0]] = at[1]
    return tuple(vector)


def count_patterns(
    records: list[Record], pairs: list[tuple[int, int]], workers: int = 1
) -> Counter[Pattern]:
    """How many pairs have each comparison vector, in the order the vectors first turn
    up among `pairs` (EM sums over them in that order). With `workers` > 1 (where
    processes can fork), each of that many processes compares a run of the pairs."""
    if workers > 1 and len(pairs) >= PARALLEL_PAIRS and hasattr(os, "fork"):
        import multiprocessing

        global _SHARED
        _SHARED = (records, pairs)
        step = -(-len(pairs) // workers)
        runs = [(start, start + step) for start in range(0, len(pairs), step)]
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_count_run, runs, chunksize=1)
        finally:
            _SHARED = None
        counts: Counter[Pattern] = Counter()
        for part in parts:  # in order: the first run's vectors first
            counts.update(part)
        return counts
    return Counter(pattern(compare(records[a], records[b])) for a, b in pairs)


# Pairs from which counting is shared among processes.
PARALLEL_PAIRS = 20_000
# Set by count_patterns for worker processes started by fork, which inherit it.
_SHARED: tuple[list[Record], list[tuple[int, int]]] | None = None


def _count_run(run: tuple[int, int]) -> Counter[Pattern]:
    assert _SHARED is not None
    records, pairs = _SHARED
    return count_patterns(records, pairs[run[0] : run[1]])


def _level_shares(
    counts: list[list[float]], prior: list[list[float]], strength: float
) -> list[list[float]]:
    shares = []
    for seen, before in zip(counts, prior, strict=True):
        total = sum(seen) + strength
        shares.append([(n + strength * p) / total for n, p in zip(seen, before, strict=True)])
    return shares


def expectation_maximisation(
    patterns: Counter[Pattern], m_prior: list[list[float]], *, start: float = 0.1
) -> tuple[list[list[float]], float, int, bool]:
    """(m per field and level, share of pairs in the "same person" class, iterations,
    converged) over the counted comparison vectors."""
    items = [
        ([(f, v - 1) for f, v in enumerate(vector) if v], count)
        for vector, count in patterns.items()
    ]
    total = float(sum(patterns.values()))
    sizes = [len(levels) for levels in m_prior]
    # Strangers sharing a key: start from the prior u (strangers at random).
    u = [[u for _, u in PROBABILITIES[name].values()] for name in FIELDS]
    m = [list(levels) for levels in m_prior]
    share = start
    for iteration in range(1, MAX_ITERATIONS + 1):
        m_counts = [[0.0] * n for n in sizes]
        u_counts = [[0.0] * n for n in sizes]
        matched = 0.0
        for present, count in items:
            pm, pu = share, 1 - share
            for f, i in present:
                pm *= m[f][i]
                pu *= u[f][i]
            w = pm / (pm + pu) if pm + pu > 0 else 0.0
            matched += w * count
            for f, i in present:
                m_counts[f][i] += w * count
                u_counts[f][i] += (1 - w) * count
        new_m = _level_shares(m_counts, m_prior, PRIOR_STRENGTH)
        u = _level_shares(u_counts, m_prior, 1.0)
        new_share = matched / total
        change = max(
            abs(new_share - share),
            *(
                abs(x - y)
                for row, old in zip(new_m, m, strict=True)
                for x, y in zip(row, old, strict=True)
            ),
        )
        m, share = new_m, new_share
        if change < TOLERANCE:
            return m, share, iteration, True
    return m, share, MAX_ITERATIONS, False


_DOB, _GIVEN, _FAMILY = FIELDS.index("dob"), FIELDS.index("given"), FIELDS.index("family")
_EXACT = 1  # the first level of each of these fields


def _session(
    patterns: Counter[Pattern], keep: Callable[[Pattern], bool], blocked: tuple[int, ...]
) -> Counter[Pattern]:
    """The patterns of the pairs `keep` accepts, with the `blocked` fields (those they
    agree on by construction) left out."""
    chosen: Counter[Pattern] = Counter()
    for vector, count in patterns.items():
        if keep(vector):
            shown = list(vector)
            for f in blocked:
                shown[f] = 0
            chosen[tuple(shown)] += count
    return chosen


def _sessions(
    patterns: Counter[Pattern], say: Callable[[str], None]
) -> tuple[list[list[float]], float, int] | str:
    """m of every field from two EM sessions, as Splink trains: on the pairs with the
    same date of birth (for every field but the date of birth) and on the pairs with the
    same first and last name (for the date of birth). A field a session's pairs agree
    on by construction is left out of it, and each session's pairs are far cleaner than
    all candidates (members of one household rarely share a date of birth, strangers
    sharing one rarely share anything else). Pairs that look like two members of one
    household born the same day (`dob_kin`: twins) are left out of the first: their kin
    fields' weights are stated, and taken for duplicates they taught EM that duplicates
    have other first names and sexes (set B: m of a different sex 0.46, and 11,898
    expected pairs for 11,126). Returns (m, expected true pairs among the patterns,
    iterations), or why not."""
    m_prior = [[m for m, _ in PROBABILITIES[name].values()] for name in FIELDS]
    same_dob = _session(patterns, lambda v: v[_DOB] == _EXACT, (_DOB,))
    same_name = _session(
        patterns, lambda v: v[_GIVEN] == _EXACT and v[_FAMILY] == _EXACT, (_GIVEN, _FAMILY)
    )
    if min(sum(same_dob.values()), sum(same_name.values())) < MIN_PAIRS:
        return f"fewer than {MIN_PAIRS:,} pairs sharing a date of birth or a name to learn from"
    m, share, iterations, converged = expectation_maximisation(same_dob, m_prior)
    m_dob, share_dob, more, converged_dob = expectation_maximisation(same_name, m_prior)
    iterations += more
    say(
        f"EM on {sum(same_dob.values()):,} pairs sharing a date of birth and "
        f"{sum(same_name.values()):,} sharing a name: "
        f"{'converged' if converged and converged_dob else 'did not converge'} "
        f"after {iterations} iterations"
    )
    if not (converged and converged_dob):
        return f"EM did not converge in {MAX_ITERATIONS} iterations"
    if not (1e-4 < share < 0.99 and 1e-4 < share_dob < 0.99):
        return "EM found no distinct group of duplicates"
    m[_DOB] = m_dob[_DOB]
    # The pairs sharing a date of birth are the share m(dob exact) of all true pairs.
    matches = share * sum(same_dob.values()) / max(m[_DOB][_EXACT - 1], 1e-6)
    return m, matches, iterations


def random_pairs(count: int, n: int, rng: random.Random) -> list[tuple[int, int]]:
    found = []
    for _ in range(count):
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            found.append((min(a, b), max(a, b)))
    return found


def fit(
    records: list[Record],
    candidates: Sequence[int],
    *,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
) -> Model:
    """The model learned from `records` and their candidate pairs (numbered
    a * 2**32 + b), or the prior one with a note saying why not."""
    say = progress or (lambda message: None)
    n = len(records)
    if n < MIN_RECORDS:
        return Model.prior(f"fewer than {MIN_RECORDS:,} records to learn from")
    if len(candidates) < MIN_PAIRS:
        return Model.prior(f"fewer than {MIN_PAIRS:,} candidate pairs to learn from")
    step = max(1, len(candidates) // EM_SAMPLE)
    sample = [divmod(pair, _SHIFT) for pair in candidates[::step]]
    patterns = count_patterns(records, sample, workers)  # type: ignore[arg-type]
    learned = _sessions(patterns, say)
    if isinstance(learned, str):
        return Model.prior(learned)
    m, matches, iterations = learned
    rate = matches * step / n
    rng = random.Random(seed)
    chance = count_patterns(records, random_pairs(RANDOM_PAIRS, n, rng), workers)
    u_counts = [[0.0] * len(PROBABILITIES[name]) for name in FIELDS]
    for vector, count in chance.items():
        for f, v in enumerate(vector):
            if v:
                # A level turns up by chance as often whether or not the pair looks like
                # a household's (strangers of another sex and name mostly do): the kin
                # fields count for their plain field (their own u is stated).
                u_counts[_BASE[f]][v - 1] += count
    u_prior = [[u for _, u in PROBABILITIES[name].values()] for name in FIELDS]
    u = _level_shares(u_counts, u_prior, U_PRIOR_STRENGTH)
    # A level never seen among the random pairs is rarer than one in their number, not
    # impossible: u is not put below that (or below the prior, when it is lower still).
    compared = max(sum(chance.values()), 1)
    u = [
        [max(x, min(before, 1 / compared)) for x, before in zip(row, prior, strict=True)]
        for row, prior in zip(u, u_prior, strict=True)
    ]
    say(f"u from {compared:,} random pairs")
    return _model(m, u, rate, n, iterations)


def _model(
    m: list[list[float]], u: list[list[float]], match_rate: float, n: int, iterations: int
) -> Model:
    probabilities: Probabilities = {}
    kept: list[str] = []
    for f, name in enumerate(FIELDS):
        prior = PROBABILITIES[name]
        levels = list(prior)
        base = KIN.get(name)
        learned_m = m[FIELDS.index(base)] if base else m[f]
        fitted = {}
        for i, level in enumerate(levels):
            m_prior, u_prior = prior[level]
            # EM on candidate pairs sees most clearly the duplicates that agree, so it
            # may make a disagreement look rarer among duplicates than it is: a learned
            # "different" is never more damning than the prior one.
            floor = m_prior if level == "different" else min(m_prior / 2, M_FLOOR)
            mi = max(learned_m[i], floor)
            ui = u_prior if base else u[f][i]
            if (name, level) in STATED_U:
                ui = max(ui, u_prior)
            fitted[level] = (mi, ui)
        agree = levels[0]
        if fitted[agree][0] <= fitted[agree][1]:
            kept.append(name)
            fitted = dict(prior)
        probabilities[name] = fitted
    note = f"prior kept for {', '.join(kept)} (agreeing was no evidence)" if kept else ""
    return Model(
        probabilities,
        match_rate=match_rate,
        fitted=True,
        note=note,
        records=n,
        iterations=iterations,
    )
