"""Plans, written: start a plan for an enrollment, move it on or end it, approve it, add
and change goals, record readiness, add steps and mark them done, record reviews with
their GAS ratings and the person's agreement. Each goes through `plans.services` (the
person's care team only; checked, versioned, audited and announced) and answers with
the plan as it now is. Every change names the plan version it was based on (If-Match or
a `version` field); a stale one is a 409 that lists what changed since (`changes`).
The operations join the reads' router (`api/plans.py`): one path is read and changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from pydantic import Field, Strict

from alongside.accounts.actors import Actor
from alongside.api import openapi, present
from alongside.api.auth import caller
from alongside.api.concurrency import expected_version
from alongside.api.plans import PlanOut, plan_body, router
from alongside.api.schemas import (
    Date,
    Id,
    In,
    OwnWords,
    Text200,
    Text500,
    Version,
    Written,
    _optional,
)
from alongside.people.sensitivity import disclosure_for
from alongside.plans import selectors, services
from alongside.plans.models import Goal, Plan
from alongside.plans.snapshot import plan_snapshot, redacted

IF_MATCH = openapi.if_match(version_field=True)

# Mirrors of the models' choices (a test keeps them in step).
Domain = Literal[
    "housing",
    "food",
    "health",
    "mental_health",
    "substance_use",
    "safety",
    "income",
    "employment",
    "education",
    "legal",
    "transportation",
    "family",
    "social_connection",
    "other",
]
Importance = Literal["to", "for", "both"]
Lifecycle = Literal[
    "proposed",
    "planned",
    "accepted",
    "active",
    "on-hold",
    "completed",
    "cancelled",
    "rejected",
    "entered-in-error",
]
Achievement = Literal[
    "",
    "in-progress",
    "improving",
    "worsening",
    "no-change",
    "achieved",
    "sustaining",
    "not-achieved",
    "no-progress",
    "not-attainable",
]
ProfileLink = Literal["", "important_to", "hopes", "want_to_change", "strengths"]
Level = Annotated[int, Strict(), Field(ge=-2, le=2, description="GAS level, −2 … +2")]
ZeroToTen = Annotated[int, Strict(), Field(ge=0, le=10)]
Priority = Annotated[int, Strict(), Field(ge=1, le=99, description="Theirs; 1 comes first.")]
Weight = Annotated[int, Strict(), Field(ge=1, le=10, description="Weight in the T-score.")]
GasText = Text500
TheirWords = Annotated[
    Written, Field(description="The goal in the person's own words, stored exactly as sent.")
]


class GoalFields(In):
    restatement: OwnWords = ""
    domain: Domain
    importance: Importance
    profile_link: ProfileLink = ""
    priority: Priority | None = None
    target_date: Date | None = Field(None, description="Not before the plan started.")
    lifecycle: Lifecycle = "proposed"
    achievement: Achievement = ""
    gas_minus2: GasText = ""
    gas_minus1: GasText = ""
    gas_0: GasText = ""
    gas_plus1: GasText = ""
    gas_plus2: GasText = ""
    weight: Weight = 1
    version: Version | None = None


class GoalIn(GoalFields):
    words: TheirWords


class GoalPatch(In):
    words: TheirWords = _optional()
    restatement: OwnWords = _optional()
    domain: Domain = _optional()
    importance: Importance = _optional()
    profile_link: ProfileLink = _optional()
    priority: Priority = _optional()
    target_date: Date | None = None
    lifecycle: Lifecycle = _optional()
    achievement: Achievement = _optional()
    gas_minus2: GasText = _optional()
    gas_minus1: GasText = _optional()
    gas_0: GasText = _optional()
    gas_plus1: GasText = _optional()
    gas_plus2: GasText = _optional()
    weight: Weight = _optional()
    version: Version | None = None


class ReadinessIn(In):
    importance: ZeroToTen = Field(description="How important, 0 to 10.")
    confidence: ZeroToTen = Field(description="How confident, 0 to 10.")
    why_not_lower: OwnWords = Field("", description="In the person's words.")
    version: Version | None = None


class StepIn(In):
    text: Written
    owner_kind: Literal["person", "staff", "support"]
    owner_user_id: Id | None = Field(
        None, description="For a staff step: someone on the person's team."
    )
    owner_contact_id: Id | None = Field(
        None, description="For a support step: someone they agreed to involve."
    )
    due_on: Date | None = None
    version: Version | None = None


class StepPatch(In):
    done: bool
    version: Version | None = None


class RatingIn(In):
    goal_id: Id
    level: Level
    note: OwnWords = ""


class ReviewIn(In):
    held_on: Date = Field(description="Between the plan's start and today.")
    participants: Written
    person_view: OwnWords = Field("", description="Their view, in their words.")
    what_changed: OwnWords = ""
    ratings: list[RatingIn] = Field(default_factory=list, max_length=200)
    version: Version | None = None


class AgreementIn(In):
    method: Literal["signed", "verbal", "declined"]
    signature: Text200 = Field("", description="Their typed name, to sign.")
    witness: Text200 = Field("", description="The witness to a verbal agreement.")
    person_words: OwnWords = Field("", description="What they said, in their words.")
    version: Version | None = None


class PlanPatch(In):
    status: Literal["active", "under_review", "completed", "closed"]
    reason: Text500 = Field("", description="Why it ends (required to complete or close).")
    version: Version | None = None


class Approval(In):
    version: Version | None = None


# ---------------------------------------------------------------- helpers


@contextmanager
def _fields_named(names: dict[str, str]) -> Iterator[None]:
    """A service's field errors under the API's names for those fields."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {names.get(name, name): messages for name, messages in error.message_dict.items()}
        ) from None


def _plan(request: HttpRequest, plan_id: int, purpose: str) -> Plan:
    return selectors.plan_for(caller(request), plan_id, purpose=f"api: {purpose}")


def _answer(user: Actor, plan: Plan, *, created: bool = False) -> HttpResponse:
    """The plan as it now is, as the caller may see it."""
    plan.refresh_from_db(
        fields=["status", "version", "next_review_on", "ended_reason", "activated_at"]
    )
    whole = plan_snapshot(plan)
    shown = redacted(whole, sensitive=disclosure_for(user, plan.person).sensitive)
    location = reverse("api-v1:plan", args=[plan.pk]) if created else None
    return present.respond(
        plan_body(plan, whole, shown),
        status=201 if created else 200,
        version=plan.version,
        location=location,
    )


def _write(
    request: HttpRequest,
    plan: Plan,
    version: int | None,
    call: Callable[[Actor, int], Any],
    *,
    created: bool = False,
) -> HttpResponse:
    user = caller(request)
    call(user, expected_version(request, version))
    return _answer(user, plan, created=created)


def _goal(plan: Plan, goal_id: int) -> Goal:
    return selectors.goal_of(plan, goal_id)


# ---------------------------------------------------------------- the plan


@router.post(
    "/enrollments/{enrollment_id}/plans",
    response={201: PlanOut},
    summary="Start a plan (a draft) for an open enrollment",
)
def start_plan(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    user = caller(request)
    enrollment = selectors.enrollment_for(user, enrollment_id)
    plan = services.plan_start(actor=user, enrollment=enrollment)
    return _answer(user, selectors.plan_for(user, plan.pk, purpose="api: start"), created=True)


@router.patch(
    "/plans/{plan_id}",
    response={200: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Move a plan on (active, under review) or end it (completed, closed)",
    description="Activating a draft needs at least one goal, and the person's agreement, "
    "signature or a supervisor's approval where the program asks for them.",
)
def change_plan(request: HttpRequest, plan_id: int, payload: PlanPatch) -> HttpResponse:
    plan = _plan(request, plan_id, "status")
    return _write(
        request,
        plan,
        payload.version,
        lambda user, version: services.plan_status_set(
            actor=user,
            plan=plan,
            status=payload.status,
            reason=payload.reason,
            expected_version=version,
        ),
    )


@router.post(
    "/plans/{plan_id}/approval",
    response={200: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Approve a plan (a supervisor of its program)",
)
def approve_plan(request: HttpRequest, plan_id: int, payload: Approval) -> HttpResponse:
    plan = _plan(request, plan_id, "approve")
    return _write(
        request,
        plan,
        payload.version,
        lambda user, version: services.plan_approve(
            actor=user, plan=plan, expected_version=version
        ),
    )


# ---------------------------------------------------------------- goals


@router.post(
    "/plans/{plan_id}/goals",
    response={201: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Add a goal, in the person's own words",
)
def add_goal(request: HttpRequest, plan_id: int, payload: GoalIn) -> HttpResponse:
    plan = _plan(request, plan_id, "add a goal")
    data = payload.model_dump(exclude={"version"})
    return _write(
        request,
        plan,
        payload.version,
        lambda user, version: services.goal_add(
            actor=user, plan=plan, data=data, expected_version=version
        ),
        created=True,
    )


@router.patch(
    "/plans/{plan_id}/goals/{goal_id}",
    response={200: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Change a goal (its identity never changes; set it aside by its lifecycle)",
)
def change_goal(
    request: HttpRequest, plan_id: int, goal_id: int, payload: GoalPatch
) -> HttpResponse:
    plan = _plan(request, plan_id, "change a goal")
    goal = _goal(plan, goal_id)
    data = payload.model_dump(exclude_unset=True, exclude={"version"})
    return _write(
        request,
        plan,
        payload.version,
        lambda user, version: services.goal_update(
            actor=user, goal=goal, data=data, expected_version=version
        ),
    )


@router.post(
    "/plans/{plan_id}/goals/{goal_id}/readiness",
    response={201: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Record how ready the person feels for a goal (0–10)",
)
def record_readiness(
    request: HttpRequest, plan_id: int, goal_id: int, payload: ReadinessIn
) -> HttpResponse:
    plan = _plan(request, plan_id, "readiness")
    goal = _goal(plan, goal_id)
    return _write(
        request,
        plan,
        payload.version,
        lambda user, version: services.readiness_record(
            actor=user,
            goal=goal,
            importance=payload.importance,
            confidence=payload.confidence,
            why_not_lower=payload.why_not_lower,
            expected_version=version,
        ),
        created=True,
    )


# ---------------------------------------------------------------- steps


@router.post(
    "/plans/{plan_id}/goals/{goal_id}/steps",
    response={201: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Add a step: for the person, a staff member on their team, or someone who "
    "matters to them whom they agreed to involve",
)
def add_step(request: HttpRequest, plan_id: int, goal_id: int, payload: StepIn) -> HttpResponse:
    plan = _plan(request, plan_id, "add a step")
    goal = _goal(plan, goal_id)
    staff, contacts = services.step_owners(plan)
    data = {
        "text": payload.text,
        "owner_kind": payload.owner_kind,
        "owner_user": next((u for u in staff if u.pk == payload.owner_user_id), None),
        "owner_contact": next((c for c in contacts if c.pk == payload.owner_contact_id), None),
        "due_on": payload.due_on,
    }

    def add(user: Actor, version: int) -> Any:
        with _fields_named({"owner_user": "owner_user_id", "owner_contact": "owner_contact_id"}):
            return services.step_add(actor=user, goal=goal, data=data, expected_version=version)

    return _write(request, plan, payload.version, add, created=True)


@router.patch(
    "/plans/{plan_id}/steps/{step_id}",
    response={200: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Mark a step done, or not done",
)
def change_step(
    request: HttpRequest, plan_id: int, step_id: int, payload: StepPatch
) -> HttpResponse:
    plan = _plan(request, plan_id, "mark a step")
    step = selectors.step_of(plan, step_id)
    return _write(
        request,
        plan,
        payload.version,
        lambda user, version: services.step_done(
            actor=user, step=step, done=payload.done, expected_version=version
        ),
    )


# ---------------------------------------------------------------- reviews and agreement


@router.post(
    "/plans/{plan_id}/reviews",
    response={201: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Record a review: who took part, the person's view, what changed, GAS ratings",
)
def record_review(request: HttpRequest, plan_id: int, payload: ReviewIn) -> HttpResponse:
    plan = _plan(request, plan_id, "review")
    ratings = {r.goal_id: (r.level, r.note) for r in payload.ratings}

    def record(user: Actor, version: int) -> Any:
        levels = {f"level_{r.goal_id}": "ratings" for r in payload.ratings}
        with _fields_named(levels):
            return services.review_record(
                actor=user,
                plan=plan,
                held_on=payload.held_on,
                participants=payload.participants,
                person_view=payload.person_view,
                what_changed=payload.what_changed,
                ratings=ratings,
                expected_version=version,
            )

    return _write(request, plan, payload.version, record, created=True)


@router.post(
    "/plans/{plan_id}/agreements",
    response={201: PlanOut},
    openapi_extra=IF_MATCH,
    summary="Record how the person agreed to the plan, or that they declined",
)
def record_agreement(request: HttpRequest, plan_id: int, payload: AgreementIn) -> HttpResponse:
    plan = _plan(request, plan_id, "agreement")
    return _write(
        request,
        plan,
        payload.version,
        lambda user, version: services.agreement_record(
            actor=user,
            plan=plan,
            method=payload.method,
            signature=payload.signature,
            witness=payload.witness,
            person_words=payload.person_words,
            expected_version=version,
        ),
        created=True,
    )
