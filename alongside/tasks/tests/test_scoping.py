"""Tasks are scoped once: `tasks_for` asks of each task whether its person is visible
(a correlated EXISTS) rather than "person in every visible person", and a person's tasks
rely on the person read through `visible_to`. The results are those of the rule as
first written, checked here against it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from alongside.accounts.scope import scope_for
from alongside.people.models import Enrollment, Person
from alongside.tasks import selectors
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_task
from conftest import make_person


def _as_first_written(user: Any) -> set[int]:
    """The rule as `tasks_for` first wrote it: a task about a person the user sees, or
    about no one in a program they work in or an organization they administer."""
    scope = scope_for(user)
    about_no_one = Q(person__isnull=True) & (
        Q(program_id__in=scope.program_ids) | Q(organization_id__in=scope.admin_organization_ids)
    )
    visible = Person.objects.visible_to(user).values("pk")
    return set(
        Task.objects.filter(Q(person__in=visible) | about_no_one).values_list("pk", flat=True)
    )


def _tasks(world: Any) -> None:
    elsewhere = make_person(world.outsider, world.other_program, legal_given_name="Ines")
    gone = make_person(world.coordinator, world.housing, legal_given_name="Rafa")
    make_task(world, title="About Lupe, mine")
    make_task(world, title="About Lupe, queued", assignee=None)
    make_task(world, title="About no one, housing", person=None, assignee=None)
    make_task(
        world,
        title="About no one, wellness",
        person=None,
        actor=world.colleague,
        program=world.wellness,
        assignee=world.colleague,
    )
    make_task(
        world,
        title="Elsewhere",
        person=elsewhere,
        actor=world.outsider,
        program=world.other_program,
        assignee=world.outsider,
    )
    make_task(world, title="About someone no longer in sight", person=gone)
    # Rafa's enrollment moves to another program (wellness): out of sight for housing.
    Enrollment.objects.filter(person=gone).update(program=world.wellness)


def test_tasks_for_keeps_the_rule_as_first_written(world: Any) -> None:
    _tasks(world)
    for user in (world.coordinator, world.colleague, world.scheduler, world.admin, world.outsider):
        got = set(selectors.tasks_for(user).values_list("pk", flat=True))
        assert got == _as_first_written(user), user


def test_my_tasks_lists_what_it_listed(world: Any) -> None:
    _tasks(world)
    for user in (world.coordinator, world.scheduler, world.admin):
        for view in ("all", "mine", "team"):
            listed = {t.pk for t in selectors.my_tasks(user, selectors.Filters(view=view))}
            chosen = Q(assignee_id=user.pk) if view != "team" else Q(pk__in=[])
            programs = scope_for(user).program_ids
            if view != "mine":
                chosen |= Q(assignee__isnull=True, program_id__in=programs)
            expected = set(
                Task.objects.filter(pk__in=_as_first_written(user))
                .filter(chosen, status__in=Task.OPEN_STATUSES)
                .values_list("pk", flat=True)
            )
            assert listed == expected, (user, view)
    titles = {t.title for t in selectors.my_tasks(world.coordinator, selectors.Filters())}
    assert titles == {"About Lupe, mine", "About Lupe, queued", "About no one, housing"}


def test_a_persons_tasks_are_theirs_alone(world: Any) -> None:
    _tasks(world)
    titles = [t.title for t in selectors.person_tasks_listed(world.coordinator, world.person)]
    assert sorted(titles) == ["About Lupe, mine", "About Lupe, queued"]
