"""The plan's GAS T-score over its reviews as a small server-drawn SVG line chart, the
way intake/charts.py draws scores: placed by date, a labelled line at 50 (every goal at
its expected outcome), a sentence saying the same for those who do not see the chart,
and the numbers as a table after it (template plans/_chart.html)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from alongside.plans.display import ReviewScore

LOW, HIGH = 10, 90  # the axis: T-scores outside it are drawn at its edge


@dataclass(frozen=True)
class Point:
    when: dt.date
    value: float
    x: float
    y: float

    @property
    def label(self) -> str:
        return formats.number_format(self.value, 0)

    @property
    def label_y(self) -> float:
        return self.y - 10


@dataclass
class GasChart:
    summary: str
    points: list[Point] = field(default_factory=list)
    width: int = 580
    height: int = 208
    left: int = 40
    right: int = 520
    plot_top: int = 22
    bottom: int = 174
    low: int = LOW
    high: int = HIGH

    def y(self, value: float) -> float:
        value = min(max(value, self.low), self.high)
        return self.bottom - (self.bottom - self.plot_top) * (value - self.low) / (
            self.high - self.low
        )

    @property
    def expected_y(self) -> float:
        return self.y(50)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _words(points: list[Point]) -> str:
    first, last = points[0], points[-1]
    if len(points) == 1:
        return _("GAS T-score at the one review so far, on %(day)s: %(t)s (50 is as expected).") % {
            "day": formats.date_format(first.when),
            "t": first.label,
        }
    return _(
        "GAS T-score at %(n)d reviews from %(first_day)s to %(last_day)s: %(first)s at first, "
        "%(last)s most recently (50 is as expected)."
    ) % {
        "n": len(points),
        "first_day": formats.date_format(first.when),
        "last_day": formats.date_format(last.when),
        "first": first.label,
        "last": last.label,
    }


def gas_chart(scores: list[ReviewScore]) -> GasChart | None:
    """The chart of the reviews that rated a goal, oldest first; None without any."""
    rated = [s for s in scores if s.t_score is not None]
    if not rated:
        return None
    chart = GasChart(summary="")
    start, end = rated[0].held_on, rated[-1].held_on
    days = (end - start).days
    width = chart.right - chart.left - 20
    for s in rated:
        assert s.t_score is not None
        share = (s.held_on - start).days / days if days else 0.5
        chart.points.append(
            Point(s.held_on, s.t_score, x=chart.left + 10 + width * share, y=chart.y(s.t_score))
        )
    chart.summary = _words(chart.points)
    return chart
