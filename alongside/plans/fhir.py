"""A plan as a FHIR R4 `CarePlan` with its goals contained as `Goal` resources, validated
with fhir.resources' R4B models (CarePlan and Goal are the same in R4 and R4B).

Goal keeps its two statuses as FHIR means them: `lifecycleStatus` (proposed … entered
in error) and `achievementStatus` (in progress … not attainable). The person's own words
are the goal's `description.text`, exactly; a staff restatement is a `note`. Steps are
the plan's activities, each pointing at its goal. A goal the reader may not see in
detail (mental health, substance use, safety, off the care team) keeps its statuses and
carries data-absent-reason `masked` instead of its description; its steps are left out."""

from __future__ import annotations

import json
from typing import Any

from fhir.resources.R4B.careplan import CarePlan

from alongside.plans.models import Plan
from alongside.plans.snapshot import Snapshot

ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
STATUS = {
    Plan.Status.DRAFT: "draft",
    Plan.Status.ACTIVE: "active",
    Plan.Status.UNDER_REVIEW: "active",
    Plan.Status.REVISED: "active",
    Plan.Status.COMPLETED: "completed",
    Plan.Status.CLOSED: "revoked",
}


def _goal(goal: dict[str, Any], person_id: int) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": f"goal-{goal['id']}",
        "lifecycleStatus": goal.get("lifecycle", "proposed"),
        "subject": {"reference": f"Patient/{person_id}"},
    }
    if goal.get("restricted"):
        resource["description"] = {"extension": [{"url": ABSENT, "valueCode": "masked"}]}
        return resource
    resource["description"] = {"text": goal["words"]}
    resource["category"] = [{"text": goal["domain"]}]
    if goal["achievement"]:
        resource["achievementStatus"] = {
            "coding": [{"system": ACHIEVEMENT, "code": goal["achievement"]}]
        }
    if goal["target_date"]:
        resource["target"] = [{"dueDate": goal["target_date"]}]
    if goal["restatement"]:
        resource["note"] = [{"text": goal["restatement"]}]
    return resource


def _activity(step: dict[str, Any], goal_id: int) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "status": "completed" if step["done_at"] else "not-started",
        "description": step["text"],
        "goal": [{"reference": f"#goal-{goal_id}"}],
    }
    if step["due_on"]:
        detail["scheduledString"] = step["due_on"]
    if step["owner"]:
        detail["performer"] = [{"display": step["owner"]}]
    return {"detail": detail}


def care_plan(plan: Plan, shown: Snapshot) -> dict[str, Any]:
    """`shown` is the plan's snapshot as the reader may see it (`snapshot.redacted`)."""
    goals = shown["goals"]
    data: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": f"plan-{plan.pk}",
        "status": STATUS[Plan.Status(shown["status"])],
        "intent": "plan",
        "subject": {"reference": f"Patient/{plan.person_id}"},
        "period": {"start": shown["started_on"]},
        "created": plan.created_at.isoformat(),
        "contained": [_goal(g, plan.person_id) for g in goals],
        "goal": [{"reference": f"#goal-{g['id']}"} for g in goals],
    }
    activities = [_activity(s, g["id"]) for g in goals for s in g["steps"]]
    if activities:
        data["activity"] = activities
    if not goals:
        del data["contained"], data["goal"]
    resource = CarePlan.model_validate(data)
    return dict(json.loads(resource.model_dump_json(exclude_none=True)))
