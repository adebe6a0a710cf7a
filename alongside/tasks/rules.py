"""Follow-up rules: configuring them (organization admins), and evaluating them.

Evaluation asks each active rule's trigger (`people.contributions.follow_up_triggers`)
for its open occurrences and makes each one a task. Exactly one task per occurrence is
the database's doing: the unique key (rule, person, occurrence key) refuses a second,
and each insert runs in its own savepoint, so a sweep run twice, retried, or run on two
workers at once leaves one task per occurrence (the loser's insert fails and is
skipped). Reading which occurrences already have a task first only saves work; it is
not what makes the guarantee. Open tasks whose trigger says the condition is met (by
default: the person was contacted since) close themselves."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, F, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.actors import SystemActor
from alongside.lib.english import in_english
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.validation import full_clean
from alongside.organizations.models import Organization, Program
from alongside.people import timeline
from alongside.people.contributions import (
    FollowUpTrigger,
    Occurrence,
    contacted_since,
    follow_up_triggers,
)
from alongside.people.models import Enrollment, Person
from alongside.tasks import deadlines
from alongside.tasks.models import FollowUpRule, Task, TaskEvent
from alongside.tasks.services import event, log, new_event, on_timeline, recorded, timeline_entry

logger = logging.getLogger(__name__)
T = TypeVar("T")

BATCH = 500
RULES = SystemActor(username="system:follow-up", name="Follow-up rules")
RULE_FIELDS = (
    "trigger",
    "days",
    "deadline",
    "deadline_amount",
    "priority",
    "assign_to",
    "title",
    "is_active",
)


# --- configuring ---------------------------------------------------------------------


def _check_admin(actor: Any, organization: Organization) -> None:
    if not scope_for(actor).is_admin_of(organization.pk):
        raise NotPermitted(_("Only the organization's admins configure follow-up rules."))


def _check_rule(rule: FollowUpRule) -> None:
    errors: dict[str, list[str]] = {}
    trigger = follow_up_triggers.get(rule.trigger)
    if trigger is None:
        errors["trigger"] = [_("Choose one of the conditions offered.")]
    elif trigger.takes_days and rule.days < 1:
        errors["days"] = [_("Say after how many days (1 or more).")]
    elif not trigger.takes_days:
        rule.days = 0
    if rule.deadline == FollowUpRule.Deadline.SAME_DAY:
        rule.deadline_amount = 0
    elif rule.deadline_amount < 1:
        errors["deadline_amount"] = [_("Say within how many hours or business days.")]
    if rule.program_id and rule.program.organization_id != rule.organization_id:
        errors["program"] = [_("Choose a program of this organization.")]
    if errors:
        raise ValidationError(errors)
    full_clean(rule)


@transaction.atomic
def rule_create(
    *, actor: Any, organization: Organization, program: Program, data: Mapping[str, Any]
) -> FollowUpRule:
    _check_admin(actor, organization)
    rule = FollowUpRule(organization=organization, program=program)
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    _check_rule(rule)
    rule.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=rule,
        organization_id=organization.pk,
        fields=RULE_FIELDS,
    )
    return rule


@transaction.atomic
def rule_update(
    *, actor: Any, rule: FollowUpRule, data: Mapping[str, Any], version: int | None
) -> FollowUpRule:
    _check_admin(actor, rule.organization)
    current = FollowUpRule.objects.select_for_update().select_related("program").get(pk=rule.pk)
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    changed = [n for n in RULE_FIELDS if n in data and getattr(current, n) != data[n]]
    for name in changed:
        setattr(current, name, data[name])
    _check_rule(current)
    if changed:
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=current,
            organization_id=current.organization_id,
            fields=changed,
        )
    return current


# --- evaluating ----------------------------------------------------------------------


@dataclass
class Outcome:
    created: int = 0
    closed: int = 0

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(self.created + other.created, self.closed + other.closed)


def _coordinators(rule: FollowUpRule, person_ids: Iterable[int]) -> dict[int, int]:
    """Each person's primary coordinator in the rule's program, if they still work in it."""
    rows = Enrollment.objects.filter(
        program_id=rule.program_id,
        person_id__in=list(person_ids),
        status__in=Enrollment.OPEN_STATUSES,
        primary_coordinator__is_active=True,
        primary_coordinator__memberships__program_id=rule.program_id,
    ).values_list("person_id", "primary_coordinator_id")
    return dict(rows)


def _new_task(rule: FollowUpRule, occurrence: Occurrence, assignee_id: int | None) -> Task:
    return Task(
        organization_id=rule.organization_id,
        program_id=rule.program_id,
        person_id=occurrence.person_id,
        assignee_id=assignee_id,
        title=rule.title,
        description=occurrence.why,
        why=occurrence.why[:200],
        due_at=deadlines.due_at(
            rule.organization, occurrence.since, rule.deadline, rule.deadline_amount
        ),
        priority=rule.priority,
        origin=Task.Origin.RULE,
        rule=rule,
        occurrence_key=stored_key(occurrence),
        occurred_at=occurrence.since,
        sensitive=occurrence.sensitive,
    )


def stored_key(occurrence: Occurrence) -> str:
    return f"{occurrence.person_id}:{occurrence.key}"[:100]


def _occurrence(task: Task) -> Occurrence:
    """The occurrence a rule's task answers, as its trigger gave it."""
    key = task.occurrence_key.partition(":")[2]
    assert task.person_id is not None and task.occurred_at is not None
    return Occurrence(task.person_id, key, task.occurred_at, task.why, task.sensitive)


def _insert_once(task: Task) -> bool:
    """Insert the task unless its occurrence already has one: the unique key decides,
    inside a savepoint so a refused insert leaves the rest of the sweep standing."""
    try:
        with transaction.atomic():
            task.save(force_insert=True)
            event(task, RULES, TaskEvent.Kind.CREATED, new=task.why)
            log(RULES, task, Action.CREATE, detail={"rule": task.rule_id, "why": task.why})
            on_timeline(task, RULES)
    except IntegrityError:
        return False
    return True


def _insert_all(tasks: Sequence[Task]) -> int:
    """Insert a batch of a rule's new tasks with their history, audit events and
    timeline entries: a few statements for the batch, in one transaction. Should another
    worker have inserted one of the same occurrences meanwhile, the unique key refuses
    the batch, and each task is then inserted on its own (`_insert_once`)."""
    if not tasks:
        return 0
    try:
        with transaction.atomic():
            Task.objects.bulk_create(tasks)
            _written(
                tasks,
                [new_event(t, RULES, TaskEvent.Kind.CREATED, new=t.why) for t in tasks],
                Action.CREATE,
                [recorded(t, detail={"rule": t.rule_id, "why": t.why}) for t in tasks],
            )
    except IntegrityError:
        for task in tasks:
            task.pk = None
            task._state.adding = True
        return sum(_insert_once(task) for task in tasks)
    return len(tasks)


def _written(
    tasks: Sequence[Task],
    history: Sequence[TaskEvent],
    action: Action,
    events: Sequence[audit.Recorded],
) -> None:
    """What every write to a task leaves, for a batch at once: its history, its audit
    event (one per task, so each person's access report names it) and the person's
    timeline entry."""
    TaskEvent.objects.bulk_create(history)
    audit.record_many(actor=RULES, action=action, events=events)
    timeline.add_entries([e for t in tasks if (e := timeline_entry(t, RULES)) is not None])


def _trigger(rule: FollowUpRule) -> FollowUpTrigger | None:
    trigger = follow_up_triggers.get(rule.trigger)
    if trigger is None:
        logger.warning("Follow-up rule %s names an unknown trigger %r", rule.pk, rule.trigger)
    return trigger


def _resolved(trigger: FollowUpTrigger, person: Person, occurrence: Occurrence) -> bool:
    return (trigger.resolved or contacted_since)(person, occurrence)


def _create_for_rule(
    rule: FollowUpRule, trigger: FollowUpTrigger, now: dt.datetime, person_ids: set[int] | None
) -> int:
    occurrences = (
        o
        for o in trigger.occurrences([rule.program_id], rule.days, now)
        if person_ids is None or o.person_id in person_ids
    )
    # In batches, so that a sweep over everyone reads a bounded number of rows at a time
    # and no query names more ids than a database takes.
    return sum(_create_batch(rule, trigger, batch) for batch in _batches(occurrences, BATCH))


def _batches(items: Iterable[T], size: int) -> Iterable[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _create_batch(rule: FollowUpRule, trigger: FollowUpTrigger, batch: Sequence[Occurrence]) -> int:
    # Only saves work: the unique key (in _insert_once) is what prevents a second task.
    have = set(
        Task.objects.filter(
            rule=rule, occurrence_key__in=[stored_key(o) for o in batch]
        ).values_list("occurrence_key", flat=True)
    )
    fresh = [o for o in batch if stored_key(o) not in have]
    if not fresh:
        return 0
    people = Person.objects.in_bulk({o.person_id for o in fresh})
    coordinators = (
        _coordinators(rule, people) if rule.assign_to == FollowUpRule.AssignTo.COORDINATOR else {}
    )
    tasks = [
        _new_task(rule, occurrence, coordinators.get(occurrence.person_id))
        for occurrence in fresh
        if (person := people.get(occurrence.person_id)) is not None
        and not _resolved(trigger, person, occurrence)
    ]
    return _insert_all(tasks)


def _closing_note(person: Person, occurrence: Occurrence) -> str:
    contacted = person.last_contacted_at
    if contacted is not None and contacted >= occurrence.since:
        when = formats.date_format(timezone.localtime(contacted), "DATETIME_FORMAT")
        return _("Closed by rule: contacted on %(when)s.") % {"when": when}
    return _("Closed by rule: the condition was met.")


def _resolved_tasks(
    rule: FollowUpRule, trigger: FollowUpTrigger, person_ids: set[int] | None
) -> Iterator[tuple[Task, str]]:
    """The rule's open tasks whose condition is met, each with its closing note."""
    tasks = Task.objects.open().filter(rule=rule, person__isnull=False, occurred_at__isnull=False)
    if person_ids is not None:
        tasks = tasks.filter(person_id__in=person_ids)
    if trigger.resolved is None:
        # The default condition (`contacted_since`) asked of the database, so that only
        # the tasks it closes are read, not every open one.
        tasks = tasks.filter(person__last_contacted_at__gte=F("occurred_at"))
    for task in tasks.select_related("person").iterator(chunk_size=2000):
        assert task.person is not None
        occurrence = _occurrence(task)
        if _resolved(trigger, task.person, occurrence):
            yield task, in_english(_closing_note, task.person, occurrence)


def _close_resolved(
    rule: FollowUpRule, trigger: FollowUpTrigger, person_ids: set[int] | None
) -> int:
    found = _resolved_tasks(rule, trigger, person_ids)
    return sum(close_by_rule(dict(batch)) for batch in _batches(found, BATCH))


@transaction.atomic
def close_by_rule(notes: Mapping[Task, str]) -> int:
    """Close rules' tasks whose condition is met, each with its note, in one update; how
    many were closed. A task someone closed meanwhile, or another worker closed first,
    is left as it is: the tasks are read again, locked, and only open ones change."""
    by_pk = {task.pk: note[:500] for task, note in notes.items()}
    tasks = list(Task.objects.select_for_update().filter(pk__in=by_pk).open().order_by("pk"))
    if not tasks:
        return 0
    now = timezone.now()
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(
        status=Task.Status.DONE,
        resolution=Case(
            *(When(pk=t.pk, then=Value(by_pk[t.pk])) for t in tasks), output_field=CharField()
        ),
        closed_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    history = []
    for task in tasks:
        old = in_english(task.get_status_display)
        task.status, task.resolution, task.closed_at = Task.Status.DONE, by_pk[task.pk], now
        task.version, task.updated_at = task.version + 1, now
        history.append(
            new_event(
                task,
                RULES,
                TaskEvent.Kind.STATUS,
                old,
                in_english(task.get_status_display),
                task.resolution,
            )
        )
    events = [recorded(t, fields=["status"], detail={"rule": t.rule_id}) for t in tasks]
    _written(tasks, history, Action.COMPLETE, events)
    return len(tasks)


def evaluate_rule(
    rule: FollowUpRule, now: dt.datetime, person_ids: set[int] | None = None
) -> Outcome:
    trigger = _trigger(rule)
    if trigger is None:
        return Outcome()
    closed = _close_resolved(rule, trigger, person_ids)
    created = _create_for_rule(rule, trigger, now, person_ids) if rule.is_active else 0
    return Outcome(created=created, closed=closed)


def _rules(program_ids: Iterable[int] | None = None) -> Iterable[FollowUpRule]:
    rules = FollowUpRule.objects.select_related("organization", "program")
    if program_ids is not None:
        rules = rules.filter(program_id__in=list(program_ids))
    # Inactive rules still close the tasks they made; they make no new ones.
    return rules.order_by("pk")


def evaluate_rules(now: dt.datetime | None = None) -> Outcome:
    """The sweep: every rule over everyone, for the conditions that arise with time."""
    now = now or timezone.now()
    total = Outcome()
    for rule in _rules():
        total = total + evaluate_rule(rule, now)
    return total


def evaluate_for_person(person_id: int, now: dt.datetime | None = None) -> Outcome:
    """The rules of the person's programs, for them alone: called when something about
    them happened (an urgent result, a contact) so a task appears or closes at once
    rather than at the next sweep."""
    now = now or timezone.now()
    program_ids = Enrollment.objects.filter(person_id=person_id).values_list(
        "program_id", flat=True
    )
    total = Outcome()
    for rule in _rules(set(program_ids)):
        total = total + evaluate_rule(rule, now, {person_id})
    return total
