"""A task as a FHIR R4 `Task` (validated with fhir.resources' R4B model, which is the
same as R4 for Task's elements used here)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from fhir.resources.R4B.task import Task as FhirTask

from alongside.tasks.models import Task

# Our statuses as FHIR task-status codes.
STATUS = {
    Task.Status.TODO: "requested",
    Task.Status.IN_PROGRESS: "in-progress",
    Task.Status.DONE: "completed",
    Task.Status.CANCELLED: "cancelled",
}


CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"


def _base() -> str:
    return settings.SITE_URL.rstrip("/") + "/fhir"


def task(item: Task) -> dict[str, Any]:
    """The task as a FHIR Task resource (plain JSON), checked against the FHIR model.
    `item` comes presented from `tasks.selectors` (`tasks.presenting`): a sensitive task
    its reader may not read carries its neutral title, the restricted wording as its one
    note, and a restricted security label."""
    restricted = getattr(item, "restricted", True)
    data: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(item.pk),
        "meta": {"versionId": str(item.version), "lastUpdated": item.updated_at.isoformat()},
        "identifier": [{"system": f"{_base()}/task-id", "value": str(item.pk)}],
        "status": STATUS[item.status],  # type: ignore[index]
        "intent": "order",
        "priority": item.priority,
        "description": item.title,
        "authoredOn": item.created_at.isoformat(),
        "lastModified": item.updated_at.isoformat(),
        "restriction": {"period": {"end": item.due_at.isoformat()}},
        # The team that owns the task: the program.
        "requester": {"reference": f"Organization/{item.organization_id}"},
    }
    if item.person_id is not None:
        data["for"] = {"reference": f"Patient/{item.person_id}"}
    if item.assignee_id is not None:
        data["owner"] = {
            "reference": f"Practitioner/{item.assignee_id}",
            "display": str(item.assignee),
        }
    else:
        data["owner"] = {
            "reference": f"CareTeam/{item.program_id}",
            "display": item.program.name,
        }
    if item.status == Task.Status.CANCELLED:
        data["statusReason"] = {"text": item.resolution}
    notes = [text for text in (item.description, item.why, item.resolution) if text]
    if notes:
        data["note"] = [{"text": text} for text in dict.fromkeys(notes)]
    if item.origin == Task.Origin.RULE and item.rule_id is not None and not restricted:
        data["reasonCode"] = {"text": item.why or str(item.rule)}
    if item.sensitive:
        # HL7 v3 Confidentiality "R" (restricted): shared beyond the care team, it says so.
        data["meta"]["security"] = [{"system": CONFIDENTIALITY, "code": "R"}]
    resource = FhirTask.model_validate(data)
    return dict(json.loads(resource.model_dump_json(exclude_none=True)))
