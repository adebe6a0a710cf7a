import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.people.contributions import worklist_reasons
from alongside.people.models import Person
from alongside.tasks import rules, selectors, services
from alongside.tasks.models import Task, TaskEvent
from alongside.tasks.tests.factories import make_rule, make_task


def test_it_refuses_a_task_due_in_the_past_and_writes_nothing(world):
    with pytest.raises(ValidationError, match="cannot be due in the past"):
        make_task(world, due_at=timezone.now() - dt.timedelta(minutes=5))
    assert not Task.objects.exists()


def test_it_refuses_an_assignee_outside_the_program(world):
    with pytest.raises(ValidationError, match="Choose someone who works in Housing Navigation"):
        make_task(world, assignee=world.colleague)
    assert not Task.objects.exists()


def test_it_refuses_a_task_for_someone_the_actor_cannot_see(world):
    outsider_person = world.person
    with pytest.raises(NotPermitted, match="programs you work in"):
        make_task(world, actor=world.colleague, person=outsider_person)


def test_taking_from_the_team_queue_is_first_come(world):
    task = make_task(world, assignee=None)

    services.task_take(actor=world.coordinator, task=task)

    with pytest.raises(ValidationError, match="has already taken this task"):
        services.task_take(actor=world.supervisor, task=task)
    task.refresh_from_db()
    assert task.assignee == world.coordinator
    assert [e.kind for e in task.events.all()] == [TaskEvent.Kind.CREATED, TaskEvent.Kind.ASSIGNED]


def test_an_edit_from_a_stale_version_is_refused(world):
    task = make_task(world)
    services.task_update(actor=world.coordinator, task=task, data={"title": "A"}, version=1)

    with pytest.raises(StaleVersion, match="changed since you opened it"):
        services.task_update(actor=world.coordinator, task=task, data={"title": "B"}, version=1)


def test_cancelling_keeps_the_reason_and_history(world):
    task = make_task(world)

    with pytest.raises(ValidationError, match="Say why the task is cancelled"):
        services.task_cancel(actor=world.coordinator, task=task, reason="  ")
    services.task_cancel(actor=world.coordinator, task=task, reason="Moved to another county")

    task.refresh_from_db()
    assert (task.status, task.resolution) == (Task.Status.CANCELLED, "Moved to another county")
    assert task.events.last().note == "Moved to another county"  # type: ignore[union-attr]


def test_the_worklist_names_tasks_overdue_and_due_today(world, django_assert_num_queries):
    reason = worklist_reasons.get("tasks.due")
    assert reason is not None
    at = timezone.now() + dt.timedelta(minutes=1)
    make_task(world, title="Call about the lease", due_at=at)
    make_task(world, title="Later", due_at=timezone.now() + dt.timedelta(days=3))
    make_rule(world, days=30, title="Reach out")
    Person.objects.filter(pk=world.person.pk).update(
        last_contacted_at=timezone.now() - dt.timedelta(days=45)
    )
    rules.evaluate_rules(timezone.now())  # due days ago: overdue
    caseload = Person.objects.visible_to(world.coordinator)
    selectors.tasks_for(world.coordinator)  # the viewer's scope is read once per request

    with django_assert_num_queries(1):
        # Read at the moment the task falls due: "today" is that moment's day.
        items = list(reason.find(world.coordinator, caseload, at))

    texts = [item.text for item in items]
    assert texts[0].startswith("Reach out: overdue since ")
    assert texts[1:] == ["Call about the lease: due today"]
    assert {item.person_id for item in items} == {world.person.pk}
    assert all(item.link.startswith("/tasks/") for item in items)
    # Each task is its own occurrence: a decision on one leaves the others listed.
    assert [item.key for item in items] == [f"task:{item.link.split('/')[2]}" for item in items]


def test_tasks_are_seen_by_whoever_sees_the_person(world):
    task = make_task(world)

    assert selectors.tasks_for(world.supervisor).get() == task
    assert not selectors.tasks_for(world.colleague).exists()
    assert not selectors.tasks_for(world.outsider).exists()
