import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_rule, make_task
from conftest import NAV_COUNTS, make_person

# An audit event: one statement on PostgreSQL, three on SQLite (see audit/services.py).
AUDIT = 1 if connection.vendor == "postgresql" else 3


def _tasks(world, count):
    for n in range(count):
        person = make_person(world.coordinator, world.housing, legal_given_name=f"P{n}")
        make_task(
            world, person=person, title=f"Task {n}", assignee=None if n % 2 else world.coordinator
        )


@pytest.mark.parametrize("count", [1, 12])
def test_my_tasks_reads_a_fixed_number_of_queries(world, client, django_assert_num_queries, count):
    _tasks(world, count)
    client.force_login(world.coordinator)
    client.get(reverse("tasks:list"))  # the session and scope settle
    # Session, user, scope, the page of tasks and its audit event, and the navigation's
    # counts, the same for one task as for twelve: no query per row.
    with django_assert_num_queries(4 + AUDIT + NAV_COUNTS):
        response = client.get(reverse("tasks:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="task-row"') == count


def test_my_tasks_shows_mine_and_my_teams_queue_not_others(world, client):
    mine = make_task(world, title="Mine")
    queued = make_task(world, title="Queued", assignee=None)
    make_task(
        world,
        title="A colleague's",
        actor=world.colleague,
        program=world.wellness,
        assignee=world.colleague,
        person=None,
    )
    client.force_login(world.coordinator)

    page = client.get(reverse("tasks:list")).content.decode()
    only_mine = client.get(reverse("tasks:list"), {"view": "mine"}).content.decode()

    assert mine.title in page and queued.title in page and "A colleague" not in page
    assert queued.title not in only_mine
    assert AuditEvent.objects.filter(action="list", object_type="tasks.task").exists()


def test_a_task_outside_the_viewers_sight_is_404(world, client):
    task = make_task(world)
    client.force_login(world.colleague)

    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    assert client.post(reverse("tasks:complete", args=[task.pk])).status_code == 404


def test_a_colleague_takes_a_task_from_the_team_queue_and_completes_it(world, client):
    task = make_task(world, assignee=None)
    client.force_login(world.supervisor)

    client.post(reverse("tasks:take", args=[task.pk]))
    client.post(reverse("tasks:complete", args=[task.pk]), {"version": 2})

    task.refresh_from_db()
    assert (task.assignee, task.status) == (world.supervisor, Task.Status.DONE)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Assigned" in page and "Done" in page


def test_cancelling_needs_a_reason(world, client):
    task = make_task(world)
    client.force_login(world.coordinator)

    response = client.post(
        reverse("tasks:cancel", args=[task.pk]), {"resolution": "", "version": 1}
    )

    assert response.status_code == 422
    task.refresh_from_db()
    assert task.status == Task.Status.TODO


@pytest.mark.parametrize("version", ["9" * 5000, "99999999999999999999", "two"])
def test_a_version_that_is_not_one_is_a_conflict_not_a_change_without_the_check(
    world, client, version
):
    task = make_task(world)
    client.force_login(world.coordinator)

    response = client.post(reverse("tasks:complete", args=[task.pk]), {"version": version})

    assert response.status_code == 302  # back to the task, which says it changed
    task.refresh_from_db()
    assert task.status == Task.Status.TODO


def test_a_stale_edit_is_a_conflict(world, client):
    task = make_task(world)
    client.force_login(world.coordinator)
    due = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {"title": "New", "due_at": due, "priority": "urgent", "version": 1}
    client.post(reverse("tasks:edit", args=[task.pk]), data)

    response = client.post(reverse("tasks:edit", args=[task.pk]), data | {"title": "Other"})

    assert response.status_code == 409
    task.refresh_from_db()
    assert task.title == "New"


def test_the_form_on_a_person_page_refuses_a_due_time_in_the_past(world, client):
    client.force_login(world.coordinator)
    past = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("tasks:create", args=[world.person.pk])

    response = client.post(
        url, {"title": "Call", "program": world.housing.pk, "due_at": past, "priority": "routine"}
    )

    assert response.status_code == 422
    assert "cannot be due in the past" in response.content.decode()
    assert not Task.objects.exists()


def test_the_person_page_lists_open_tasks(world, client):
    make_task(world, title="Bring the lease")
    client.force_login(world.coordinator)

    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()

    assert "Open tasks" in page and "Bring the lease" in page


def test_admins_configure_rules_and_others_get_404(world, client):
    client.force_login(world.admin)
    url = reverse("manage:follow-up-add", args=[world.org.pk])
    response = client.post(
        url,
        {
            "program": world.housing.pk,
            "trigger": "tasks.no_contact",
            "days": 21,
            "deadline": "hours",
            "deadline_amount": 48,
            "priority": "urgent",
            "assign_to": "team",
            "title": "Check in",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = make_rule(world, title="Another")
    listing = client.get(reverse("manage:follow-up", args=[world.org.pk])).content.decode()
    assert "Check in" in listing and rule.title in listing

    client.force_login(world.coordinator)
    assert client.get(reverse("manage:follow-up", args=[world.org.pk])).status_code == 404
