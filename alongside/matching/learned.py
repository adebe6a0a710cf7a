"""A match model: the m and u of every level, learned from the data at hand (`em.py`) or
the prior ones, with the thresholds it implies and a file format to save and reuse it.

The thresholds come from the model's **match probability**: the chance that a pair with
a given score is one person, which depends on how rare duplicates are among all pairs
of the file (λ). A score s means odds of 2**s * λ / (1 - λ), so a pair is *likely* at a
probability of MATCH_LIKELY_PROBABILITY (default 0.9) or more and *possible* at
MATCH_POSSIBLE_PROBABILITY (default 0.01): the score needed grows by about 3.3 points
each time the file is ten times larger (strangers sharing a name and a nearby date of
birth grow with the square of the file, duplicates with the file).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from alongside.matching.fellegi_sunter import thresholds as prior_thresholds
from alongside.matching.probabilities import PROBABILITIES, weights_of

Probabilities = dict[str, dict[str, tuple[float, float]]]

logger = logging.getLogger(__name__)

DEFAULT_LIKELY_PROBABILITY = 0.9
DEFAULT_POSSIBLE_PROBABILITY = 0.01
FORMAT = "alongside-match-weights"
# 2: the date of birth has the levels year_near and year_digit. A version 1 file's
# one_digit was learned over every one-digit slip, the year's included, so its
# date-of-birth levels cannot be mixed with the new ones: they are left at the prior.
VERSION = 2
OLD_DOB_FIELDS = ("dob", "dob_kin")


class WeightsFileError(ValueError):
    pass


@dataclass
class Model:
    probabilities: Probabilities
    # Expected pairs of records of one person per record of the input (EM's estimate);
    # None for the prior model, whose thresholds are the settings' score thresholds.
    match_rate: float | None = None
    fitted: bool = False
    note: str = ""
    records: int = 0
    iterations: int = 0
    prior_m: dict[str, dict[str, float]] = field(default_factory=dict)
    # What was not read from a weights file, for the reader to be told (see `load`).
    warning: str = ""

    @classmethod
    def prior(cls, note: str = "") -> Model:
        return cls(PROBABILITIES, note=note)

    @property
    def weights(self) -> dict[tuple[str, str], float]:
        return weights_of(self.probabilities)

    def prior_odds(self, rows: int) -> float:
        """log2 of λ / (1 - λ), λ the chance that two records of `rows` drawn at random
        are one person."""
        assert self.match_rate is not None
        pairs = max(rows * (rows - 1) / 2, 1.0)
        share = min(max(self.match_rate * rows / pairs, 1e-15), 0.5)
        return math.log2(share / (1 - share))

    def thresholds(self, rows: int) -> tuple[float, float]:
        """(likely, possible) score thresholds for a file of `rows` records."""
        if self.match_rate is None:
            return prior_thresholds()
        likely_p = float(getattr(settings, "MATCH_LIKELY_PROBABILITY", DEFAULT_LIKELY_PROBABILITY))
        possible_p = float(
            getattr(settings, "MATCH_POSSIBLE_PROBABILITY", DEFAULT_POSSIBLE_PROBABILITY)
        )
        odds = self.prior_odds(rows)
        return (
            math.log2(likely_p / (1 - likely_p)) - odds,
            math.log2(possible_p / (1 - possible_p)) - odds,
        )

    def registration_thresholds(self) -> tuple[float, float]:
        """(likely, possible) for the registration check: those of a file the size of
        the one the model was learned from (the population a newcomer is compared
        with), or the settings' score thresholds for the prior model."""
        if self.match_rate is None or self.records < 2:
            return prior_thresholds()
        return self.thresholds(self.records)

    def probability(self, score: float, rows: int) -> float:
        """The match probability of a pair with this score in a file of `rows` records."""
        if self.match_rate is None:
            return float("nan")
        exponent = score + self.prior_odds(rows)
        return 1 / (1 + 2 ** (-exponent)) if exponent > -60 else 0.0

    def explain_lines(self, rows: int) -> list[str]:
        """The model as text, for `alongside dedupe --explain`."""
        weights = self.weights
        state = "learned from this input" if self.fitted else "prior (not learned)"
        lines = [f"weights: {state}" + (f"; {self.note}" if self.note else "")]
        if self.fitted:
            lines.append(
                f"EM converged in {self.iterations} iterations; expected duplicate pairs "
                f"{self.match_rate * rows:,.0f} (λ = 2^{self.prior_odds(rows):.1f} of all pairs)"
                if self.match_rate is not None
                else ""
            )
        likely, possible = self.thresholds(rows)
        lines.append(f"thresholds: likely at score {likely:.1f}, possible at {possible:.1f}")
        lines.append(f"{'field':<12} {'level':<12} {'m prior':>8} {'m':>8} {'u':>10} {'weight':>7}")
        for name, levels in self.probabilities.items():
            for level, (m, u) in levels.items():
                before = self.prior_m.get(name, {}).get(level, PROBABILITIES[name][level][0])
                lines.append(
                    f"{name:<12} {level:<12} {before:8.4f} {m:8.4f} {u:10.6f} "
                    f"{weights[name, level]:+7.1f}"
                )
        return lines

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "fitted": self.fitted,
            "note": self.note,
            "records": self.records,
            "iterations": self.iterations,
            "match_rate": self.match_rate,
            "probabilities": {
                name: {level: [m, u] for level, (m, u) in levels.items()}
                for name, levels in self.probabilities.items()
            },
        }
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Model:
        """A model saved by `save`; WeightsFileError saying what is wrong otherwise."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise WeightsFileError(f"Could not read weights from {path}: {error}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise WeightsFileError(f"{path} is not a weights file written by alongside dedupe.")
        given = data.get("probabilities")
        if not isinstance(given, dict):
            raise WeightsFileError(f"{path}: no probabilities.")
        warning = _old_version_warning(data, path)
        skipped = OLD_DOB_FIELDS if warning else ()
        probabilities = _probabilities(
            {name: levels for name, levels in given.items() if name not in skipped}, path
        )
        rate = data.get("match_rate")
        if rate is not None and not (isinstance(rate, int | float) and rate > 0):
            raise WeightsFileError(f"{path}: match_rate must be a positive number.")
        return cls(
            probabilities,
            match_rate=float(rate) if rate is not None else None,
            fitted=bool(data.get("fitted")),
            note=f"read from {path}",
            records=_count(data, "records", path),
            iterations=_count(data, "iterations", path),
            warning=warning,
        )


def _old_version_warning(data: dict[str, Any], path: Path) -> str:
    """What a reader of a version 1 file is told (and the log says); "" for this version."""
    version = data.get("version", 1)
    if version not in (1, VERSION):
        raise WeightsFileError(f"{path}: version {version!r} is not one this release reads.")
    if version == VERSION:
        return ""
    warning = (
        f"{path} was saved by an earlier release: its date of birth weights are "
        "ignored (the prior ones are used); re-run `alongside dedupe --weights` "
        "with a new file to learn them again."
    )
    logger.warning("%s", warning)
    return warning


def _probabilities(given: dict[str, Any], path: Path) -> Probabilities:
    """The prior probabilities, with those a weights file gives in their place."""
    probabilities = {name: dict(levels) for name, levels in PROBABILITIES.items()}
    for name, levels in given.items():
        if name not in PROBABILITIES or not isinstance(levels, dict):
            raise WeightsFileError(f"{path}: unknown field {name!r}.")
        for level, pair in levels.items():
            if level not in PROBABILITIES[name]:
                raise WeightsFileError(f"{path}: unknown level {name}.{level}.")
            if not (
                isinstance(pair, list)
                and len(pair) == 2
                and all(isinstance(p, int | float) and 0 < p <= 1 for p in pair)
            ):
                raise WeightsFileError(
                    f"{path}: {name}.{level} must be [m, u], each above 0 and at most 1."
                )
            probabilities[name][level] = (float(pair[0]), float(pair[1]))
    return probabilities


def _count(data: dict[str, Any], name: str, path: Path) -> int:
    value = data.get(name)
    value = 0 if value is None else value
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise WeightsFileError(f"{path}: {name} must be a whole number, 0 or more.")
    return value


# The registration model read from MATCH_WEIGHTS_FILE, by (path, modification time).
_REGISTRATION: dict[tuple[str, int], Model] = {}


def registration_model() -> Model:
    """The model of the registration check: the weights saved with `alongside dedupe
    --weights FILE` when the MATCH_WEIGHTS_FILE setting names that file (read again when
    it changes), else the prior. A file that cannot be read is logged and the prior is
    used: a registration must not fail for it."""
    configured = str(getattr(settings, "MATCH_WEIGHTS_FILE", "") or "")
    if not configured:
        return Model.prior()
    path = Path(configured)
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError as error:
        logger.warning("MATCH_WEIGHTS_FILE %s cannot be read (%s); prior weights used", path, error)
        return Model.prior(f"{path} cannot be read")
    model = _REGISTRATION.get(key)
    if model is None:
        try:
            model = Model.load(path)
        except WeightsFileError as error:
            logger.warning("%s; prior weights used at registration", error)
            return Model.prior(str(error))
        _REGISTRATION.clear()
        _REGISTRATION[key] = model
    return model
