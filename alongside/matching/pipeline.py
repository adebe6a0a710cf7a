"""The bulk matcher, as `alongside dedupe` and `alongside find_duplicates` run it:
blocking, learning the weights (or reading them), scoring, linking groups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alongside.matching import blocking, dedupe, em
from alongside.matching.fellegi_sunter import Frequencies, Record, remembering_names
from alongside.matching.learned import Model


@dataclass
class Matches:
    found: list[tuple[int, int, float, str]]  # (position a, position b, score, decision)
    model: Model
    frequencies: Frequencies
    likely: float
    possible: float
    candidate_pairs: int


def match(
    records: list[Record],
    *,
    max_block: int = dedupe.MAX_BLOCK,
    workers: int = 1,
    model: Model | None = None,
    summary: dedupe.Summary | None = None,
    progress: Callable[[str], None] | None = None,
) -> Matches:
    """Every likely or possible pair of `records`, with the model used: `model` when
    given (read from a weights file), else learned from `records` (see `em.fit`)."""
    with dedupe.without_gc(), remembering_names():
        try:
            return _match(records, max_block, workers, model, summary, progress)
        finally:
            blocking.forget_codes()


def _match(
    records: list[Record],
    max_block: int,
    workers: int,
    model: Model | None,
    summary: dedupe.Summary | None,
    progress: Callable[[str], None] | None,
) -> Matches:
    pairs = dedupe.candidate_pairs(
        records, max_block=max_block, summary=summary, progress=progress, workers=workers
    )
    if model is None:
        model = em.fit(records, pairs, progress=progress, workers=workers)
        if progress and not model.fitted:
            progress(f"using the prior weights: {model.note}")
    likely, possible = model.thresholds(len(records))
    frequencies = Frequencies.count(records, model.probabilities)
    found = dedupe.find_matches(
        records,
        pairs,
        likely,
        possible,
        frequencies=frequencies,
        workers=workers,
        progress=progress,
    )
    count = len(pairs)
    del pairs
    found = dedupe.link_groups(records, found, frequencies, possible)
    return Matches(found, model, frequencies, likely, possible, count)
