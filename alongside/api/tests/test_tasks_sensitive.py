"""The one sensitivity rule on tasks over the API and as FHIR Task: a sensitive task's
words go to the person's care team, a neutral title to anyone else who sees the person
(`tasks.presenting`; the pages are tested in tasks/tests/test_sensitive.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from alongside.api.tests.conftest import assert_error
from alongside.people.sensitivity import RESTRICTED
from alongside.tasks import fhir
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_task

WORDS = "Safety plan check-in after the self-harm answer"
NEUTRAL = "Task about the person"


@pytest.fixture
def secret(world: Any) -> Task:
    return make_task(world, title=WORDS, sensitive=True, assignee=None)


def test_api(world: Any, secret: Task, api_as: Any) -> None:
    api = api_as(world.scheduler)
    listed = api.get("/tasks").json()["items"]
    one = api.get(f"/tasks/{secret.pk}").json()
    person = api.get(f"/people/{world.person.pk}/tasks").json()
    for item in (*listed, one, *person):
        assert (item["title"], item["description"], item["restricted"]) == (
            NEUTRAL,
            RESTRICTED,
            True,
        )
        assert item["sensitive"]
    # A change they may make answers with the task as they may see it.
    changed = api.patch(f"/tasks/{secret.pk}", {"priority": "asap", "version": 1})
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == NEUTRAL
    assert_error(api.patch(f"/tasks/{secret.pk}", {"title": "Mine", "version": 2}), 403)
    assert api_as(world.coordinator).get(f"/tasks/{secret.pk}").json()["title"] == WORDS


def test_api_creates_a_sensitive_task(world: Any, api_as: Any) -> None:
    due = (timezone.now() + dt.timedelta(days=1)).isoformat()
    body = {"program_id": world.housing.pk, "person_id": world.person.pk, "title": WORDS}
    reply = api_as(world.coordinator).post("/tasks", body | {"due_at": due, "sensitive": True})
    assert reply.status_code == 201, reply.content
    assert (reply.json()["title"], reply.json()["sensitive"]) == (WORDS, True)
    assert Task.objects.get(pk=reply.json()["id"]).sensitive


def test_fhir_task(world: Any, secret: Task, api_as: Any) -> None:
    theirs = api_as(world.scheduler).get(f"/tasks/{secret.pk}/fhir").content.decode()
    mine = api_as(world.coordinator).get(f"/tasks/{secret.pk}/fhir").json()
    assert WORDS not in theirs and NEUTRAL in theirs and str(RESTRICTED) in theirs
    assert mine["description"] == WORDS
    assert mine["meta"]["security"][0]["code"] == "R"
    # Unpresented, the FHIR export gives away nothing of a rule's task either.
    assert "reasonCode" not in fhir.task(Task.objects.get(pk=secret.pk))
