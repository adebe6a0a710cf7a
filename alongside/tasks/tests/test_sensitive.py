"""The one sensitivity rule on tasks (`tasks.presenting`): a task made from a sensitive
source shows its words to the person's care team and a neutral title to anyone else
who sees the person, on every surface: the task list, my tasks, the task page, the
worklist, the person panel, the API, FHIR and the timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.lib.errors import NotPermitted
from alongside.people import timeline
from alongside.people.contributions import worklist_reasons
from alongside.people.sensitivity import RESTRICTED
from alongside.tasks import presenting, selectors, services
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_task
from alongside.worklist.selectors import caseload_of

WORDS = "Safety plan check-in after the self-harm answer"
NEUTRAL = "Task about the person"


@pytest.fixture
def secret(world: Any) -> Task:
    """A sensitive task about the person, due today, waiting in housing's queue."""
    return make_task(
        world,
        title=WORDS,
        description="Ask about the plan agreed at the crisis line.",
        sensitive=True,
        assignee=None,
        due_at=timezone.now() + dt.timedelta(minutes=5),
    )


def test_the_care_team_reads_the_task_and_others_a_neutral_title(world: Any, secret: Task) -> None:
    mine = selectors.task_detail(world.coordinator, secret.pk)
    theirs = selectors.task_detail(world.scheduler, secret.pk)
    admins = selectors.task_detail(world.admin, secret.pk)

    assert (mine.title, getattr(mine, "restricted", None)) == (WORDS, False)
    for task in (theirs, admins):
        assert (task.title, task.description, task.why) == (NEUTRAL, RESTRICTED, "")
        assert getattr(task, "restricted", None) is True
    # Nothing is written back: the task keeps its words.
    assert Task.objects.get(pk=secret.pk).title == WORDS


def test_a_task_that_is_not_sensitive_reads_the_same_for_everyone(world: Any) -> None:
    task = make_task(world, title="Bring the lease", assignee=None)
    assert selectors.task_detail(world.scheduler, task.pk).title == "Bring the lease"


def test_task_list_and_my_tasks(world: Any, secret: Task, client: Any) -> None:
    client.force_login(world.scheduler)  # housing's queue is theirs too
    for view in ("all", "team"):
        page = client.get(reverse("tasks:list"), {"view": view}).content.decode()
        assert NEUTRAL in page and WORDS not in page
    client.force_login(world.coordinator)
    assert WORDS in client.get(reverse("tasks:list")).content.decode()


def test_task_page_and_edit_form(world: Any, secret: Task, client: Any) -> None:
    client.force_login(world.scheduler)
    page = client.get(reverse("tasks:detail", args=[secret.pk])).content.decode()
    assert NEUTRAL in page and str(RESTRICTED) in page and WORDS not in page
    form = client.get(reverse("tasks:edit", args=[secret.pk])).content.decode()
    assert WORDS not in form and 'name="title"' not in form
    # Moving the due time along is theirs to do; the words stay as they were.
    due = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    reply = client.post(
        reverse("tasks:edit", args=[secret.pk]),
        {"due_at": due, "priority": "urgent", "version": secret.version},
    )
    assert reply.status_code == 302
    secret.refresh_from_db()
    assert (secret.title, secret.priority) == (WORDS, "urgent")


def test_only_the_care_team_changes_what_a_sensitive_task_says(world: Any, secret: Task) -> None:
    with pytest.raises(NotPermitted, match="care team can change"):
        services.task_update(
            actor=world.scheduler, task=secret, data={"title": NEUTRAL}, version=None
        )
    services.task_update(actor=world.coordinator, task=secret, data={"title": "New"}, version=None)
    assert Task.objects.get(pk=secret.pk).title == "New"


def test_person_panel(world: Any, secret: Task) -> None:
    theirs = selectors.person_panel(world.scheduler, world.person)
    mine = selectors.person_panel(world.coordinator, world.person)
    assert theirs is not None and mine is not None
    assert [t.title for t in theirs["open_tasks"]] == [NEUTRAL]
    assert [t.title for t in mine["open_tasks"]] == [WORDS]


def _shown(task: Task) -> tuple[Any, ...]:
    assignee = task.assignee.pk if task.assignee else None
    return (task.pk, task.title, task.description, task.why, task.program.name, assignee)


def test_the_compiled_person_panel_shows_what_the_orm_reads(world: Any, secret: Task) -> None:
    make_task(world, title="Bring the lease", assignee=world.coordinator)
    for viewer, sees in ((world.coordinator, True), (world.scheduler, False)):
        orm = [
            presenting.apply(task, sees=sees)
            for task in selectors._panel_query(world.person.pk)  # noqa: SLF001
        ]
        for _ in range(2):  # compiling, then compiled
            panel = selectors.person_panel(viewer, world.person)
            assert panel is not None
            assert [_shown(t) for t in panel["open_tasks"]] == [_shown(t) for t in orm]
            restricted = [getattr(t, "restricted", None) for t in panel["open_tasks"]]
            assert restricted == [getattr(t, "restricted", None) for t in orm]


def test_the_person_panel_shows_nothing_of_someone_the_viewer_may_not_see(
    world: Any, secret: Task
) -> None:
    assert selectors.person_panel(world.outsider, world.person) is None


def test_person_tasks_listed(world: Any, secret: Task) -> None:
    assert [t.title for t in selectors.person_tasks_listed(world.admin, world.person)] == [NEUTRAL]


def _due(viewer: Any, caseload: Any, now: Any) -> list[Any]:
    reason = worklist_reasons.get("tasks.due")
    assert reason is not None
    return reason.find(viewer, caseload, now)


def test_worklist(world: Any, secret: Task) -> None:
    now = timezone.now()
    # An admin covering for the coordinator sees the coordinator's caseload.
    covering = caseload_of(world.admin, world.coordinator)
    theirs = [i.text for i in _due(world.admin, covering, now)]
    mine = [i.text for i in _due(world.coordinator, caseload_of(world.coordinator), now)]
    assert theirs == [f"{NEUTRAL}: due today"] or theirs == [f"{NEUTRAL}: due soon"]
    assert WORDS in mine[0]


def test_worklist_page_of_a_teammate(world: Any, secret: Task, client: Any) -> None:
    client.force_login(world.admin)
    page = client.get(reverse("worklist:member", args=[world.coordinator.pk])).content.decode()
    assert WORDS not in page


def test_timeline(world: Any, secret: Task) -> None:
    services.task_complete(actor=world.coordinator, task=secret)
    theirs = timeline.timeline_page(world.scheduler, world.person).entries
    mine = timeline.timeline_page(world.coordinator, world.person).entries
    tasks_theirs = [e for e in theirs if e.group == "tasks"]
    tasks_mine = [e for e in mine if e.group == "tasks"]
    assert [e.kind for e in tasks_mine] == ["tasks.task_completed", "tasks.task_created"]
    assert all(e.summary == NEUTRAL and e.details == RESTRICTED for e in tasks_theirs)
    assert all(e.details == WORDS and not e.restricted for e in tasks_mine)


def test_a_task_that_is_not_sensitive_is_on_the_timeline_by_its_title(world: Any) -> None:
    make_task(world, title="Bring the lease")
    entries = timeline.timeline_page(world.scheduler, world.person).entries
    assert [e.summary for e in entries if e.group == "tasks"] == ["Bring the lease"]


def test_the_decision_is_one_query_for_a_page_of_tasks(
    world: Any, secret: Task, django_assert_num_queries: Any
) -> None:
    make_task(world, title="Bring the lease", assignee=None)
    list(selectors.my_tasks(world.scheduler, selectors.Filters()))  # the scope is read once
    with django_assert_num_queries(1):
        rows = list(selectors.my_tasks(world.scheduler, selectors.Filters()))
    assert sorted(t.title for t in rows) == sorted(["Bring the lease", NEUTRAL])
    assert presenting.neutral_title(secret) == NEUTRAL


def test_what_was_said_about_a_sensitive_task_stays_with_the_care_team(
    world: Any, secret: Task, client: Any
) -> None:
    """A cancellation's reason and the comments are in the care team's words too."""
    services.task_comment(actor=world.coordinator, task=secret, body="Spoke about detox")
    services.task_cancel(actor=world.coordinator, task=secret, reason="Admitted to detox")

    assert selectors.task_detail(world.scheduler, secret.pk).resolution == ""
    assert selectors.task_detail(world.coordinator, secret.pk).resolution == "Admitted to detox"
    client.force_login(world.scheduler)
    page = client.get(reverse("tasks:detail", args=[secret.pk])).content.decode()
    assert "detox" not in page and NEUTRAL in page
    client.force_login(world.coordinator)
    page = client.get(reverse("tasks:detail", args=[secret.pk])).content.decode()
    assert "Spoke about detox" in page and "Admitted to detox" in page


def test_the_audit_browser_names_a_sensitive_task_as_its_viewer_reads_it(
    world: Any, secret: Task
) -> None:
    from alongside.tasks.audit_names import comment_names, task_names

    comment = services.task_comment(actor=world.coordinator, task=secret, body="Hello")
    key, comment_key = [str(secret.pk)], [str(comment.pk)]
    assert WORDS in task_names(world.coordinator, key)[key[0]]
    assert WORDS in comment_names(world.coordinator, comment_key)[comment_key[0]]
    for viewer in (world.scheduler, world.admin):
        assert task_names(viewer, key)[key[0]].startswith(f"Task: {NEUTRAL}")
        assert NEUTRAL in comment_names(viewer, comment_key)[comment_key[0]]
