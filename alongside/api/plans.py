"""Plans, read-only: a plan with its goals, steps, readiness and GAS T-scores, and the
same plan as a FHIR CarePlan with its goals contained. Read through `plans.selectors`
(scoped by `Person.objects.visible_to`, audited); a goal about mental health, substance
use or safety is restricted outside the person's care team (docs/plans.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from alongside.api import openapi, present
from alongside.api.auth import caller
from alongside.api.screenings import FHIR_JSON
from alongside.people.sensitivity import RESTRICTED, RESTRICTED_ENGLISH
from alongside.plans import display, fhir, printout, selectors
from alongside.plans.models import Plan
from alongside.plans.snapshot import Snapshot

router = Router(tags=["plans"])

# The languages a plan can be printed in (settings.LANGUAGES).
Language = Literal["en", "es"]


class StepOut(Schema):
    id: int
    text: str
    owner_kind: str
    owner: str
    due_on: dt.date | None
    done_at: dt.datetime | None


class ReadinessOut(Schema):
    importance: int
    confidence: int
    why_not_lower: str
    measured_at: dt.datetime


class GoalOut(Schema):
    id: int
    words: str = Field(description="The goal in the person's own words, exactly.")
    restatement: str
    domain: str
    importance: Literal["to", "for", "both"]
    profile_link: str
    priority: int
    target_date: dt.date | None
    lifecycle: str = Field(description="FHIR Goal.lifecycleStatus")
    achievement: str = Field(description="FHIR Goal.achievementStatus code, or empty")
    weight: int
    steps: list[StepOut]
    readiness: list[ReadinessOut]


class RestrictedGoalOut(Schema):
    """A goal about mental health, substance use or safety, outside the care team."""

    id: int
    importance: Literal["to", "for", "both"]
    priority: int
    lifecycle: str
    restricted: Literal[True]
    reason: str = Field(description=f'Always "{RESTRICTED_ENGLISH}"')


class ReviewScoreOut(Schema):
    held_on: dt.date
    t_score: float | None = Field(description="GAS T-score (Kiresuk and Sherman, rho 0.3)")
    rated: int


class PlanOut(Schema):
    id: int
    person_id: int
    enrollment_id: int
    program: str
    status: str
    version: int
    started_on: dt.date
    next_review_on: dt.date | None
    goals: list[GoalOut | RestrictedGoalOut]
    reviews: list[ReviewScoreOut]
    fhir_url: str


class PlanSummaryOut(Schema):
    id: int
    enrollment_id: int
    program: str
    status: str
    version: int
    started_on: dt.date
    next_review_on: dt.date | None
    current_goals: int
    open_steps: int
    url: str


@router.get(
    "/people/{person_id}/plans",
    response={200: list[PlanSummaryOut]},
    summary="A person's plans, newest first, with how many goals and open steps each has",
)
def list_person_plans(request: HttpRequest, person_id: int) -> HttpResponse:
    _person, plans = selectors.person_plans(caller(request), person_id)
    return present.respond(
        [
            PlanSummaryOut(
                id=p.pk,
                enrollment_id=p.enrollment_id,
                program=p.enrollment.program.name,
                status=p.status,
                version=p.version,
                started_on=p.started_on,
                next_review_on=p.next_review_on,
                current_goals=p.current_goals,  # type: ignore[attr-defined]
                open_steps=p.open_steps,  # type: ignore[attr-defined]
                url=reverse("api-v1:plan", args=[p.pk]),
            )
            for p in plans
        ]
    )


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut},
    url_name="plan",
    summary="A plan with its goals, steps, readiness and review scores",
)
def get_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, whole, shown = selectors.plan_read(caller(request), plan_id, purpose="api")
    return present.respond(plan_body(plan, whole, shown), version=plan.version)


def plan_body(plan: Plan, whole: Snapshot, shown: Snapshot) -> PlanOut:
    """The plan as the API gives it: `shown` is its snapshot as the caller may see it,
    `whole` gives the reviews' T-scores."""
    goals: list[GoalOut | RestrictedGoalOut] = [
        RestrictedGoalOut.model_validate(g | {"reason": str(RESTRICTED)})
        if g.get("restricted")
        else GoalOut.model_validate(g)
        for g in shown["goals"]
    ]
    return PlanOut(
        id=plan.pk,
        person_id=plan.person_id,
        enrollment_id=plan.enrollment_id,
        program=plan.enrollment.program.name,
        status=plan.status,
        version=plan.version,
        started_on=plan.started_on,
        next_review_on=plan.next_review_on,
        goals=goals,
        reviews=[
            ReviewScoreOut.model_validate(s, from_attributes=True)
            for s in display.review_scores(whole)
        ],
        fhir_url=reverse("api-v1:plan_fhir", args=[plan.pk]),
    )


@router.get(
    "/plans/{plan_id}/fhir",
    response={200: None},
    openapi_extra=openapi.fhir_response(openapi.CARE_PLAN),
    url_name="plan_fhir",
    summary="A plan as a FHIR CarePlan, its goals contained",
    description="Each Goal keeps lifecycleStatus and achievementStatus; its description "
    "is the person's own words. Outside the care team a goal about mental health, "
    "substance use or safety carries data-absent-reason `masked` instead.",
)
def get_plan_fhir(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _whole, shown = selectors.plan_read(caller(request), plan_id, purpose="api: fhir")
    reply = HttpResponse(
        json.dumps(fhir.care_plan(plan, shown), ensure_ascii=False), content_type=FHIR_JSON
    )
    reply["Cache-Control"] = "no-store"
    return reply


PDF = "application/pdf"


@router.get(
    "/plans/{plan_id}/pdf",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The plan the person keeps, as tagged PDF/UA.",
                "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    url_name="plan_pdf",
    summary="The plan the person keeps, as a PDF in their language",
    description="Written for the person (“My goals”, “What I will do”, “What my team will "
    "do”, “Who to call”) with the name they use. `lang` chooses the language (`en`, "
    "`es`); without it, the person's preferred language when the plan can be printed in "
    "it, else English. Outside the care team a goal about mental health, substance use "
    "or safety is left out, and the document says one is kept with the care team.",
)
def get_plan_pdf(
    request: HttpRequest, plan_id: int, lang: Annotated[Language | None, Query()] = None
) -> HttpResponse:
    context = printout.plan_print(caller(request), plan_id, lang or "")
    reply = HttpResponse(printout.render_pdf(context), content_type=PDF)
    reply["Content-Disposition"] = f'attachment; filename="{printout.filename(context)}"'
    reply["Cache-Control"] = "no-store"
    return reply
