import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.audit.selectors import verify_chain
from alongside.lib.errors import NotPermitted
from alongside.people import services as people
from alongside.people.contributions import Occurrence
from alongside.people.models import Person, TimelineEntry
from alongside.tasks import rules
from alongside.tasks.models import Task, TaskEvent
from alongside.tasks.tests.factories import make_rule, new_enrollment_rule
from conftest import make_person

NOW = dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)  # a Monday


def _silent_since(person: Person, when: dt.datetime) -> None:
    Person.objects.filter(pk=person.pk).update(last_contacted_at=when)


def test_it_makes_one_task_per_occurrence_however_often_it_runs(world):
    rule = make_rule(world, days=30)
    _silent_since(world.person, NOW - dt.timedelta(days=40))

    first = rules.evaluate_rules(NOW)
    again = rules.evaluate_rules(NOW + dt.timedelta(hours=1))

    assert (first.created, again.created) == (1, 0)
    task = Task.objects.get(rule=rule)
    assert task.person == world.person
    assert task.assignee == world.coordinator  # the person's coordinator in housing
    assert task.why == "no contact for 30 days"
    assert task.occurred_at == NOW - dt.timedelta(days=10)
    assert task.events.get().kind == TaskEvent.Kind.CREATED


def test_it_refuses_a_second_task_for_an_occurrence_in_the_database(world):
    rule = make_rule(world)
    _silent_since(world.person, NOW - dt.timedelta(days=40))
    rules.evaluate_rules(NOW)
    task = Task.objects.get(rule=rule)

    task.pk = None
    with pytest.raises(IntegrityError, match="(?i)unique"), transaction.atomic():
        task.save(force_insert=True)


def test_it_closes_its_task_when_the_person_is_contacted(world):
    rule = make_rule(world)
    _silent_since(world.person, NOW - dt.timedelta(days=40))
    rules.evaluate_rules(NOW)

    contact = NOW + dt.timedelta(hours=2)
    people.record_contact(person=world.person, at=contact)
    outcome = rules.evaluate_for_person(world.person.pk, NOW + dt.timedelta(hours=3))

    task = Task.objects.get(rule=rule)
    assert outcome.closed == 1
    assert task.status == Task.Status.DONE
    assert task.resolution.startswith("Closed by rule: contacted on ")
    assert [e.note for e in task.events.all()][-1] == task.resolution
    # The silence that follows the new contact is a new occurrence, 30 days on.
    later = rules.evaluate_rules(contact + dt.timedelta(days=31))
    assert later.created == 1
    assert Task.objects.filter(rule=rule).count() == 2


def test_it_makes_no_task_for_a_condition_already_met(world):
    new_enrollment_rule(world)
    people.record_contact(person=world.person, at=timezone.now())

    assert rules.evaluate_rules(timezone.now()).created == 0


def test_a_new_enrollment_is_due_in_business_days_skipping_a_holiday(world):
    rule = new_enrollment_rule(world, deadline_amount=2, assign_to="team")
    # Wednesday 23 December 2026; Christmas (Friday) is a US federal holiday.
    enrolled = dt.datetime(2026, 12, 23, 10, 0, tzinfo=dt.UTC)
    world.person.enrollments.update(created_at=enrolled)

    rules.evaluate_rules(enrolled + dt.timedelta(hours=1))

    task = Task.objects.get(rule=rule)
    due = task.due_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    # Thursday the 24th is one; Friday is Christmas, then the weekend: Monday is two.
    assert due.date() == dt.date(2026, 12, 28)
    assert (due.hour, due.minute) == (23, 59)
    assert task.assignee is None  # the team queue
    assert task.program == world.housing


def test_it_leaves_people_outside_the_rules_program_alone(world):
    make_rule(world, program=world.wellness)
    _silent_since(world.person, NOW - dt.timedelta(days=40))

    assert rules.evaluate_rules(NOW).created == 0


def test_an_inactive_rule_makes_no_task_but_closes_its_own(world):
    rule = make_rule(world)
    _silent_since(world.person, NOW - dt.timedelta(days=40))
    rules.evaluate_rules(NOW)
    rules.rule_update(actor=world.admin, rule=rule, data={"is_active": False}, version=None)
    people.record_contact(person=world.person, at=NOW + dt.timedelta(hours=1))

    outcome = rules.evaluate_rules(NOW + dt.timedelta(hours=2))

    assert (outcome.created, outcome.closed) == (0, 1)


def test_only_admins_configure_rules(world):
    with pytest.raises(NotPermitted, match="Only the organization's admins"):
        rules.rule_create(
            actor=world.coordinator,
            organization=world.org,
            program=world.housing,
            data={"trigger": "tasks.no_contact", "days": 30, "title": "x"},
        )


def test_a_rule_needs_a_known_trigger_and_its_parameters(world):
    with pytest.raises(ValidationError, match="Choose one of the conditions") as refused:
        make_rule(world, trigger="nope.nothing")
    with pytest.raises(ValidationError, match="after how many days"):
        make_rule(world, days=0)
    with pytest.raises(ValidationError, match="within how many hours"):
        make_rule(world, deadline="hours", deadline_amount=0)
    assert "trigger" in refused.value.message_dict


def test_it_evaluates_a_large_population_in_batches(world, monkeypatch):
    monkeypatch.setattr(rules, "BATCH", 2)
    rule = make_rule(world, assign_to="team")
    others = [
        make_person(world.coordinator, world.housing, legal_given_name=f"P{n}") for n in range(4)
    ]
    Person.objects.filter(pk__in=[world.person.pk, *(p.pk for p in others)]).update(
        last_contacted_at=NOW - dt.timedelta(days=40)
    )

    assert rules.evaluate_rules(NOW).created == 5
    assert rules.evaluate_rules(NOW).created == 0
    assert Task.objects.filter(rule=rule).count() == 5


def test_a_sweep_leaves_each_tasks_history_audit_event_and_timeline_entry(world, monkeypatch):
    monkeypatch.setattr(rules, "BATCH", 2)
    rule = make_rule(world, assign_to="team")
    others = [
        make_person(world.coordinator, world.housing, legal_given_name=f"P{n}") for n in range(2)
    ]
    everyone = [world.person, *others]
    Person.objects.filter(pk__in=[p.pk for p in everyone]).update(
        last_contacted_at=NOW - dt.timedelta(days=40)
    )
    assert rules.evaluate_rules(NOW).created == 3
    for person in everyone[:2]:
        people.record_contact(person=person, at=NOW + dt.timedelta(hours=1))

    assert rules.evaluate_rules(NOW + dt.timedelta(hours=2)).closed == 2

    for task in Task.objects.filter(rule=rule):
        done = task.status == Task.Status.DONE
        assert [e.kind for e in task.events.all()] == ["created", "status"][: 1 + done]
        written = AuditEvent.objects.filter(object_type="tasks.task", object_id=str(task.pk))
        assert [(e.action, e.person_id) for e in written.order_by("id")] == [
            ("create", task.person_id),
            *([("complete", task.person_id)] if done else []),
        ]
        kinds = TimelineEntry.objects.filter(
            subject_id=task.pk, person=task.person, kind__startswith="tasks."
        )
        assert sorted(kinds.values_list("kind", flat=True)) == sorted(
            ["tasks.task_created", *(["tasks.task_completed"] if done else [])]
        )
    assert verify_chain().ok


def test_a_batch_another_worker_overlapped_is_inserted_task_by_task(world):
    rule = make_rule(world, assign_to="team")
    other = make_person(world.coordinator, world.housing, legal_given_name="Other")
    occurrences = [
        Occurrence(p.pk, "no-contact:never", NOW, "no contact for 30 days")
        for p in (world.person, other)
    ]
    # Another worker inserted the first occurrence's task after this one read none.
    assert rules._insert_all([rules._new_task(rule, occurrences[0], None)]) == 1

    batch = [rules._new_task(rule, o, None) for o in occurrences]
    assert rules._insert_all(batch) == 1

    assert Task.objects.filter(rule=rule).count() == 2
    assert TimelineEntry.objects.filter(kind="tasks.task_created").count() == 2
    assert AuditEvent.objects.filter(object_type="tasks.task", action="create").count() == 2
