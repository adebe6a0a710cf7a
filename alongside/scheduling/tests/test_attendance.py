"""Attendance, and the no-show follow-up: exactly one task for the coordinator through
the hub's rules, however often the rules run, shown on the worklist with the reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from alongside.people.models import TimelineEntry
from alongside.scheduling import attendance, booking, groups
from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.services_helpers import NOW, TEN, bookable, choice
from alongside.tasks import rules
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_rule

pytestmark = pytest.mark.django_db
AFTER = TEN + dt.timedelta(hours=2)


def no_show_rule(world, title, deadline="same_day", deadline_amount=0):
    """A rule: reach out after a no-show, the same day unless told otherwise."""
    return make_rule(
        world,
        trigger=attendance.NO_SHOW_TRIGGER,
        days=0,
        deadline=deadline,
        deadline_amount=deadline_amount,
        title=title,
    )


def an_hour_ago():
    return timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)


def started_at(appointment, start):
    """The appointment moved, past the services, to an hour from `start` (in the past)."""
    hour = dt.timedelta(hours=1)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=start, ends_at=start + hour, blocks_from=start, blocks_until=start + hour
    )
    appointment.refresh_from_db()


def seat_for(world, kind, start, override):
    """The person's seat in a group session of `kind` at `start`, both made a day before."""
    early = start - dt.timedelta(days=1)
    session = groups.session_create(
        actor=world.supervisor, choice=choice(world, kind, start, override=override), now=early
    )
    return groups.seat_book(
        actor=world.coordinator, session=session, person=world.person, now=early
    )


@pytest.fixture
def booked(world):
    kind = bookable(world)
    return booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )


def test_a_no_show_makes_one_task_for_the_coordinator(
    world, booked, django_capture_on_commit_callbacks, immediate_tasks
):
    no_show_rule(
        world,
        "Reach out after a missed appointment",
        deadline="business_days",
        deadline_amount=1,
    )
    with django_capture_on_commit_callbacks(execute=False):
        attendance.mark(actor=world.coordinator, appointment=booked, status="no_show", now=AFTER)
    rules.evaluate_for_person(world.person.pk, AFTER)
    rules.evaluate_for_person(world.person.pk, AFTER)
    rules.evaluate_rules(AFTER)
    task = Task.objects.get(person=world.person)
    assert task.assignee == world.coordinator
    assert task.title == "Reach out after a missed appointment"
    assert "did not come to Check-in" in task.why
    assert TimelineEntry.objects.filter(
        kind="scheduling.attendance", summary__startswith="Did not come"
    ).exists()


def test_the_worklist_shows_the_follow_up_with_its_reason(client, world, booked):
    no_show_rule(world, "Call after a missed appointment")
    started_at(booked, dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
    attendance.mark(actor=world.coordinator, appointment=booked, status="no_show")
    rules.evaluate_for_person(world.person.pk)
    client.force_login(world.coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Call after a missed appointment" in page


def test_marks_must_follow_and_a_no_show_waits_for_the_start(world, booked):
    with pytest.raises(ValidationError, match="has not started yet"):
        attendance.mark(actor=world.coordinator, appointment=booked, status="no_show", now=NOW)
    attendance.mark(actor=world.coordinator, appointment=booked, status="completed", now=AFTER)
    booked.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be marked that way"):
        attendance.mark(actor=world.coordinator, appointment=booked, status="no_show", now=AFTER)


def test_a_group_seat_no_show_makes_one_task_shown_with_its_reason(
    client, world, django_capture_on_commit_callbacks, immediate_tasks
):
    """As for a one-to-one appointment: through the page, exactly one task however often
    the mark is posted and the rules run, on the coordinator's worklist with why."""
    no_show_rule(world, "Call after a missed group session")
    kind = bookable(world, is_group=True, capacity=3, name="Tenant workshop")
    seat = seat_for(world, kind, an_hour_ago(), "a workshop")
    client.force_login(world.coordinator)
    url = reverse("scheduling:seat-attendance", args=[seat.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"status": "no_show"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"status": "no_show"}, follow=True)
    assert "cannot be marked that way" in again.content.decode()
    rules.evaluate_for_person(world.person.pk)
    rules.evaluate_rules()
    task = Task.objects.get(person=world.person)
    assert task.assignee == world.coordinator
    assert "did not come to Tenant workshop" in task.why
    page = client.get(reverse("home")).content.decode()
    detail = reverse("tasks:detail", args=[task.pk])
    assert "Call after a missed group session" in page and f'href="{detail}"' in page
    why = client.get(detail).content.decode()  # the worklist item's link says why
    assert "did not come to Tenant workshop" in why


@pytest.mark.parametrize("group", [False, True], ids=["one-to-one", "group seat"])
def test_a_no_show_of_a_sensitive_kind_names_it_only_to_those_who_may_see_it(
    client, world, group, django_capture_on_commit_callbacks, immediate_tasks
):
    """The follow-up task is sensitive: a scheduler outside the care team sees that it
    exists, never the kind's name (task list, the person page's panel, the task page)."""
    no_show_rule(world, "Call after a missed appointment")
    start = an_hour_ago()
    name = "Sexual health clinic"
    kind = bookable(world, sensitive=True, name=name, is_group=group, capacity=3 if group else 1)
    if group:
        seat = seat_for(world, kind, start, "a clinic")
        with django_capture_on_commit_callbacks(execute=True):
            attendance.mark_seat(actor=world.coordinator, seat=seat, status="no_show")
    else:
        booked = booking.book(
            actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
        )
        started_at(booked, start)
        with django_capture_on_commit_callbacks(execute=True):
            attendance.mark(actor=world.coordinator, appointment=booked, status="no_show")
    rules.evaluate_for_person(world.person.pk)
    task = Task.objects.get(person=world.person)
    assert task.sensitive and f"did not come to {name}" in task.why
    pages = [
        reverse("tasks:list"),
        reverse("tasks:detail", args=[task.pk]),
        reverse("people:detail", args=[world.person.pk]),
    ]
    client.force_login(world.scheduler)
    detail = f'href="{pages[1]}"'
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert name not in response.content.decode(), url
    assert detail in client.get(pages[2]).content.decode()  # the task is there, neutral
    client.force_login(world.coordinator)  # the care team reads why
    assert f"did not come to {name}" in client.get(pages[1]).content.decode()


def test_the_migration_marks_earlier_no_show_tasks_of_a_sensitive_kind_sensitive(world):
    """Tasks a no-show made before a sensitive kind made a sensitive task become
    sensitive; those of other kinds, and other tasks, are left as they are."""
    import importlib

    from django.apps import apps

    mark = importlib.import_module(
        "alongside.scheduling.migrations.0011_sensitive_no_show_tasks"
    ).mark_sensitive
    rule = no_show_rule(world, "Call after a missed appointment")
    made = {}
    for sensitive in (True, False):
        kind = bookable(world, sensitive=sensitive, name=f"Kind {sensitive}")
        start = TEN + dt.timedelta(days=1 if sensitive else 2)
        appointment = booking.book(
            actor=world.coordinator,
            person=world.person,
            choice=choice(world, kind, start),
            now=NOW,
        )
        made[sensitive] = Task.objects.create(
            organization=world.person.organization,
            person=world.person,
            program=world.housing,
            title="Call after a missed appointment",
            due_at=NOW,
            origin=Task.Origin.RULE,
            rule=rule,
            occurrence_key=f"{world.person.pk}:no-show:{appointment.pk}",
        )
    other = Task.objects.create(
        organization=world.person.organization,
        person=world.person,
        program=world.housing,
        title="Something else",
        due_at=NOW,
        occurrence_key=f"{world.person.pk}:no-contact:{made[True].pk}",
    )
    mark(apps, None)
    assert [Task.objects.get(pk=t.pk).sensitive for t in (made[True], made[False], other)] == [
        True,
        False,
        False,
    ]


def test_attendance_and_its_follow_up_reason_are_stored_in_english(world, booked):
    no_show_rule(world, "Call after a missed appointment")
    with translation.override("es"):
        attendance.mark(actor=world.coordinator, appointment=booked, status="no_show", now=AFTER)
        rules.evaluate_for_person(world.person.pk, AFTER)
    entry = TimelineEntry.objects.get(kind="scheduling.attendance")
    assert entry.summary.startswith("Did not come: Check-in with ")
    assert Task.objects.get(person=world.person).why.startswith("did not come to Check-in on ")
