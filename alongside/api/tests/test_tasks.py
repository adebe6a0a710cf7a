"""Tasks over the API: scoped, validated, versioned, audited, and as FHIR Task."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.task import Task as FhirTask

from alongside.api.tests.conftest import assert_error
from alongside.audit.models import AuditEvent
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_task


def _due(hours: int = 24) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def _body(world: Any, **extra: Any) -> dict[str, Any]:
    return {
        "program_id": world.housing.pk,
        "person_id": world.person.pk,
        "title": "Call the landlord",
        "due_at": _due(),
        "priority": "urgent",
    } | extra


def test_it_creates_a_task_in_the_team_queue(world: Any, api_as: Any) -> None:
    reply = api_as(world.coordinator).post("/tasks", _body(world))

    assert reply.status_code == 201, reply.content
    body = reply.json()
    task = Task.objects.get(pk=body["id"])
    assert (task.assignee, task.person, body["priority"]) == (None, world.person, "urgent")
    assert reply["Location"] == f"/api/v1/tasks/{task.pk}"
    assert AuditEvent.objects.filter(action="create", object_type="tasks.task").exists()


def test_it_refuses_a_due_time_in_the_past(world: Any, api_as: Any) -> None:
    reply = api_as(world.coordinator).post("/tasks", _body(world, due_at=_due(-2)))

    error = assert_error(reply, 422)
    assert "cannot be due in the past" in error["fields"]["due_at"][0]
    assert not Task.objects.exists()


def test_it_refuses_an_unknown_or_out_of_program_assignee(world: Any, api_as: Any) -> None:
    api = api_as(world.coordinator)

    unknown = assert_error(api.post("/tasks", _body(world, assignee_id=10**9)), 422)
    elsewhere = assert_error(api.post("/tasks", _body(world, assignee_id=world.colleague.pk)), 422)

    assert "works in" in unknown["fields"]["assignee_id"][0]
    assert "works in Housing Navigation" in elsewhere["fields"]["assignee"][0]
    assert not Task.objects.exists()


def test_a_stale_change_is_409_and_a_fresh_one_completes(world: Any, api_as: Any) -> None:
    task = make_task(world)
    api = api_as(world.coordinator)
    api.patch(f"/tasks/{task.pk}", {"title": "Renamed", "version": 1})

    stale = api.patch(f"/tasks/{task.pk}", {"status": "done", "version": 1})
    done = api.patch(f"/tasks/{task.pk}", {"status": "done", "version": 2})

    assert_error(stale, 409)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    assert done["ETag"] == '"3"'


def test_cancelling_needs_a_reason(world: Any, api_as: Any) -> None:
    task = make_task(world)

    reply = api_as(world.coordinator).patch(
        f"/tasks/{task.pk}", {"status": "cancelled", "version": 1}
    )

    error = assert_error(reply, 422)
    assert "why the task is cancelled" in error["message"] + str(error["fields"])
    task.refresh_from_db()
    assert task.status == "todo"


def test_a_task_about_someone_out_of_sight_is_404(world: Any, api_as: Any) -> None:
    task = make_task(world)
    api = api_as(world.colleague)

    assert_error(api.get(f"/tasks/{task.pk}"), 404)
    assert_error(api.patch(f"/tasks/{task.pk}", {"title": "x", "version": 1}), 404)
    assert_error(api.get(f"/tasks/{task.pk}/fhir"), 404)
    assert api.get("/tasks").json()["items"] == []


def test_it_lists_my_tasks_and_a_persons(world: Any, api_as: Any) -> None:
    task = make_task(world)
    api = api_as(world.coordinator)

    mine = api.get("/tasks").json()
    persons = api.get(f"/people/{world.person.pk}/tasks").json()

    assert [t["id"] for t in mine["items"]] == [task.pk] == [t["id"] for t in persons]


def test_it_gives_a_task_as_a_valid_fhir_task(world: Any, api_as: Any) -> None:
    task = make_task(world, priority="asap")

    reply = api_as(world.coordinator).get(f"/tasks/{task.pk}/fhir")

    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/fhir+json")
    resource = reply.json()
    FhirTask.model_validate(resource)
    assert (resource["status"], resource["priority"], resource["intent"]) == (
        "requested",
        "asap",
        "order",
    )
    assert resource["for"] == {"reference": f"Patient/{world.person.pk}"}
    assert resource["owner"]["reference"] == f"Practitioner/{world.coordinator.pk}"


def test_an_unknown_person_in_the_body_is_a_field_error(world: Any, api_as: Any) -> None:
    body = _body(world, person_id=9223372036854775806, due_at="2000-01-01T00:00:00Z")

    error = assert_error(api_as(world.coordinator).post("/tasks", body), 422)

    assert "Choose a person you work with" in error["fields"]["person_id"][0]
