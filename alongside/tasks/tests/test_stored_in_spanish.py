"""A task's history, stored in English, is read in Spanish by a Spanish-preferring
coordinator, and so is a sensitive task's neutral title on the journey."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from alongside.tasks import services
from alongside.tasks.tests.factories import make_task
from conftest import signed_in_in_spanish


def test_it_shows_a_tasks_history_in_spanish(client: Client, world: Any) -> None:
    task = make_task(world, assignee=None)
    services.task_complete(actor=world.coordinator, task=task)
    spanish = signed_in_in_spanish(client, world.coordinator)
    page = spanish.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Por hacer → Hecha" in page and "To do → Done" not in page


def test_it_shows_a_sensitive_tasks_neutral_title_on_the_journey_in_spanish(
    client: Client, world: Any
) -> None:
    make_task(world, sensitive=True)
    spanish = signed_in_in_spanish(client, world.scheduler)
    journey = spanish.get(reverse("people:timeline", args=[world.person.pk])).content.decode()
    assert "Tarea sobre la persona" in journey and "Task about the person" not in journey
