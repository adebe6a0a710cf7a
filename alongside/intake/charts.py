"""Score trends as small server-drawn SVG line charts (no JavaScript): one score over
time, placed by date, with the score's band thresholds as labelled lines, and a sentence
that says the same for those who do not see the chart. The template is
`intake/record/_chart.html`; the numbers follow the chart as a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alongside.intake.wording import day


@dataclass(frozen=True)
class Point:
    when: dt.datetime
    value: int
    band: str
    items_missing: int
    response_pk: int
    x: float = 0
    y: float = 0

    @property
    def label_y(self) -> float:
        return self.y - 10


@dataclass(frozen=True)
class Threshold:
    value: int
    label: str
    y: float


@dataclass
class Chart:
    """A small server-drawn line chart of one score over time, with the band thresholds
    as labelled lines. Coordinates are in the SVG's own units (its viewBox)."""

    id: str
    title: str
    summary: str
    top: int
    points: list[Point]
    thresholds: list[Threshold]
    width: int = 580
    height: int = 208
    left: int = 40
    right: int = 420  # the plot's right edge; band labels sit beyond it
    plot_top: int = 22  # room for the label of a point at the top
    bottom: int = 174

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def label_points(self) -> bool:
        return len(self.points) <= 12

    @property
    def any_missing(self) -> bool:
        return any(p.items_missing for p in self.points)


def _score_spec(definition: Mapping[str, Any], score_name: str) -> dict[str, Any]:
    found = (s for s in definition.get("scores", []) if s["name"] == score_name)
    return dict(next(found, {}))


def score_top(definition: Mapping[str, Any], score_name: str, seen: Iterable[int]) -> int:
    """The highest score possible: the top of the last band, or else the sum of the
    items' highest values; never below a score actually recorded."""
    spec = _score_spec(definition, score_name)
    top = 0
    if spec.get("bands"):
        top = max(int(b["max"]) for b in spec["bands"])
    else:
        items = {i["link_id"]: i for i in definition.get("items", [])}
        for link_id in spec.get("items", []):
            entry = items.get(link_id, {})
            values = [int(o.get("value", 0)) for o in entry.get("options", [])]
            top += max(values) if values else int(entry.get("max", 0))
    return max([top, 1, *seen])


def _trend_words(points: Sequence[Point]) -> str:
    def reading(p: Point) -> str:
        return f"{p.value} ({p.band})" if p.band else str(p.value)

    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"one screening so far, on {day(first.when)}: {reading(first)}."
    direction = (
        "the same as the first"
        if last.value == first.value
        else ("lower than the first" if last.value < first.value else "higher than the first")
    )
    return (
        f"{len(points)} screenings from {day(first.when)} to {day(last.when)}: "
        f"{reading(first)} at first, {reading(last)} most recently, {direction}."
    )


def trend_chart(
    chart_id: str, title: str, definition: Mapping[str, Any], score_name: str, points: list[Point]
) -> Chart:
    """Place the points (oldest first) by date, and the band thresholds by value."""
    chart = Chart(id=chart_id, title=title, summary="", top=0, points=[], thresholds=[])
    top = score_top(definition, score_name, (p.value for p in points))
    span = chart.bottom - chart.plot_top
    width = chart.right - chart.left - 20  # room so the last point's label fits

    def y(value: float) -> float:
        return chart.bottom - span * value / top

    start, end = points[0].when, points[-1].when
    seconds = (end - start).total_seconds()
    placed = []
    for p in points:
        share = (p.when - start).total_seconds() / seconds if seconds else 0.5
        placed.append(
            Point(
                p.when,
                p.value,
                p.band,
                p.items_missing,
                p.response_pk,
                x=chart.left + 10 + width * share,
                y=y(p.value),
            )
        )
    spec = _score_spec(definition, score_name)
    chart.thresholds = [
        Threshold(int(b["min"]), b["label"], y(int(b["min"])))
        for b in spec.get("bands", [])[1:]
        if 0 < int(b["min"]) <= top
    ]
    chart.top = top
    chart.points = placed
    chart.summary = f"{title}, out of {top}: {_trend_words(placed)}"
    return chart
