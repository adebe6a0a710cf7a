"""Text stored as written (task history, plan versions and the journey; a message's
reason: messaging/tests/test_sending.py) is in English whoever writes it: a staff
member working in Spanish writes the same rows as one working in English
(alongside.lib.english)."""

from __future__ import annotations

from django.utils import translation

from alongside.encounters.tests.factories import encounter
from alongside.people.models import TimelineEntry
from alongside.plans.models import PlanVersion
from alongside.plans.tests.factories import add_goal, start_plan
from alongside.tasks import services as tasks
from alongside.tasks.models import TaskEvent
from alongside.tasks.tests.factories import make_task


def test_a_tasks_history_is_stored_in_english(world):
    task = make_task(world)
    with translation.override("es"):
        tasks.task_assign(actor=world.coordinator, task=task, assignee=None, version=None)
        tasks.task_complete(actor=world.coordinator, task=task)
    events = TaskEvent.objects.filter(task=task)
    assert events.get(kind=TaskEvent.Kind.ASSIGNED).new == "team queue"
    status = events.get(kind=TaskEvent.Kind.STATUS)
    assert (status.old, status.new) == ("To do", "Done")


def test_a_plans_change_summaries_are_stored_in_english(world):
    with translation.override("es"):
        plan = start_plan(world)
        add_goal(world, plan, words="Un lugar propio")
    summaries = list(
        PlanVersion.objects.filter(plan=plan).order_by("number").values_list("summary", flat=True)
    )
    assert summaries == ["Plan started", "Goal added: “Un lugar propio”"]
    journey = TimelineEntry.objects.filter(person=world.person, kind__startswith="plans.")
    assert "Goal added: “Un lugar propio”" in journey.values_list("summary", flat=True)


def test_an_encounters_journey_summary_is_stored_in_english(world):
    with translation.override("es"):
        encounter(world, kind="home")
    entry = TimelineEntry.objects.get(person=world.person, kind="encounters.encounter")
    assert entry.summary == "Home visit (45 min)"
