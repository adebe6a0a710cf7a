"""Tasks, their comments and follow-up rules as the audit browser names them
(`alongside.audit.readable`): "Task: Call about housing forms, due 3 Dec". A task is
named only for a viewer who sees it (`tasks_for`), by the title they read in their task
list; a comment by its task and day, never by what it says."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit.readable import ObjectNamer, int_ids, object_namers, short_day
from alongside.tasks.models import FollowUpRule, TaskComment
from alongside.tasks.presenting import apply, for_viewer, sees
from alongside.tasks.selectors import tasks_for


def _titles(viewer: Actor, task_ids: Collection[int]) -> dict[int, tuple[str, object]]:
    """Each task's title as the viewer reads it (the one sensitivity rule), with its due
    time."""
    tasks = for_viewer(tasks_for(viewer).filter(pk__in=task_ids), viewer)
    return {task.pk: (task.title, task.due_at) for task in tasks}


def task_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    return {
        str(pk): _("Task: %(title)s, due %(day)s") % {"title": title, "day": short_day(due)}
        for pk, (title, due) in _titles(viewer, int_ids(ids)).items()
    }


def comment_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    # One query: whether the viewer reads a sensitive task's title is decided in it.
    rows = (
        TaskComment.objects.filter(pk__in=int_ids(ids), task__in=tasks_for(viewer).values("pk"))
        .annotate(sees=sees(viewer, "task__"))
        .select_related("task")
    )
    return {
        str(comment.pk): _("Comment on task “%(title)s”, %(day)s")
        % {
            "title": apply(comment.task, sees=comment.sees).title,  # type: ignore[attr-defined]
            "day": short_day(comment.created_at),
        }
        for comment in rows
    }


def rule_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = FollowUpRule.objects.filter(
        pk__in=int_ids(ids), organization_id__in=scope_for(viewer).organization_ids
    ).values_list("pk", "title", "program__name")
    return {
        str(pk): _("Follow-up rule: %(title)s (%(program)s)") % {"title": title, "program": program}
        for pk, title, program in rows
    }


def register() -> None:
    for key, names in (
        ("tasks.task", task_names),
        ("tasks.taskcomment", comment_names),
        ("tasks.followuprule", rule_names),
    ):
        object_namers.register(ObjectNamer(key=key, names=names))
