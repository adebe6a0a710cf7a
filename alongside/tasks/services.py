"""Writes to tasks: create, edit, assign or take, comment, start, complete, cancel. Every
one names its actor, checks it may act on the task's program, validates, writes the
task's history and an audit event in one transaction. The rules' own writes (a task per
occurrence, closing a task whose condition is met) are in `rules.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.english import in_english
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.validation import full_clean
from alongside.organizations.models import Program
from alongside.people import timeline
from alongside.people.models import Person, TimelineEntry
from alongside.people.permissions import can_manage_program
from alongside.people.sensitivity import disclosure_for
from alongside.tasks import presenting
from alongside.tasks.models import Task, TaskComment, TaskEvent

EDITABLE = ("title", "description", "due_at", "priority")
# What a task says: of a sensitive task, only those who may read it may change it.
WORDS = frozenset({"title", "description"})
WORDS_RESTRICTED = gettext_lazy(
    "Only the person's care team can change what this task says; you can change when it "
    "is due, its priority, who has it and its status."
)
PAST = gettext_lazy("A task cannot be due in the past: choose a time from now on.")


def _label(actor: Any) -> str:
    return "" if getattr(actor, "pk", None) else str(getattr(actor, "username", ""))


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def event(task: Task, actor: Any, kind: str, old: str = "", new: str = "", note: str = "") -> None:
    new_event(task, actor, kind, old, new, note).save(force_insert=True)


def _holder(assignee: Any) -> str:
    """Who holds a task, for its history (stored, so in English): the assignee or the
    team queue."""
    return in_english(lambda: str(assignee or _("team queue")))


def new_event(
    task: Task, actor: Any, kind: str, old: str = "", new: str = "", note: str = ""
) -> TaskEvent:
    """A step of the task's history, not yet saved (`event` saves one; the follow-up
    sweep saves a batch at once)."""
    return TaskEvent(
        task=task,
        at=timezone.now(),
        actor=_user(actor),
        actor_label=_label(actor),
        kind=kind,
        old=old[:200],
        new=new[:200],
        note=note[:500],
    )


def log(
    actor: Any, task: Task, action: Action, fields: Any = (), detail: dict[str, Any] | None = None
) -> None:
    """The audit event for a change to a task: about the person, when it concerns one."""
    if task.person_id is not None:
        audit.record_for_person(
            actor=actor,
            action=action,
            person=_AboutPerson(task.person_id, task.organization_id),
            obj=task,
            fields=fields,
            detail=detail,
        )
    else:
        audit.record(
            actor=actor,
            action=action,
            obj=task,
            organization_id=task.organization_id,
            fields=fields,
            detail=detail,
        )


def recorded(task: Task, fields: Any = (), detail: dict[str, Any] | None = None) -> audit.Recorded:
    """`log`'s event for one of many tasks changed at once (`audit.record_many`)."""
    return audit.Recorded(
        obj=task,
        organization_id=task.organization_id,
        person_id=task.person_id,
        fields=tuple(fields),
        detail=detail,
    )


class _AboutPerson:
    def __init__(self, pk: int, organization_id: int) -> None:
        self.pk = pk
        self.organization_id = organization_id


def _check_program(actor: Any, program: Program) -> None:
    if not can_manage_program(actor, program):
        raise NotPermitted(_("You can only work on tasks of programs you work in."))


def check_assignee(program: Program, assignee: Any) -> None:
    """An assignee works in the task's program; anyone else (or no one known) is refused."""
    if assignee is None:
        return
    pk = getattr(assignee, "pk", None)
    works_there = pk is not None and (
        get_user_model()
        .objects.filter(pk=pk, is_active=True, memberships__program=program)
        .exists()
    )
    if not works_there:
        raise ValidationError(
            {"assignee": _("Choose someone who works in %(program)s.") % {"program": program}}
        )


def _locked(task: Task, version: int | None) -> Task:
    current = Task.objects.select_for_update().select_related("program").get(pk=task.pk)
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    return current


def _reads(actor: Any, task: Task) -> bool:
    """Whether the actor may read what the task says (the one sensitivity rule)."""
    if not presenting.is_sensitive(task):
        return True
    person = Person.objects.prefetch_related("enrollments").get(tasks=task)
    return disclosure_for(actor, person).sensitive


def _validate(task: Task) -> None:
    full_clean(task)


@transaction.atomic
def task_create(
    *,
    actor: Any,
    program: Program,
    data: Mapping[str, Any],
    person: Person | None = None,
    assignee: Any = None,
    origin: str = Task.Origin.MANUAL,
    occurrence_key: str = "",
    sensitive: bool = False,
) -> Task:
    """A task in `program`'s team queue, or assigned to someone who works there. It may
    not be due in the past; a person it concerns must be in the actor's sight and in
    the program's organization. A task made from a note's next step or a plan's step
    names what it carries in `origin` and `occurrence_key` (one task each: the database
    refuses a second). A task made from a sensitive source (or that its author marks so)
    is `sensitive`: what it says is shown as far as the one rule allows (`presenting`)."""
    _check_program(actor, program)
    if person is not None and (
        person.organization_id != program.organization_id
        or not Person.objects.visible_to(actor).filter(pk=person.pk).exists()
    ):
        raise NotPermitted(_("You can only add tasks for people you work with."))
    task = Task(
        organization_id=program.organization_id,
        program=program,
        person=person,
        assignee=assignee,
        created_by=_user(actor),
        origin=origin,
        occurrence_key=occurrence_key,
        sensitive=sensitive,
    )
    for name in EDITABLE:
        if name in data:
            setattr(task, name, data[name])
    errors: dict[str, Any] = {}
    if isinstance(task.due_at, dt.datetime) and task.due_at < timezone.now():
        errors["due_at"] = [str(PAST)]
    try:
        check_assignee(program, assignee)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        _validate(task)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    task.save()
    event(task, actor, TaskEvent.Kind.CREATED, new=_holder(assignee))
    log(actor, task, Action.CREATE, fields=[*EDITABLE, "assignee", "sensitive"])
    on_timeline(task, actor)
    return task


TIMELINE_KINDS = {
    Task.Status.TODO: "tasks.task_created",
    Task.Status.DONE: "tasks.task_completed",
    Task.Status.CANCELLED: "tasks.task_cancelled",
}


def on_timeline(task: Task, actor: Any) -> None:
    """The person's timeline entry for a task created, completed or cancelled, in the
    change's transaction."""
    entry = timeline_entry(task, actor)
    if entry is not None:
        entry.save(force_insert=True)


def timeline_entry(task: Task, actor: Any) -> TimelineEntry | None:
    """The timeline entry, not yet saved, for a task about a person that was created,
    completed or cancelled; None otherwise. A sensitive task's summary is neutral and
    its own title is in the details, restricted by the one rule
    (`presenting.timeline_words`)."""
    kind = TIMELINE_KINDS.get(task.status)  # type: ignore[call-overload]
    if task.person_id is None or kind is None:
        return None
    summary, details = in_english(presenting.timeline_words, task)
    return timeline.new_entry(
        # By id: the entry needs no more of the person or the program than that.
        person=Person(pk=task.person_id, organization_id=task.organization_id),
        kind=kind,
        occurred_at=task.closed_at or task.created_at,
        summary=summary,
        details=details,
        sensitive=presenting.is_sensitive(task),
        actor=actor,
        program=Program(pk=task.program_id, organization_id=task.organization_id),
        subject=task,
        link=reverse("tasks:detail", args=[task.pk]),
    )


@transaction.atomic
def task_update(*, actor: Any, task: Task, data: Mapping[str, Any], version: int | None) -> Task:
    """Edit title, description, due time and priority, from the version the actor read."""
    _check_program(actor, task.program)
    current = _locked(task, version)
    changed = [n for n in EDITABLE if n in data and getattr(current, n) != data[n]]
    if not changed:
        return current
    if set(changed) & WORDS and not _reads(actor, current):
        raise NotPermitted(WORDS_RESTRICTED)
    for name in changed:
        setattr(current, name, data[name])
    if "due_at" in changed and current.due_at < timezone.now():
        raise ValidationError({"due_at": str(PAST)})
    _validate(current)
    current.version += 1
    current.save()
    event(current, actor, TaskEvent.Kind.EDITED, note=", ".join(changed))
    log(actor, current, Action.UPDATE, fields=changed)
    return current


@transaction.atomic
def task_assign(*, actor: Any, task: Task, assignee: Any, version: int | None) -> Task:
    """Give the task to someone in its program, or (None) put it back in the team queue."""
    _check_program(actor, task.program)
    current = _locked(task, version)
    check_assignee(current.program, assignee)
    if current.assignee_id == getattr(assignee, "pk", None):
        return current
    old = _holder(current.assignee)
    current.assignee = assignee
    current.version += 1
    current.save()
    event(current, actor, TaskEvent.Kind.ASSIGNED, old=old, new=_holder(assignee))
    log(actor, current, Action.UPDATE, fields=["assignee"])
    return current


@transaction.atomic
def task_take(*, actor: Any, task: Task) -> Task:
    """Take a task from the team queue. Two colleagues taking it at once: the first wins,
    the second is told who has it."""
    _check_program(actor, task.program)
    current = _locked(task, None)
    if current.assignee_id is not None:
        raise ValidationError(
            {"assignee": _("%(name)s has already taken this task.") % {"name": current.assignee}}
        )
    if not current.is_open:
        raise ValidationError({"status": _("This task is closed.")})
    return task_assign(actor=actor, task=current, assignee=actor, version=current.version)


def _set_status(actor: Any, task: Task, status: str, version: int | None, resolution: str) -> Task:
    current = _locked(task, version)
    if current.status == status:
        return current
    old = in_english(current.get_status_display)
    current.status = status
    current.resolution = resolution
    current.closed_at = None if status in Task.OPEN_STATUSES else timezone.now()
    _validate(current)
    current.version += 1
    current.save()
    new = in_english(current.get_status_display)
    event(current, actor, TaskEvent.Kind.STATUS, old, new, resolution)
    action = Action.COMPLETE if status == Task.Status.DONE else Action.UPDATE
    log(actor, current, action, fields=["status"], detail={"status": status})
    if current.closed_at is not None:
        on_timeline(current, actor)
    return current


@transaction.atomic
def task_start(*, actor: Any, task: Task, version: int | None = None) -> Task:
    _check_program(actor, task.program)
    return _set_status(actor, task, Task.Status.IN_PROGRESS, version, "")


@transaction.atomic
def task_complete(*, actor: Any, task: Task, version: int | None = None, note: str = "") -> Task:
    _check_program(actor, task.program)
    return _set_status(actor, task, Task.Status.DONE, version, note.strip())


@transaction.atomic
def task_cancel(*, actor: Any, task: Task, reason: str, version: int | None = None) -> Task:
    _check_program(actor, task.program)
    if not reason.strip():
        raise ValidationError({"resolution": _("Say why the task is cancelled.")})
    return _set_status(actor, task, Task.Status.CANCELLED, version, reason.strip())


@transaction.atomic
def task_reopen(*, actor: Any, task: Task, version: int | None = None) -> Task:
    _check_program(actor, task.program)
    return _set_status(actor, task, Task.Status.TODO, version, "")


@transaction.atomic
def task_comment(*, actor: Any, task: Task, body: str) -> TaskComment:
    _check_program(actor, task.program)
    if not body.strip():
        raise ValidationError({"body": _("Write a comment first.")})
    comment = TaskComment(task=task, author=_user(actor), body=body)
    full_clean(comment)
    comment.save()
    log(actor, task, Action.UPDATE, fields=["comments"], detail={"comment": comment.pk})
    return comment


KEEP: Any = object()  # "leave the assignee as it is"


@transaction.atomic
def task_change(
    *,
    actor: Any,
    task: Task,
    data: Mapping[str, Any],
    version: int | None,
    assignee: Any = KEEP,
    status: str | None = None,
    resolution: str = "",
) -> Task:
    """Several changes at once (the API's PATCH): edits, assignment and status, all from
    the version the actor read, all saved or none."""
    current = task_update(actor=actor, task=task, data=data, version=version)
    if assignee is not KEEP:
        current = task_assign(actor=actor, task=current, assignee=assignee, version=None)
    if status is not None and status != current.status:
        change = {
            Task.Status.TODO: lambda: task_reopen(actor=actor, task=current),
            Task.Status.IN_PROGRESS: lambda: task_start(actor=actor, task=current),
            Task.Status.DONE: lambda: task_complete(actor=actor, task=current, note=resolution),
            Task.Status.CANCELLED: lambda: task_cancel(
                actor=actor, task=current, reason=resolution
            ),
        }[status]  # type: ignore[index]
        current = change()
    return current
