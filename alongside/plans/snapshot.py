"""The whole plan as plain data: what a `PlanVersion` keeps after each change, and what the
plan page draws (so the current plan and a past version read the same way). Dates are
ISO strings (plans/display.py reads them back). Six queries whatever the plan holds
(none where the plan was read with its rows: plans/snapshot_rows.py), and one for the
person's profile unless it was read with the plan."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext, gettext_noop

from alongside.people.models import Person, Profile
from alongside.people.sensitivity import RESTRICTED
from alongside.plans import snapshot_rows
from alongside.plans.models import (
    LINKABLE_PROFILE_FIELDS,
    Agreement,
    GasRating,
    Goal,
    Plan,
    Readiness,
    Review,
    Step,
)

Snapshot = dict[str, Any]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# A step's owner no longer known: kept snapshots store these words in English (the API and
# FHIR read them so); pages and the printed plan say them with `owner_words`.
FORMER_STAFF = gettext_noop("A former staff member")
SOMEONE_WHO_MATTERS = gettext_noop("Someone who matters to them")


def _owner(step: Step) -> str:
    if step.owner_kind == Step.Owner.STAFF:
        return str(step.owner_user) if step.owner_user else FORMER_STAFF
    if step.owner_kind == Step.Owner.SUPPORT:
        return step.owner_contact.name if step.owner_contact else SOMEONE_WHO_MATTERS
    return ""


def owner_words(owner: str) -> str:
    """A step's stored owner as the reader says it: a name as it is, the words for an
    owner no longer known in the active language."""
    return gettext(owner) if owner in (FORMER_STAFF, SOMEONE_WHO_MATTERS) else owner


def _step(step: Step) -> dict[str, Any]:
    return {
        "id": step.pk,
        "text": step.text,
        "owner_kind": step.owner_kind,
        "owner": _owner(step),
        "owner_user_id": step.owner_user_id,
        "owner_contact_id": step.owner_contact_id,
        "due_on": _iso(step.due_on),
        "done_at": _iso(step.done_at),
    }


def _readiness(r: Readiness) -> dict[str, Any]:
    return {
        "importance": r.importance,
        "confidence": r.confidence,
        "why_not_lower": r.why_not_lower,
        "measured_at": _iso(r.measured_at),
    }


def _goal(goal: Goal, steps: list[Step], readiness: list[Readiness]) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "words": goal.words,
        "restatement": goal.restatement,
        "domain": goal.domain,
        "sensitive": goal.is_sensitive,
        "importance": goal.importance,
        "profile_link": goal.profile_link,
        "priority": goal.priority,
        "target_date": _iso(goal.target_date),
        "lifecycle": goal.lifecycle,
        "achievement": goal.achievement,
        "current": goal.is_current,
        "weight": goal.weight,
        "gas": [[level, text] for level, text in goal.gas_levels()],
        "steps": [_step(s) for s in steps],
        "readiness": [_readiness(r) for r in readiness],
    }


def _profile(person: Person) -> dict[str, str]:
    """The profile sections a goal can serve, as the person's words stand now (the
    profile is read with the person by the plan's selectors; one query otherwise)."""
    try:
        profile = person.profile
    except Profile.DoesNotExist:
        return {}
    return {name: getattr(profile, name) for name in LINKABLE_PROFILE_FIELDS}


def _rows(plan: Plan) -> dict[str, list[Any]]:
    """The plan's rows in six queries (`snapshot_rows` reads them with the plan)."""
    return {
        "goals": list(Goal.objects.filter(plan_id=plan.pk).order_by("priority", "id")),
        "steps": list(
            Step.objects.filter(goal__plan_id=plan.pk).select_related("owner_user", "owner_contact")
        ),
        "readiness": list(Readiness.objects.filter(goal__plan_id=plan.pk)),
        "reviews": list(Review.objects.filter(plan_id=plan.pk)),
        "ratings": list(GasRating.objects.filter(review__plan_id=plan.pk)),
        "agreements": list(Agreement.objects.filter(plan_id=plan.pk)),
    }


def plan_snapshot(plan: Plan) -> Snapshot:
    """The plan as plain data: from the rows read with it where they were
    (`snapshot_rows`, PostgreSQL), else read now."""
    rows = snapshot_rows.taken(plan)
    if rows is None:
        rows = _rows(plan)
    steps: dict[int, list[Step]] = defaultdict(list)
    for step in rows["steps"]:
        steps[step.goal_id].append(step)
    readiness: dict[int, list[Readiness]] = defaultdict(list)
    for r in rows["readiness"]:
        readiness[r.goal_id].append(r)
    ratings: dict[int, list[GasRating]] = defaultdict(list)
    for rating in rows["ratings"]:
        ratings[rating.review_id].append(rating)
    goals: list[Goal] = rows["goals"]
    reviews: list[Review] = rows["reviews"]
    agreements: list[Agreement] = rows["agreements"]
    return {
        "id": plan.pk,
        "version": plan.version,
        "status": plan.status,
        "ended_reason": plan.ended_reason,
        "started_on": _iso(plan.started_on),
        "activated_at": _iso(plan.activated_at),
        "next_review_on": _iso(plan.next_review_on),
        "approved_at": _iso(plan.approved_at),
        "profile": _profile(plan.person),
        "goals": [_goal(g, steps[g.pk], readiness[g.pk]) for g in goals],
        "reviews": [
            {
                "id": r.pk,
                "held_on": _iso(r.held_on),
                "participants": r.participants,
                "person_view": r.person_view,
                "what_changed": r.what_changed,
                "ratings": [
                    {"goal_id": x.goal_id, "level": x.level, "note": x.note} for x in ratings[r.pk]
                ],
            }
            for r in reviews
        ],
        "agreements": [
            {
                "method": a.method,
                "signature": a.signature,
                "witness": a.witness,
                "person_words": a.person_words,
                "plan_version": a.plan_version,
                "recorded_at": _iso(a.recorded_at),
            }
            for a in agreements
        ],
    }


def redacted(snapshot: Snapshot, *, sensitive: bool) -> Snapshot:
    """The snapshot as a viewer who may not see sensitive details may read it: a goal
    about mental health, substance use or safety keeps its place and its importance but
    none of its words, steps, readiness or ratings' notes; reviews' free text (which may
    speak of anything) is restricted too. A copy: the stored snapshot is untouched."""
    if sensitive:
        return snapshot
    hidden = {g["id"] for g in snapshot["goals"] if g["sensitive"]}
    goals = []
    for goal in snapshot["goals"]:
        if goal["id"] in hidden:
            goal = {
                **{
                    k: goal[k]
                    for k in (
                        "id",
                        "sensitive",
                        "importance",
                        "priority",
                        "current",
                        "lifecycle",
                        "achievement",
                    )
                },
                "restricted": True,
                "weight": goal["weight"],
                "steps": [],
                "readiness": [],
                "gas": [],
            }
        goals.append(goal)
    reviews = [
        {
            **review,
            "person_view": str(RESTRICTED),
            "what_changed": str(RESTRICTED),
            "ratings": [
                {**x, "note": str(RESTRICTED) if x["goal_id"] in hidden else x["note"]}
                for x in review["ratings"]
            ],
        }
        for review in snapshot["reviews"]
    ]
    return {**snapshot, "goals": goals, "reviews": reviews}
