"""A person's screening record: the history of their screenings with score trends, the
queue of urgent flags, and the two writes staff make from the record (acknowledging a
flag, moving a need along). The panel on the person's page is `intake.panel`.

Everything starts from `Person.objects.visible_to(user)` (in `intake.selectors`): out of
scope is a 404, for a person and for a flag or need of theirs. The history shows scores,
never answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from alongside.intake import selectors, sensitive, services
from alongside.intake.charts import Chart, Point, trend_chart
from alongside.intake.models import ScreeningResponse
from alongside.intake.wording import (
    NEED_WORDING,
    STATUS_WORDING,
    day,
    need_view,
    short_title,
    status_choices,
)
from alongside.lib.params import query_page
from alongside.lib.views import back_to, or_404, refusals_as_403
from alongside.people.sensitivity import RESTRICTED, disclosure_for

URGENT_PAGE = 50


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
    person, responses = or_404(
        lambda: selectors.screening_history(request.user, pk), "No such person"
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
    flags, has_next = selectors.urgent_flags_page(request.user, page=page, size=URGENT_PAGE)
    context = {"flags": flags, "page": page, "has_next": has_next, "nav": "urgent"}
    return render(request, "intake/record/urgent.html", context)


@login_required
@require_POST
def flag_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    flag = or_404(lambda: selectors.flag_for(request.user, pk), "No such flag")
    with refusals_as_403():
        flag = services.urgent_flag_acknowledge(actor=request.user, flag=flag)
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
            + (f" on {day(when)} at {formats.time_format(when)}." if when else "."),
        )
    return redirect(back_to(request, reverse("people:detail", args=[flag.person_id])))


# ---------------------------------------------------------------- need status


@login_required
@require_POST
def need_status(request: HttpRequest, pk: int) -> HttpResponse:
    need = or_404(lambda: selectors.need_for(request.user, pk), "No such need")
    expected = request.POST.get("expected") or None
    status = request.POST.get("status", "")
    try:
        with refusals_as_403():
            services.need_set_status(
                actor=request.user, need=need, status=status, expected=expected
            )
    except ValidationError as error:
        # The need as it is now, for the form again.
        need = or_404(lambda: selectors.need_for(request.user, pk), "No such need")
        stale = getattr(error, "code", None) == "stale"
        context = {
            "person": need.person,
            "view": need_view(need),
            "errors": error.messages,
            "status_choices": status_choices(),
            "on_team": disclosure_for(request.user, need.person).on_team,
            "next": back_to(request, ""),
            "nav": "people",
        }
        return render(
            request, "intake/record/need_status.html", context, status=409 if stale else 422
        )
    topic = NEED_WORDING.get(need.kind, (need.get_kind_display(), ""))[0]
    messages.success(request, f"{topic}: now “{STATUS_WORDING[status]}”.")
    return redirect(back_to(request, reverse("people:detail", args=[need.person_id])))
