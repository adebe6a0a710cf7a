"""`POST /api/v1/notes/{id}/tasks`: a signed note's next steps become tasks, as the note
page's action makes them: for the care team, once (a repeat answers the same tasks),
scoped, audited, with structured errors documented in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from django.test import Client

from alongside.api.tests.conftest import assert_error
from alongside.audit.models import AuditEvent
from alongside.encounters import services
from alongside.encounters.models import Note
from alongside.encounters.tests.factories import encounter, signed_note, version
from alongside.tasks.models import Task

STEPS = ["Call the landlord on Monday", "Apply for rental help by Friday"]


def test_it_makes_a_task_per_next_step(world: Any, api_as: Any) -> None:
    note = signed_note(world)
    reply = api_as(world.coordinator).post(f"/notes/{note.pk}/tasks")

    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["created"] is True
    assert [t["title"] for t in body["items"]] == STEPS
    assert {(t["origin"], t["assignee_id"], t["sensitive"]) for t in body["items"]} == {
        ("note", world.coordinator.pk, True)
    }
    assert AuditEvent.objects.filter(action="create", object_type="tasks.task").count() == 2


def test_a_repeat_answers_the_same_tasks_and_makes_none(world: Any, api_as: Any) -> None:
    note = signed_note(world)
    api = api_as(world.coordinator)
    first = api.post(f"/notes/{note.pk}/tasks").json()
    again = api.post(f"/notes/{note.pk}/tasks")

    assert again.status_code == 200, again.content
    assert again.json()["created"] is False
    assert [t["id"] for t in again.json()["items"]] == [t["id"] for t in first["items"]]
    assert Task.objects.filter(origin="note").count() == 2
    assert AuditEvent.objects.filter(action="list", object_type="tasks.task").exists()


def test_a_draft_is_409_and_a_note_without_steps_422(world: Any, api_as: Any) -> None:
    api = api_as(world.coordinator)
    draft = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("mi-progress")
    )
    assert_error(api.post(f"/notes/{draft.pk}/tasks"), 409, "note_draft")
    empty = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("dap")
    )
    content = {"data": "Visit.", "assessment": "Well.", "plan": "Call Monday."}
    empty = services.note_save_draft(
        actor=world.coordinator, note=empty, content=content, expected_version=empty.version
    )
    empty = services.note_sign(actor=world.coordinator, note=empty, expected_version=empty.version)
    assert_error(api.post(f"/notes/{empty.pk}/tasks"), 422, "invalid")
    assert not Task.objects.filter(origin="note").exists()


def test_off_the_care_team_is_403_and_out_of_scope_404(world: Any, api_as: Any) -> None:
    note = signed_note(world)
    assert_error(api_as(world.scheduler).post(f"/notes/{note.pk}/tasks"), 403)
    assert_error(api_as(world.outsider).post(f"/notes/{note.pk}/tasks"), 404, "not_found")
    assert_error(api_as(world.coordinator).post("/notes/99999999999999999999/tasks"), 404)
    assert_error(api_as(world.coordinator).post(f"/notes/{Note.objects.count() + 9}/tasks"), 404)
    assert not Task.objects.exists()


def test_it_is_in_the_openapi_document(db: Any) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/notes/{note_id}/tasks"]["post"]
    assert {"200", "201", "401", "403", "404", "409", "422"} <= set(operation["responses"])
    assert "note_draft" in operation["description"]
