"""A signed note's agreed next steps become tasks in one action, once; a recorded contact
runs the person's follow-up rules on commit, so a rule's task closes itself."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alongside.encounters import services
from alongside.encounters.models import Note
from alongside.encounters.tests.factories import MI_CONTENT, encounter, signed_note, version
from alongside.lib.errors import NotPermitted
from alongside.people.models import Person
from alongside.tasks import background, rules
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_rule


def test_each_next_step_becomes_a_routine_task_for_the_author_due_in_a_week(world: Any) -> None:
    note = signed_note(world)
    before = timezone.now()
    made = services.note_tasks_create(actor=world.coordinator, note=note)
    assert [t.occurrence_key for t in made] == [f"note:{note.pk}:1", f"note:{note.pk}:2"]
    for task in made:
        task.refresh_from_db()
        assert (task.origin, task.assignee, task.priority, task.person) == (
            "note",
            world.coordinator,
            "routine",
            world.person,
        )
        assert before + dt.timedelta(days=7) <= task.due_at <= timezone.now() + dt.timedelta(days=7)
    # The MI note is sensitive: its steps become sensitive tasks, which the care team
    # reads in full and anyone else under a neutral title (tasks/tests/test_sensitive.py).
    assert [(t.title, t.sensitive) for t in made] == [
        ("Call the landlord on Monday", True),
        ("Apply for rental help by Friday", True),
    ]


def test_a_note_that_is_not_sensitive_gives_its_steps_as_titles(world: Any) -> None:
    draft = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("mi-progress")
    )
    # As a note from an organization's own template that is not sensitive would be.
    Note.objects.filter(pk=draft.pk).update(sensitive=False, content=MI_CONTENT)
    draft.refresh_from_db()
    note = services.note_sign(actor=world.coordinator, note=draft, expected_version=draft.version)
    made = services.note_tasks_create(actor=world.coordinator, note=note)
    assert [t.title for t in made] == [
        "Call the landlord on Monday",
        "Apply for rental help by Friday",
    ]


def test_it_makes_tasks_once(world: Any) -> None:
    note = signed_note(world)
    services.note_tasks_create(actor=world.coordinator, note=note)
    with pytest.raises(ValidationError, match="already made"):
        services.note_tasks_create(actor=world.coordinator, note=note)
    assert Task.objects.filter(origin="note").count() == 2
    # The database refuses a second task for the same line, whoever writes it.
    copy = Task.objects.filter(origin="note").first()
    assert copy is not None
    copy.pk = None
    refused = pytest.raises(IntegrityError, match="task_one_per_note_line_or_plan_step|UNIQUE")
    with refused, transaction.atomic():
        copy.save()


def test_it_refuses_a_draft_a_note_without_steps_and_someone_off_the_care_team(
    world: Any,
) -> None:
    draft = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("mi-progress")
    )
    with pytest.raises(services.NoteLocked, match="Sign the note first"):
        services.note_tasks_create(actor=world.coordinator, note=draft)
    dap = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("dap")
    )
    dap = services.note_save_draft(
        actor=world.coordinator,
        note=dap,
        content={"data": "Visit.", "assessment": "Well.", "plan": "Call Monday."},
        expected_version=dap.version,
    )
    dap = services.note_sign(actor=world.coordinator, note=dap, expected_version=dap.version)
    with pytest.raises(ValidationError, match="no next steps"):
        services.note_tasks_create(actor=world.coordinator, note=dap)
    with pytest.raises(NotPermitted, match="care team"):
        services.note_tasks_create(actor=world.scheduler, note=signed_note(world))
    assert not Task.objects.exists()


def test_the_button_makes_the_tasks_and_refuses_a_second_press(client: Any, world: Any) -> None:
    note = signed_note(world)
    client.force_login(world.coordinator)
    page = client.get(reverse("encounters:note", args=[note.pk])).content.decode()
    assert "Make tasks from next steps" in page
    url = reverse("encounters:note-tasks", args=[note.pk])
    assert client.post(url).status_code == 302
    assert Task.objects.filter(origin="note", person=world.person).count() == 2
    again = client.post(url)
    assert again.status_code == 409 and "already made" in again.content.decode()


def test_a_contact_closes_a_rule_task_once_it_commits(
    world: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rule = make_rule(world, days=30)
    Person.objects.filter(pk=world.person.pk).update(
        last_contacted_at=timezone.now() - dt.timedelta(days=40)
    )
    rules.evaluate_for_person(world.person.pk, timezone.now())
    task = Task.objects.get(rule=rule, person=world.person)
    worker = SimpleNamespace(
        enqueue=lambda person_id: rules.evaluate_for_person(person_id, timezone.now())
    )
    monkeypatch.setattr(background, "evaluate_person_rules", worker)
    with django_capture_on_commit_callbacks(execute=True):
        # After the enrollment the rule's task answers.
        started = timezone.now() - dt.timedelta(minutes=20)
        encounter(
            world,
            kind="phone",
            modality="phone",
            started_at=started,
            ended_at=started + dt.timedelta(minutes=10),
        )
    task.refresh_from_db()
    assert task.status == "done" and task.resolution.startswith("Closed by rule")
