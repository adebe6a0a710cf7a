"""Reads of tasks, scoped to what the viewer may see: a task about a person is seen by
whoever sees the person (`Person.objects.visible_to`); a task about no one by the
program's staff and the organization's admins. Reads that show tasks are audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib import compiled
from alongside.lib.links import link
from alongside.lib.paging import page_of
from alongside.organizations.models import Program
from alongside.people.contributions import WorklistItem, WorklistRow
from alongside.people.models import Person
from alongside.people.sensitivity import Disclosure, disclosure_for
from alongside.tasks import deadlines, presenting
from alongside.tasks.models import FollowUpRule, Task
from alongside.tasks.stored import said_event

PANEL_LIMIT = 10


def tasks_for(user: Any) -> QuerySet[Task]:
    """The tasks the user may see. Whether the task's person is visible is asked of each
    task (a correlated EXISTS on `visible_to`), not as "person in every visible person":
    a list of tasks is narrowed by its own filters (assignee, queue, due time, one task)
    first, and an IN over every person the user sees made PostgreSQL read them all (the
    hub benchmark's 1.5 s at a million people, in the worklist's task reason)."""
    scope = scope_for(user)
    if scope.is_empty:
        return Task.objects.none()
    about_no_one = Q(person__isnull=True) & (
        Q(program_id__in=scope.program_ids) | Q(organization_id__in=scope.admin_organization_ids)
    )
    person_visible = Exists(Person.objects.visible_to(user).filter(pk=OuterRef("person_id")))
    return Task.objects.filter(person_visible | about_no_one)


def _listed(tasks: QuerySet[Task], viewer: Any) -> QuerySet[Task]:
    """Tasks with what their rows show, presented to the viewer (`tasks.presenting`)."""
    return presenting.for_viewer(tasks.select_related("person", "program", "assignee"), viewer)


@dataclass(frozen=True)
class Filters:
    view: str = "all"  # "mine", "team" (my programs' queues) or "all" (both)
    status: str = "open"  # "open", "done", "cancelled"
    priority: str = ""
    program: int | None = None


def my_tasks(user: Any, filters: Filters) -> QuerySet[Task]:
    """Tasks assigned to the user and waiting in their teams' queues, as filtered."""
    scope = scope_for(user)
    mine = Q(assignee_id=user.pk)
    queue = Q(assignee__isnull=True, program_id__in=scope.program_ids)
    chosen = {"mine": mine, "team": queue}.get(filters.view, mine | queue)
    tasks = tasks_for(user).filter(chosen)
    if filters.status == "open":
        tasks = tasks.filter(status__in=Task.OPEN_STATUSES)
    elif filters.status in (Task.Status.DONE, Task.Status.CANCELLED):
        tasks = tasks.filter(status=filters.status)
    if filters.priority:
        tasks = tasks.filter(priority=filters.priority)
    if filters.program:
        tasks = tasks.filter(program_id=filters.program)
    order = ("due_at", "id") if filters.status == "open" else ("-closed_at", "-id")
    return _listed(tasks, user).order_by(*order)


def my_tasks_page(user: Any, filters: Filters, page: int, size: int) -> tuple[list[Task], bool]:
    """A page of `my_tasks`, recorded as one list event naming the people it showed."""
    rows, more = page_of(my_tasks(user, filters), page, size)
    if rows:
        audit.record(
            actor=user,
            action=Action.LIST,
            object_type="tasks.task",
            organization_id=scope_for(user).primary_organization_id,
            detail={
                "page": "my tasks",
                "count": len(rows),
                "ids": [t.pk for t in rows],
                "people": sorted({t.person_id for t in rows if t.person_id}),
            },
        )
    return rows, more


def task_detail(user: Any, pk: int) -> Task:
    """One task the user may see (DoesNotExist otherwise), its read recorded."""
    task = _listed(tasks_for(user), user).select_related("rule", "created_by").get(pk=pk)
    if task.person is not None:
        audit.record_for_person(actor=user, action=Action.VIEW, person=task.person, obj=task)
    else:
        audit.record(actor=user, action=Action.VIEW, obj=task, organization_id=task.organization_id)
    return task


def task_for_change(user: Any, pk: int) -> Task:
    """A task the user may see, to change through a service (which audits the change)."""
    return _listed(tasks_for(user), user).get(pk=pk)


def history(task: Task) -> tuple[list[Any], list[Any]]:
    """The task's comments and history, oldest first."""
    comments = list(task.comments.select_related("author"))
    events = [said_event(e) for e in task.events.select_related("actor")]
    return comments, events


def person_tasks(user: Any, person: Person) -> QuerySet[Task]:
    """The tasks about `person`, who was read through `visible_to` (the person page's
    panel, the API's person lookup): whoever sees the person sees their tasks, so the
    person's scope is the tasks' and is not asked again."""
    return _listed(Task.objects.filter(person=person), user)


def person_tasks_listed(user: Any, person: Person, *, limit: int = 200) -> list[Task]:
    """A person's tasks, open ones first and soonest due, recorded as one read."""
    order = (F("closed_at").asc(nulls_first=True), "due_at", "id")
    rows = list(person_tasks(user, person).order_by(*order)[:limit])
    audit.record_for_person(
        actor=user,
        action=Action.LIST,
        person=person,
        object_type="tasks.task",
        detail={"count": len(rows)},
    )
    return rows


def note_tasks(user: Any, person: Person, note_id: int) -> list[Task]:
    """The tasks made from a note's next steps, in the note's order, about its person
    (read through the note's scope), recorded as one read."""
    rows = list(
        person_tasks(user, person)
        .filter(origin=Task.Origin.NOTE, occurrence_key__startswith=f"note:{note_id}:")
        .order_by("id")
    )
    audit.record_for_person(
        actor=user,
        action=Action.LIST,
        person=person,
        object_type="tasks.task",
        detail={"note": note_id, "count": len(rows)},
    )
    return rows


def _panel_query(person_id: int) -> QuerySet[Task]:
    """The person's open tasks, soonest due first, one more than the panel shows."""
    return (
        Task.objects.filter(person_id=person_id, status__in=Task.OPEN_STATUSES)
        .select_related("program", "assignee")
        .order_by("due_at", "id")[: PANEL_LIMIT + 1]
    )


def person_panel(
    user: Any, person: Person, disclosure: Disclosure | None = None
) -> dict[str, Any] | None:
    """The open tasks about the person, soonest due first, in one query. The page read
    the person through `visible_to` and asked the one sensitivity rule about them
    (`disclosure`), so each task is presented from that answer (`presenting.apply`)
    instead of asking the rule again in the query for every sensitive row."""
    disclosure = disclosure or disclosure_for(user, person)
    if not disclosure.identity:  # someone the viewer may not see: nothing of theirs
        return None
    sees = disclosure.sensitive
    # The statement depends on nothing but the person's id: compiled once per process.
    rows: list[Task] = compiled.objects("tasks.panel", None, _panel_query, person.pk)
    for task in rows:
        task.person = person
        presenting.apply(task, sees=sees)
    scope = scope_for(user)
    return {
        "open_tasks": rows[:PANEL_LIMIT],
        "more_tasks": len(rows) > PANEL_LIMIT,
        # Whether to offer "Add a task" (the form itself checks the program).
        "can_add_task": bool(scope.program_ids) or scope.is_admin_of(person.organization_id),
        "now": timezone.now(),
    }


def programs_for_task(user: Any, person: Person | None) -> QuerySet[Program]:
    """Programs the user may file a task in: theirs, or as an admin their organization's;
    for a person, only programs the person is enrolled in."""
    scope = scope_for(user)
    programs = Program.objects.filter(is_active=True).filter(
        Q(pk__in=scope.program_ids) | Q(organization_id__in=scope.admin_organization_ids)
    )
    if person is not None:
        programs = programs.filter(
            organization_id=person.organization_id, enrollments__person=person
        ).distinct()
    return programs.order_by("name")


def assignable_staff(program_ids: Any) -> QuerySet[Any]:
    """Active staff working in the given programs."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__program_id__in=program_ids)
        .distinct()
        .order_by("display_name", "first_name", "username")
    )


class _Words:
    """How a worklist line says when a task is due, its words looked up once for a list
    (the translations and each day's format, not once a task)."""

    def __init__(self, now: dt.datetime) -> None:
        self.today = timezone.localdate(now)
        self.overdue = _("%(what)s: overdue since %(day)s")
        self.due_today = _("%(what)s: due today")
        self.due_soon = _("%(what)s: due soon")
        self.days: dict[dt.date, str] = {}

    def say(self, title: str, due_at: dt.datetime) -> str:
        due = timezone.localdate(due_at)
        # The title says what to do ("Call after urgent result"); `why` repeats the
        # reason another worklist line may already give.
        what = title.rstrip(".")
        if due < self.today:
            if due not in self.days:
                self.days[due] = formats.date_format(due, "MONTH_DAY_FORMAT")
            return self.overdue % {"what": what, "day": self.days[due]}
        if due == self.today:
            return self.due_today % {"what": what}
        return self.due_soon % {"what": what}


def due_tasks(viewer: Any, caseload: QuerySet[Person], now: dt.datetime) -> QuerySet[Any]:
    """Open tasks about people on the caseload that are overdue or due today, with
    whether the viewer may read each one's own words (`presenting.SEES`)."""
    end_of_today = deadlines.END_OF_DAY
    local_now = timezone.localtime(now)
    cutoff = local_now.replace(
        hour=end_of_today.hour, minute=end_of_today.minute, second=59, microsecond=999999
    )
    # The caseload is already scoped to what the viewer may see (worklist.selectors
    # .caseload_of starts from visible_to), so tasks_for's own scoping would add nothing
    # but its OR, which made PostgreSQL read every visible person (1.5 s at a million).
    return Task.objects.filter(
        status__in=Task.OPEN_STATUSES, due_at__lte=cutoff, person__in=caseload.values("pk")
    ).values(*presenting.ROW_COLUMNS, **{presenting.SEES: presenting.sees(viewer)})


def worklist_due(viewer: Any, rows: list[WorklistRow], now: dt.datetime) -> Iterator[WorklistItem]:
    """Each task as the viewer may read it (`presenting.title_of`, the one rule)."""
    words = _Words(now)
    for row in sorted(rows, key=lambda r: (r["due_at"], r["pk"])):
        yield WorklistItem(
            person_id=row["person_id"] or 0,
            reason="tasks.due",
            text=words.say(presenting.title_of(row), row["due_at"]),
            due_at=row["due_at"],
            link=link("tasks:detail", row["pk"]),
            key=f"task:{row['pk']}",  # "done today" on one task must not hide the next
        )


def rules_for(organization_id: int) -> QuerySet[FollowUpRule]:
    return FollowUpRule.objects.filter(organization_id=organization_id).select_related("program")
