"""Plans and the hub: each plan change is on the journey (sensitive when its goal is), and
a staff-owned step is a task for its owner, done when the step is."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.people.models import TimelineEntry
from alongside.plans import services
from alongside.plans.tests.factories import add_goal, fresh, start_plan
from alongside.tasks.models import Task


def _step(world, plan, goal, **data):
    return services.step_add(
        actor=world.coordinator,
        goal=goal,
        data={"text": "Call the landlord", **data},
        expected_version=fresh(plan).version,
    )


def test_every_plan_change_goes_on_the_journey(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    _step(world, plan, goal, owner_kind="person")
    rows = list(
        TimelineEntry.objects.filter(person=world.person, kind__startswith="plans.")
        .order_by("id")
        .values_list("kind", "sensitive", "program_id", "details")
    )
    assert rows == [
        ("plans.plan_started", False, world.housing.pk, ""),
        ("plans.goal_added", False, world.housing.pk, goal.words),
        ("plans.step_added", False, world.housing.pk, "Call the landlord"),
    ]
    entry = TimelineEntry.objects.get(kind="plans.goal_added")
    assert entry.summary.startswith("Goal added") and entry.link == f"/plans/{plan.pk}/"


def test_a_sensitive_goals_changes_are_sensitive_and_its_step_task_names_no_words(world):
    plan = start_plan(world)
    goal = add_goal(world, plan, domain="mental_health", words="Sleep through the night.")
    _step(
        world, plan, goal, owner_kind="staff", owner_user=world.coordinator, text="Refer to Dr. Li"
    )
    entries = TimelineEntry.objects.filter(kind__in=["plans.goal_added", "plans.step_added"])
    assert [(e.sensitive, "Sleep" in e.summary) for e in entries.order_by("id")] == [
        (True, False),
        (True, False),
    ]
    task = Task.objects.get(origin="plan")
    assert task.title == f"Plan step for goal {goal.pk}"
    assert "Dr. Li" not in task.title + task.description


def test_a_staff_step_is_a_task_for_its_owner_and_is_done_with_it(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    due = timezone.localdate() + dt.timedelta(days=3)
    step = _step(world, plan, goal, owner_kind="staff", owner_user=world.coordinator, due_on=due)
    _step(world, plan, goal, owner_kind="person", text="Bring the lease")
    task = Task.objects.get(origin="plan")
    assert (task.title, task.assignee, task.person, task.program, task.occurrence_key) == (
        "Call the landlord",
        world.coordinator,
        world.person,
        world.housing,
        f"step:{step.pk}",
    )
    assert timezone.localtime(task.due_at).date() == due and task.is_open
    services.step_done(actor=world.coordinator, step=step, expected_version=fresh(plan).version)
    task.refresh_from_db()
    assert task.status == "done" and task.resolution == "The step is done in the plan."
    services.step_done(
        actor=world.coordinator, step=step, done=False, expected_version=fresh(plan).version
    )
    task.refresh_from_db()
    assert task.status == "todo"


def test_a_step_without_a_due_date_is_due_in_a_week(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    _step(world, plan, goal, owner_kind="staff", owner_user=world.coordinator)
    task = Task.objects.get(origin="plan")
    week = timezone.now() + dt.timedelta(days=7)
    assert week - dt.timedelta(minutes=1) <= task.due_at <= week
