"""A person's screening record: the history of their screenings with score trends, the
queue of urgent flags, and the two writes staff make from the record (acknowledging a
flag, moving a need along). The panel on the person's page is `intake.panel`.

Everything starts from `Person.objects.visible_to(user)`: out of scope is a 404, for a
person and for a flag or need of theirs. The history shows scores, never answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from alongside.audit import services as audit
from alongside.intake import selectors, sensitive, services
from alongside.intake.models import Need, ScreeningResponse, UrgentFlag
from alongside.intake.panel import (
    NEED_WORDING,
    STATUS_WORDING,
    need_view,
    short_title,
    status_choices,
)
from alongside.lib.errors import NotPermitted
from alongside.lib.params import query_page
from alongside.people.models import Person
from alongside.people.selectors import audit_people
from alongside.people.sensitivity import RESTRICTED, disclosure_for

# ---------------------------------------------------------------- score trends


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
        return f"one screening so far, on {_day(first.when)}: {reading(first)}."
    direction = (
        "the same as the first"
        if last.value == first.value
        else ("lower than the first" if last.value < first.value else "higher than the first")
    )
    return (
        f"{len(points)} screenings from {_day(first.when)} to {_day(last.when)}: "
        f"{reading(first)} at first, {reading(last)} most recently, {direction}."
    )


def _day(when: dt.datetime) -> str:
    local = timezone.localtime(when)
    return f"{local.day} {local:%b %Y}"


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


# ---------------------------------------------------------------- history page


@dataclass
class InstrumentGroup:
    slug: str
    title: str
    full_title: str
    responses: list[ScreeningResponse]
    charts: list[Chart]
    # Titles of the trends of scores the user may not see: said to be restricted where
    # their charts would be, rather than left out without a word.
    restricted_charts: list[str] = field(default_factory=list)


def _person(user: Any, pk: int) -> Person:
    try:
        return Person.objects.visible_to(user).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def _groups(responses: list[ScreeningResponse], user: Any) -> list[InstrumentGroup]:
    """Responses (read through `selectors.person_responses`, so without the scores the
    user may not see) by instrument, across its versions, retired ones included, each
    with a chart per score of its completed responses, oldest first."""
    by_slug: dict[str, list[ScreeningResponse]] = {}
    for response in responses:
        response.shown_scores = list(response.scores.all())  # type: ignore[attr-defined]
        response.restricted_scores = sensitive.restricted_scores(response, user)  # type: ignore[attr-defined]
        by_slug.setdefault(response.instrument_version.instrument.slug, []).append(response)
    groups = []
    for slug, rows in by_slug.items():
        instrument = rows[0].instrument_version.instrument
        title = short_title(slug, instrument.title)
        completed = sorted(
            (r for r in rows if r.is_completed and r.completed_at is not None),
            key=lambda r: (r.completed_at, r.pk),
        )
        charts = []
        restricted_charts: list[str] = []
        if completed:
            definition = completed[-1].instrument_version.definition
            names = list(
                dict.fromkeys(s.name for r in completed for s in r.shown_scores)  # type: ignore[attr-defined]
            )
            for name in names:
                points = [
                    Point(r.completed_at, s.value, s.band, s.items_missing, r.pk)
                    for r in completed
                    for s in r.scores.all()
                    if s.name == name and r.completed_at is not None
                ]
                chart_title = f"{title} {name} score"
                charts.append(
                    trend_chart(
                        f"trend-{slug}-{slugify(name)}", chart_title, definition, name, points
                    )
                )
            hidden = dict.fromkeys(n for r in completed for n in r.restricted_scores)  # type: ignore[attr-defined]
            restricted_charts = [f"{title} {n} score" for n in hidden if n not in names]
        groups.append(
            InstrumentGroup(slug, title, instrument.title, rows, charts, restricted_charts)
        )
    return sorted(groups, key=lambda g: g.title.lower())


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request.user, pk)
    audit.record(
        actor=request.user,
        action="view",
        obj=person,
        person_id=person.pk,
        organization_id=person.organization_id,
        detail={"purpose": "screening history"},
    )
    responses = list(
        selectors.person_responses(request.user, person.pk).select_related(
            "started_by", "completed_by"
        )
    )
    groups = _groups(responses, request.user)
    chosen = request.GET.get("instrument", "")
    shown = [g for g in groups if g.slug == chosen] or groups
    context = {
        "person": person,
        "groups": groups,
        "shown": shown,
        "chosen": chosen if len(shown) == 1 and shown[0].slug == chosen else "",
        "count": len(responses),
        "restricted": RESTRICTED,
        "nav": "people",
    }
    return render(request, "intake/record/history.html", context)


# ---------------------------------------------------------------- urgent flags


@login_required
def urgent(request: HttpRequest) -> HttpResponse:
    page = query_page(request.GET)
    start = (page - 1) * URGENT_PAGE
    rows = list(
        selectors.open_urgent_flags(request.user).order_by("raised_at", "id")[
            start : start + URGENT_PAGE + 1
        ]
    )
    flags, has_next = rows[:URGENT_PAGE], len(rows) > URGENT_PAGE
    if flags:
        people = list({f.person_id: f.person for f in flags}.values())
        audit_people(request.user, people, "list", {"page": "urgent flags", "number": page})
    context = {"flags": flags, "page": page, "has_next": has_next, "nav": "urgent"}
    return render(request, "intake/record/urgent.html", context)


URGENT_PAGE = 50


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def flag_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        flag = UrgentFlag.objects.select_related("person").get(
            pk=pk, person__in=Person.objects.visible_to(request.user)
        )
    except UrgentFlag.DoesNotExist:
        raise Http404("No such flag") from None
    try:
        flag = services.urgent_flag_acknowledge(actor=request.user, flag=flag)
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    if flag.acknowledged_by_id == request.user.pk:
        messages.success(
            request,
            "Thank you. The flag is acknowledged and stays on the record with your name.",
        )
    else:
        who = flag.acknowledged_by or "Someone"
        when = timezone.localtime(flag.acknowledged_at) if flag.acknowledged_at else None
        messages.info(
            request,
            f"{who} already acknowledged this"
            + (f" on {_day(when)} at {dateformat.format(when, 'g:i A')}." if when else "."),
        )
    return redirect(_back(request, reverse("people:detail", args=[flag.person_id])))


# ---------------------------------------------------------------- need status


@login_required
@require_POST
def need_status(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        need = Need.objects.select_related(
            "person", "source_response__instrument_version__instrument"
        ).get(pk=pk, person__in=Person.objects.visible_to(request.user))
    except Need.DoesNotExist:
        raise Http404("No such need") from None
    expected = request.POST.get("expected") or None
    status = request.POST.get("status", "")
    try:
        services.need_set_status(actor=request.user, need=need, status=status, expected=expected)
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except ValidationError as error:
        need.refresh_from_db(fields=["status"])
        stale = getattr(error, "code", None) == "stale"
        context = {
            "person": need.person,
            "view": need_view(need),
            "errors": error.messages,
            "status_choices": status_choices(),
            "on_team": disclosure_for(request.user, need.person).on_team,
            "next": _back(request, ""),
            "nav": "people",
        }
        return render(
            request, "intake/record/need_status.html", context, status=409 if stale else 422
        )
    topic = NEED_WORDING.get(need.kind, (need.get_kind_display(), ""))[0]
    messages.success(request, f"{topic}: now “{STATUS_WORDING[status]}”.")
    return redirect(_back(request, reverse("people:detail", args=[need.person_id])))
