import datetime as dt

from django.utils import timezone

from alongside.people.contributions import worklist_reasons
from alongside.people.models import Person
from alongside.plans import programs, selectors, services
from alongside.plans.models import Plan
from alongside.plans.tests.factories import add_goal, fresh, start_plan


def _active(world):
    plan = start_plan(world)
    add_goal(world, plan)
    services.agreement_record(
        actor=world.coordinator, plan=plan, method="signed", signature="Lupe", expected_version=None
    )
    return services.plan_status_set(
        actor=world.coordinator, plan=plan, status="active", expected_version=None
    )


def _items(world, now):
    reason = worklist_reasons.get(selectors.REVIEW_DUE)
    assert reason is not None
    return reason.find(world.coordinator, Person.objects.visible_to(world.coordinator), now)


def test_a_review_shows_two_weeks_before_it_falls_due(world):
    plan = _active(world)
    due = plan.next_review_on
    now = timezone.make_aware(dt.datetime.combine(due - dt.timedelta(days=15), dt.time(9)))
    assert _items(world, now) == []
    now += dt.timedelta(days=1)
    [item] = _items(world, now)
    assert (item.person_id, item.text) == (world.person.pk, "plan review due in 14 days")
    assert item.key == f"plan:{plan.pk}:{due.isoformat()}"
    assert item.link == f"/plans/{plan.pk}/"


def test_an_overdue_review_says_by_how_long(world):
    plan = _active(world)
    now = timezone.make_aware(
        dt.datetime.combine(plan.next_review_on + dt.timedelta(days=3), dt.time(9))
    )
    [item] = _items(world, now)
    assert item.text == "plan review overdue by 3 days"


def test_draft_and_ended_plans_have_no_review_due(world):
    plan = _active(world)
    far = timezone.now() + dt.timedelta(days=400)
    services.plan_status_set(
        actor=world.coordinator,
        plan=fresh(plan),
        status="closed",
        reason="Moved away.",
        expected_version=None,
    )
    assert _items(world, far) == []
    start_plan(world)
    assert Plan.objects.filter(status="draft").exists() and _items(world, far) == []


def test_the_review_interval_is_the_programs(world):
    programs.plan_settings_update(
        actor=world.admin, program_id=world.housing.pk, data={"review_interval_days": 30}
    )
    plan = _active(world)
    assert plan.next_review_on == timezone.localdate() + dt.timedelta(days=30)
