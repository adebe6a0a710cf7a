"""Plans written over the API: through the services, scoped and audited, bad input
refused with the field named, and a stale change a 409 that says what changed."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest
from django.utils import timezone

from alongside.api import plan_writes
from alongside.api.tests.conftest import assert_error
from alongside.audit.models import AuditEvent
from alongside.people import services as people
from alongside.plans.models import Agreement, Goal, Plan, Step
from alongside.plans.tests.factories import add_goal, fresh, start_plan

WORDS = "  Keep my apartment — and have the kids over on Sundays.  "


@pytest.fixture
def plan(world: Any) -> Plan:
    return start_plan(world)


def _goal_body(version: int, **extra: Any) -> dict[str, Any]:
    return {"words": WORDS, "domain": "housing", "importance": "to", "version": version} | extra


def test_it_starts_a_plan_for_an_enrollment(world: Any, api_as: Any) -> None:
    enrollment = world.person.enrollments.get(program=world.housing)
    reply = api_as(world.coordinator).post(f"/enrollments/{enrollment.pk}/plans")
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["status"] == "draft" and reply["Location"] == f"/api/v1/plans/{body['id']}"
    again = api_as(world.coordinator).post(f"/enrollments/{enrollment.pk}/plans")
    assert_error(again, 422)
    assert_error(api_as(world.outsider).post(f"/enrollments/{enrollment.pk}/plans"), 404)
    assert_error(api_as(world.scheduler).post(f"/enrollments/{enrollment.pk}/plans"), 403)


def test_it_adds_a_goal_in_the_persons_words_exactly(world: Any, api_as: Any, plan: Plan) -> None:
    reply = api_as(world.coordinator).post(f"/plans/{plan.pk}/goals", _goal_body(plan.version))
    assert reply.status_code == 201, reply.content
    assert reply.json()["goals"][0]["words"] == WORDS
    assert reply["ETag"] == f'"{plan.version + 1}"'
    assert Goal.objects.get(plan=plan).words == WORDS
    assert AuditEvent.objects.filter(
        action="create", person_id=world.person.pk, object_type="plans.goal"
    ).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"words": "   "}, "words"),
        ({"target_date": "2000-01-01"}, "target_date"),
        ({"domain": "astrology"}, "domain"),
        ({"weight": 0}, "weight"),
    ],
)
def test_a_bad_goal_is_refused_naming_the_field(
    world: Any, api_as: Any, plan: Plan, body: dict[str, Any], field: str
) -> None:
    reply = api_as(world.coordinator).post(
        f"/plans/{plan.pk}/goals", _goal_body(plan.version, **body)
    )
    assert_error(reply, 422)
    assert field in reply.json()["error"]["fields"]


def test_the_goal_with_no_words_says_why(world: Any, api_as: Any, plan: Plan) -> None:
    reply = api_as(world.coordinator).post(
        f"/plans/{plan.pk}/goals", _goal_body(plan.version, words="")
    )
    assert reply.json()["error"]["fields"]["words"] == ["Write the goal in the person's own words."]


def test_a_change_without_a_version_is_428(world: Any, api_as: Any, plan: Plan) -> None:
    body = _goal_body(plan.version)
    del body["version"]
    assert_error(api_as(world.coordinator).post(f"/plans/{plan.pk}/goals", body), 428)
    reply = api_as(world.coordinator).post(
        f"/plans/{plan.pk}/goals", body, **{"If-Match": f'"{plan.version}"'}
    )
    assert reply.status_code == 201


def test_a_stale_change_is_a_409_saying_what_changed(world: Any, api_as: Any, plan: Plan) -> None:
    opened = plan.version
    add_goal(world, plan, words="Find a job I like.")
    reply = api_as(world.coordinator).post(f"/plans/{plan.pk}/goals", _goal_body(opened))
    assert_error(reply, 409)
    error = reply.json()["error"]
    assert error["code"] == "stale_version"
    assert error["current_version"] == fresh(plan).version
    assert error["changes"] == ["Goal added: “Find a job I like.”"]
    assert Goal.objects.filter(plan=plan).count() == 1


def test_it_changes_a_goal_in_place(world: Any, api_as: Any, plan: Plan) -> None:
    goal = add_goal(world, plan)
    plan = fresh(plan)
    reply = api_as(world.coordinator).patch(
        f"/plans/{plan.pk}/goals/{goal.pk}",
        {"lifecycle": "completed", "achievement": "achieved", "version": plan.version},
    )
    assert reply.status_code == 200, reply.content
    goal.refresh_from_db()
    assert (goal.lifecycle, goal.achievement, goal.words) == (
        "completed",
        "achieved",
        "I want my own place where my kids can visit.",
    )


def test_readiness_outside_0_to_10_is_refused(world: Any, api_as: Any, plan: Plan) -> None:
    goal = add_goal(world, plan)
    version = fresh(plan).version
    url = f"/plans/{plan.pk}/goals/{goal.pk}/readiness"
    reply = api_as(world.coordinator).post(
        url, {"importance": 11, "confidence": 5, "version": version}
    )
    assert_error(reply, 422)
    assert "importance" in reply.json()["error"]["fields"]
    reply = api_as(world.coordinator).post(
        url, {"importance": 9, "confidence": 5, "why_not_lower": "My kids.", "version": version}
    )
    assert reply.status_code == 201
    assert reply.json()["goals"][0]["readiness"][0]["why_not_lower"] == "My kids."


def test_steps_for_the_person_staff_and_someone_who_matters(
    world: Any, api_as: Any, plan: Plan
) -> None:
    goal = add_goal(world, plan)
    ana = people.support_contact_create(
        actor=world.coordinator,
        person=world.person,
        data={"name": "Ana", "relationship": "family", "may_involve": True},
    )
    stranger = people.support_contact_create(
        actor=world.coordinator,
        person=world.person,
        data={"name": "Tío Beto", "relationship": "family", "may_involve": False},
    )
    api = api_as(world.coordinator)
    url = f"/plans/{plan.pk}/goals/{goal.pk}/steps"
    for owner in (
        {"owner_kind": "person"},
        {"owner_kind": "staff", "owner_user_id": world.coordinator.pk},
        {"owner_kind": "support", "owner_contact_id": ana.pk},
    ):
        body = {"text": "A step", "version": fresh(plan).version} | owner
        assert api.post(url, body).status_code == 201
    refused = [
        ({"owner_kind": "staff", "owner_user_id": world.colleague.pk}, "owner_user_id"),
        ({"owner_kind": "staff", "owner_user_id": 2**63 - 1}, "owner_user_id"),
        ({"owner_kind": "support", "owner_contact_id": stranger.pk}, "owner_contact_id"),
        ({"owner_kind": "person", "text": "  "}, "text"),
    ]
    for owner, field in refused:
        body = {"text": "A step", "version": fresh(plan).version} | owner
        reply = api.post(url, body)
        assert_error(reply, 422)
        assert field in reply.json()["error"]["fields"], owner
    assert Step.objects.filter(goal=goal).count() == 3

    step = Step.objects.filter(goal=goal).first()
    assert step is not None
    reply = api.patch(
        f"/plans/{plan.pk}/steps/{step.pk}", {"done": True, "version": fresh(plan).version}
    )
    assert reply.status_code == 200
    step.refresh_from_db()
    assert step.done_at is not None


def test_activation_without_agreement_is_refused_then_allowed(
    world: Any, api_as: Any, plan: Plan
) -> None:
    add_goal(world, plan)
    api = api_as(world.coordinator)
    reply = api.patch(f"/plans/{plan.pk}", {"status": "active", "version": fresh(plan).version})
    assert_error(reply, 422)
    assert reply.json()["error"]["fields"]["status"] == [
        "Record the person's agreement before the plan starts."
    ]
    reply = api.post(
        f"/plans/{plan.pk}/agreements",
        {"method": "signed", "signature": "Lupe", "version": fresh(plan).version},
    )
    assert reply.status_code == 201
    assert Agreement.objects.get(plan=plan).signature == "Lupe"
    reply = api.patch(f"/plans/{plan.pk}", {"status": "active", "version": fresh(plan).version})
    assert reply.status_code == 200 and reply.json()["status"] == "active"


def test_a_review_with_ratings_and_gas_outside_the_scale(
    world: Any, api_as: Any, plan: Plan
) -> None:
    goal = add_goal(world, plan)
    Plan.objects.filter(pk=plan.pk).update(status="active")
    api = api_as(world.coordinator)
    body = {
        "held_on": timezone.localdate().isoformat(),
        "participants": "Lupe and Casey",
        "person_view": "Going better.",
        "ratings": [{"goal_id": goal.pk, "level": 3}],
        "version": fresh(plan).version,
    }
    reply = api.post(f"/plans/{plan.pk}/reviews", body)
    assert_error(reply, 422)
    assert "ratings.0.level" in reply.json()["error"]["fields"]
    body["ratings"] = [{"goal_id": goal.pk, "level": 1, "note": "Better than expected."}]
    body["held_on"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "held_on" in api.post(f"/plans/{plan.pk}/reviews", body).json()["error"]["fields"]
    body["held_on"] = timezone.localdate().isoformat()
    reply = api.post(f"/plans/{plan.pk}/reviews", body)
    assert reply.status_code == 201, reply.content
    out = reply.json()
    assert out["status"] == "revised"
    assert out["reviews"][0]["rated"] == 1 and out["reviews"][0]["t_score"] > 50


def test_only_the_care_team_writes_and_out_of_scope_is_404(
    world: Any, api_as: Any, plan: Plan
) -> None:
    body = _goal_body(plan.version)
    assert_error(api_as(world.scheduler).post(f"/plans/{plan.pk}/goals", body), 403)
    assert_error(api_as(world.colleague).post(f"/plans/{plan.pk}/goals", body), 404)
    assert_error(api_as(world.outsider).post(f"/plans/{plan.pk}/goals", body), 404)
    assert_error(
        api_as(world.coordinator).patch(f"/plans/{plan.pk}/goals/{2**63 - 1}", {"version": 1}),
        404,
    )
    assert not Goal.objects.filter(plan=plan).exists()


def test_the_api_choices_mirror_the_models() -> None:
    assert set(get_args(plan_writes.Domain)) == set(Goal.Domain.values)
    assert set(get_args(plan_writes.Lifecycle)) == set(Goal.Lifecycle.values)
    assert set(get_args(plan_writes.Achievement)) == {"", *Goal.Achievement.values}
    assert set(get_args(plan_writes.ProfileLink)) == {"", *Goal.ProfileLink.values}
    assert set(get_args(plan_writes.Importance)) == set(Goal.Importance.values)
