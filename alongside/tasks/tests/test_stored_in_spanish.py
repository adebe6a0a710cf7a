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


def test_it_shows_a_rules_closing_note_with_its_time_in_spanish(client: Client, world: Any) -> None:
    """A follow-up rule closes its task when the person is contacted; the note it stores
    ("Closed by rule: contacted on 7 Dec 2026, 5:00 PM.") is read in Spanish, with the
    time in the Spanish format, on the task's page and in its history."""
    import datetime as dt

    from django.utils import formats, timezone, translation

    from alongside.people import services as people
    from alongside.people.models import Person
    from alongside.tasks import rules
    from alongside.tasks.models import Task
    from alongside.tasks.tests.factories import make_rule
    from tests.language import english_left

    now = timezone.now().replace(second=0, microsecond=0)
    rule = make_rule(world, days=30, title="Reach out after a long silence")
    Person.objects.filter(pk=world.person.pk).update(last_contacted_at=now - dt.timedelta(days=40))
    rules.evaluate_rules(now)
    contact = now + dt.timedelta(hours=2)
    people.record_contact(person=world.person, at=contact)
    rules.evaluate_for_person(world.person.pk, now + dt.timedelta(hours=3))
    task = Task.objects.get(rule=rule)
    assert task.resolution.startswith("Closed by rule: contacted on ")  # stored in English

    address = reverse("tasks:detail", args=[task.pk])
    client.force_login(world.coordinator)
    english = client.get(address).content.decode()
    page = signed_in_in_spanish(client, world.coordinator).get(address).content.decode()
    with translation.override("es"):
        when = formats.date_format(timezone.localtime(contact), "DATETIME_FORMAT")
    said = f"Cerrada por regla: contacto el {when}."
    assert page.count(said) == 2  # the task's status and its history
    assert "Closed by rule" not in page and "contacted on" not in page
    main = page[page.index("<main") :]
    names = [rule.title, task.title, str(world.coordinator), world.housing.name]
    person = f"{world.person.display_name} ({world.person.pronouns})"
    # The rule's reason for the task is still stored and shown in English (not this test's).
    allowed = [*names, world.person.display_name, person, task.why]
    assert english_left(main, english[english.index("<main") :], allowed=allowed) == []
