"""A person's screening record: the history of their screenings with score trends, the
queue of urgent flags, and the two writes staff make from the record (acknowledging a
flag, moving a need along). The panel on the person's page is `intake.panel`.

Everything starts from `Person.objects.visible_to(user)` (in `intake.selectors`): out of
scope is a 404, for a person and for a flag or need of theirs. The history shows scores,
never answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import Actor, AuthenticatedHttpRequest
from alongside.intake import selectors, sensitive, services
from alongside.intake.charts import Chart, Point, trend_chart
from alongside.intake.flag_forms import FlagActionForm
from alongside.intake.models import ScreeningResponse
from alongside.intake.wording import (
    need_name,
    need_view,
    short_title,
    status_choices,
    status_name,
)
from alongside.lib.params import query_page
from alongside.lib.views import attach_errors, back_to, or_404, refusals_as_403
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


def _groups(responses: list[ScreeningResponse], user: Actor) -> list[InstrumentGroup]:
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
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def urgent(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = query_page(request.GET)
    flags, has_next = selectors.urgent_flags_page(request.user, page=page, size=URGENT_PAGE)
    for flag in flags:
        flag.action_form = FlagActionForm(flag_pk=flag.pk)  # type: ignore[attr-defined]
    context = {"flags": flags, "page": page, "has_next": has_next, "nav": "urgent"}
    return render(request, "intake/record/urgent.html", context)


def _flag_page(
    request: AuthenticatedHttpRequest,
    pk: int,
    form: FlagActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    flag, shows = or_404(lambda: selectors.flag_detail(request.user, pk), "No such flag")
    if form is None and flag.is_open and shows:
        form = FlagActionForm(flag_pk=flag.pk)
    context = {
        "flag": flag,
        "person": flag.person,
        "sensitive": shows,
        "form": form if flag.is_open else None,
        "restricted": RESTRICTED,
        "next": back_to(request, ""),
        "nav": "urgent",
    }
    return render(request, "intake/record/flag.html", context, status=status)


@login_required
def flag_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An urgent flag with its history, and the form to record what was done."""
    return _flag_page(request, pk)


@login_required
@require_POST
def flag_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record what was done about a flag. A choice is required (and a note for some); a
    refused one shows the flag's page with the errors, a flag someone else closed
    meanwhile says who did (409)."""
    flag = or_404(lambda: selectors.flag_for(request.user, pk), "No such flag")
    form = FlagActionForm(request.POST, flag_pk=flag.pk)
    if not form.is_valid():
        with refusals_as_403():
            services.ensure_may_act(request.user, flag)
        return _flag_page(request, pk, form, status=422)
    try:
        with refusals_as_403():
            taken = services.urgent_flag_acknowledge(
                actor=request.user,
                flag=flag,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
            )
    except services.FlagClosed as closed:
        messages.info(request, " ".join(closed.messages))
        return redirect(back_to(request, reverse("intake:flag", args=[pk])))
    except ValidationError as error:
        attach_errors(form, error)
        return _flag_page(request, pk, form, status=422)
    if taken.closes_flag:
        text = _("Thank you. “%(action)s” is recorded and the result is closed in your name.")
    else:
        text = _(
            "Recorded: “%(action)s”. The result stays open so the team keeps trying to reach them."
        )
    messages.success(request, text % {"action": taken.get_kind_display()})
    return redirect(back_to(request, reverse("people:detail", args=[flag.person_id])))


# ---------------------------------------------------------------- need status


@login_required
@require_POST
def need_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
    messages.success(
        request,
        _("%(need)s: now “%(status)s”.")
        % {"need": need_name(need.kind), "status": status_name(status)},
    )
    return redirect(back_to(request, reverse("people:detail", args=[need.person_id])))
