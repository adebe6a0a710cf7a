"""What a viewer sees of a task: the one sensitivity rule (`people.sensitivity`) applied
to tasks, decided here and nowhere else.

A task made from a sensitive source (a sensitive note's next step, an urgent screening
flag's follow-up, a task its author marked sensitive) is `sensitive`. Anyone who sees
the person sees that the task exists, when it is due and who has it: that is what lets
a scheduler or an admin keep the work moving. Only those the rule lets see sensitive
details (`Disclosure.sensitive`, in a query `sees_sensitive`) read what it says; everyone
else gets a neutral title (`NEUTRAL_TITLES`, by where the task came from), the
restricted wording for its details, and `restricted` set. Every surface reads tasks
through here: the task pages, the person panel, the worklist, the API, FHIR and the
timeline entries tasks write.

Lists decide it in the query that reads them (`for_viewer`: one EXISTS, evaluated only
for sensitive tasks, no extra query); one task read by a service (`shown`) asks
`disclosure_for` only when it is sensitive. The words are replaced on the object before
a selector returns it, so a page or endpoint never holds what its viewer may not read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.db.models.query import ModelIterable
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from alongside.people.sensitivity import RESTRICTED, disclosure_for, sees_sensitive
from alongside.tasks.models import Task

SEES = "viewer_sees_sensitive"

NEUTRAL_TITLES: dict[str, Promise] = {
    Task.Origin.MANUAL: gettext_lazy("Task about the person"),
    Task.Origin.RULE: gettext_lazy("Follow-up"),
    Task.Origin.NOTE: gettext_lazy("Next step from a signed note"),
    Task.Origin.PLAN: gettext_lazy("Step in the person's plan"),
}


def neutral_title(task: Task) -> str:
    """The title shown to a viewer who may not read a sensitive task's own."""
    return _neutral(task.origin)


def _neutral(origin: str) -> str:
    return str(NEUTRAL_TITLES.get(origin, NEUTRAL_TITLES[Task.Origin.MANUAL]))


def title_of(row: Mapping[str, Any]) -> str:
    """The title of a task read as a row (`values()` of `ROW_COLUMNS` and `SEES`), as
    `apply` would leave it: a list of many tasks reads no model instances (the
    worklist)."""
    restricted = row["sensitive"] and row["person_id"] is not None and not row[SEES]
    return _neutral(row["origin"]) if restricted else str(row["title"])


ROW_COLUMNS = ("pk", "person_id", "title", "due_at", "sensitive", "origin")


def is_sensitive(task: Task) -> bool:
    """Whether the rule applies at all: a sensitive task about a person."""
    return task.sensitive and task.person_id is not None


def apply(task: Task, *, sees: bool) -> Task:
    """Replace, in memory, what `task` says when its viewer may not read it; mark it
    `restricted` either way. Services re-read what they change (`select_for_update`), so
    a presented task is never written back."""
    restricted = is_sensitive(task) and not sees
    task.restricted = restricted  # type: ignore[attr-defined]
    if restricted:
        task.title = neutral_title(task)
        task.description = str(RESTRICTED)
        task.why = ""
        task.resolution = ""  # a cancellation's reason can repeat what the task is about
    return task


def shown(viewer: Any, task: Task) -> Task:
    """One task as `viewer` may see it (a service's result, say): asks the rule only
    when the task is sensitive."""
    if not is_sensitive(task):
        return apply(task, sees=True)
    assert task.person is not None
    return apply(task, sees=disclosure_for(viewer, task.person).sensitive)


class _Presented(ModelIterable):  # type: ignore[type-arg]
    """Tasks as they come out of the database, each presented from its annotation."""

    def __iter__(self) -> Iterator[Task]:  # type: ignore[override]
        for task in super().__iter__():
            yield apply(task, sees=getattr(task, SEES, True))


def sees(viewer: Any, task: str = "") -> Case:
    """Whether `viewer` may read a task's own words, as a query expression on tasks (or,
    with `task="task__"`, on rows pointing at a task): asks the rule only of sensitive
    tasks."""
    return Case(
        When(**{f"{task}sensitive": False}, then=Value(True)),
        default=sees_sensitive(viewer, f"{task}person_id"),
        output_field=BooleanField(),
    )


def for_viewer(tasks: QuerySet[Task], viewer: Any) -> QuerySet[Task]:
    """`tasks` presented to `viewer` as they are read: whether the viewer may read a
    sensitive task is one EXISTS in the same query, asked only of sensitive rows."""
    decided = tasks.annotate(**{SEES: sees(viewer)})
    decided._iterable_class = _Presented
    return decided


def timeline_words(task: Task) -> tuple[str, str]:
    """A task's title as a timeline entry carries it: (summary, details). The summary
    is read by everyone who sees the person, so a sensitive task's is neutral and its
    own title goes in the details, which the timeline restricts by the same rule."""
    if is_sensitive(task):
        return neutral_title(task), task.title
    return task.title, ""
