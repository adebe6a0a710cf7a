"""A person's screening record: the "Needs and screenings" panel on their page, the
history of their screenings with score trends, the queue of urgent flags, and the two
writes staff make from them (acknowledging a flag, moving a need along).

Everything starts from `Person.objects.visible_to(user)`: out of scope is a 404, for a
person and for a flag or need of theirs. The history shows scores, never answers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
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
from alongside.lib.errors import NotPermitted
from alongside.people.models import Person
from alongside.people.selectors import audit_people
from alongside.people.sensitivity import RESTRICTED, disclosure_for

# ---------------------------------------------------------------- wording

# Needs read as things the person may want help with, never as deficits.
NEED_WORDING: dict[str, tuple[str, str]] = {
    Need.Kind.FOOD_INSECURITY: ("Food", "may want help with having enough food"),
    Need.Kind.HOUSING_INSTABILITY: ("Housing", "may want help keeping or finding a steady home"),
    Need.Kind.UNSAFE_RELATIONSHIP: (
        "Safety in relationships",
        "may want support with feeling safe with the people around them",
    ),
    Need.Kind.UTILITIES: ("Utilities", "may want help with electricity, gas, water or heating"),
    Need.Kind.TRANSPORTATION: ("Getting places", "may want help with transportation"),
    Need.Kind.DEPRESSION: ("Mood", "may want support with how they have been feeling"),
    Need.Kind.ANXIETY: ("Worry and stress", "may want support with worry or anxiety"),
}
STATUS_WORDING: dict[str, str] = {
    Need.Status.IDENTIFIED: "May want help",
    Need.Status.ADDRESSING: "Being addressed",
    Need.Status.RESOLVED: "Resolved",
    Need.Status.NOT_WANTED: "Does not want help with this",
}
# Instruments whose title has no short form in brackets.
SHORT_TITLES = {"ahc-hrsn-core": "AHC HRSN"}
RECENTLY_ACKNOWLEDGED = dt.timedelta(days=30)
LATEST_SCREENINGS = 3
MAX_NEEDS = 50


def short_title(slug: str, title: str) -> str:
    """ "Patient Health Questionnaire-9 (PHQ-9)" → "PHQ-9"; "Readiness ruler (importance
    and confidence)" → "Readiness ruler"."""
    if slug in SHORT_TITLES:
        return SHORT_TITLES[slug]
    match = re.fullmatch(r"(.*?)\s*\(([^()]+)\)", title)
    if match is None:
        return title
    return match.group(2) if " " not in match.group(2) else match.group(1)


@dataclass(frozen=True)
class NeedView:
    need: Need
    topic: str
    wording: str
    status_label: str
    source: ScreeningResponse | None
    source_title: str

    @property
    def is_open(self) -> bool:
        return self.need.status in Need.OPEN_STATUSES


def need_view(need: Need) -> NeedView:
    topic, wording = NEED_WORDING.get(need.kind, (need.get_kind_display(), "may want help"))
    source = need.source_response
    title = ""
    if source is not None:
        instrument = source.instrument_version.instrument
        title = short_title(instrument.slug, instrument.title)
    return NeedView(need, topic, wording, STATUS_WORDING[need.status], source, title)


def status_choices() -> list[tuple[str, str]]:
    return [(value, STATUS_WORDING[value]) for value in Need.Status.values]


@dataclass(frozen=True)
class ScoreLine:
    name: str
    value: int
    band: str
    items_missing: int


@dataclass
class ScreeningLine:
    """One screening as the panel lists it: what, when, and its scores (with
    `restricted` set when scores were left out for the reader)."""

    pk: int
    title: str
    version_label: str
    retired: bool
    status: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    scores: list[ScoreLine] = field(default_factory=list)
    restricted: bool = False

    @property
    def is_completed(self) -> bool:
        return self.status == ScreeningResponse.Status.COMPLETED

    @property
    def status_label(self) -> str:
        return ScreeningResponse.Status(self.status).label


# ---------------------------------------------------------------- the person page panel


def person_panel(user: Any, person: Person) -> dict[str, Any]:
    """What the "Needs and screenings" panel on a person's page shows, in three queries
    whatever the record holds: urgent flags, needs, and the latest screenings with their
    scores. The caller has already read the person through `visible_to` (with their
    enrollments). For a user who may not see sensitive details (`Disclosure.sensitive`)
    flags are read without their reason, and safety and behavioral-health needs and
    scores of sensitive items are counted as restricted, never shown."""
    disclosure = disclosure_for(user, person)
    recent = timezone.now() - RECENTLY_ACKNOWLEDGED
    flags = (
        UrgentFlag.objects.filter(person_id=person.pk)
        .filter(Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=recent))
        .select_related("acknowledged_by")
        .order_by(F("acknowledged_at").desc(nulls_first=True), "raised_at", "id")
    )
    if not disclosure.sensitive:
        flags = flags.defer("reason", "guidance")
    flag_list = [f if disclosure.sensitive else sensitive.restrict_flag(f) for f in flags]
    needs = (
        Need.objects.filter(person_id=person.pk)
        .select_related("source_response__instrument_version__instrument")
        .order_by("-identified_at", "-id")
    )
    shown: list[NeedView] = []
    restricted: list[Need] = []
    for need in needs[:MAX_NEEDS]:
        if disclosure.sensitive or not sensitive.is_sensitive_need(need.kind):
            shown.append(need_view(need))
        else:
            restricted.append(need)
    return {
        "open_flags": [f for f in flag_list if f.is_open],
        "acknowledged_flags": [f for f in flag_list if not f.is_open],
        "open_needs": [n for n in shown if n.is_open],
        "closed_needs": [n for n in shown if not n.is_open],
        "restricted_open_needs": sum(1 for n in restricted if n.status in Need.OPEN_STATUSES),
        "restricted_closed_needs": sum(1 for n in restricted if n.status not in Need.OPEN_STATUSES),
        "latest": latest_screenings(person.pk, sensitive=disclosure.sensitive),
        "status_choices": status_choices(),
        "sensitive": disclosure.sensitive,
        "on_team": disclosure.on_team,
        "restricted": RESTRICTED,
    }


def latest_screenings(
    person_id: int, limit: int = LATEST_SCREENINGS, *, sensitive: bool = True
) -> list[ScreeningLine]:
    """The person's latest screenings with their scores, in one query: the responses
    joined to their scores, one row per score (or one row for a response without).
    Without `sensitive`, scores of sensitive items are not read: the line says they
    are restricted."""
    latest = (
        ScreeningResponse.objects.filter(person_id=person_id)
        .order_by("-started_at", "-id")
        .values("pk")[:limit]
    )
    value: Any = F("scores__value")
    band: Any = F("scores__band")
    hidden: Any = Value(False)
    if not sensitive:
        # Scores of sensitive items are not read: the database answers null instead.
        value = Case(When(scores__sensitive=True, then=Value(None)), default=value)
        band = Case(When(scores__sensitive=True, then=Value("")), default=band)
        hidden = Coalesce(F("scores__sensitive"), Value(False))
    rows = (
        ScreeningResponse.objects.filter(pk__in=latest)
        .order_by("-started_at", "-id", "scores__id")
        .values(
            "pk",
            "status",
            "started_at",
            "completed_at",
            "instrument_version__label",
            "instrument_version__status",
            "instrument_version__instrument__slug",
            "instrument_version__instrument__title",
            "scores__name",
            "scores__items_missing",
            score_value=value,
            score_band=band,
            score_hidden=hidden,
        )
    )
    lines: dict[int, ScreeningLine] = {}
    for row in rows:
        line = lines.get(row["pk"])
        if line is None:
            line = lines[row["pk"]] = ScreeningLine(
                pk=row["pk"],
                title=short_title(
                    row["instrument_version__instrument__slug"],
                    row["instrument_version__instrument__title"],
                ),
                version_label=row["instrument_version__label"],
                retired=row["instrument_version__status"] == "retired",
                status=row["status"],
                started_at=row["started_at"],
                completed_at=row["completed_at"],
            )
        if row["scores__name"] is None:
            continue
        if row["score_hidden"]:
            line.restricted = True
            continue
        line.scores.append(
            ScoreLine(
                row["scores__name"],
                row["score_value"],
                row["score_band"],
                row["scores__items_missing"],
            )
        )
    return list(lines.values())


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
        groups.append(InstrumentGroup(slug, title, instrument.title, rows, charts))
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
    try:
        page = max(1, min(int(request.GET.get("page") or 1), 10_000))
    except ValueError:
        page = 1
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
