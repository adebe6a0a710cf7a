"""Plans over the API, read-only: a plan as JSON and as a FHIR CarePlan, scoped and
audited, with goals about mental health, substance use or safety restricted outside the
care team."""

from __future__ import annotations

from typing import Any

from django.db import connection
from fhir.resources.R4B.careplan import CarePlan

from alongside.api.tests.conftest import assert_error
from alongside.audit.models import AuditEvent
from alongside.people.sensitivity import RESTRICTED
from alongside.plans import services
from alongside.plans.tests.factories import add_goal, fresh, start_plan

WORDS = "  Keep my apartment, and have the kids over on Sundays.  "


def _plan(world: Any) -> Any:
    plan = start_plan(world)
    goal = add_goal(
        world, plan, words=WORDS, restatement="Housing stability.", achievement="improving"
    )
    services.step_add(
        actor=world.coordinator,
        goal=goal,
        data={"text": "Pay rent on the 1st", "owner_kind": "person"},
        expected_version=None,
    )
    add_goal(world, plan, words="Stay sober on weekends.", domain="substance_use")
    return fresh(plan)


def test_it_reads_a_plan_with_the_persons_words_exactly(world: Any, api_as: Any) -> None:
    plan = _plan(world)
    reply = api_as(world.coordinator).get(f"/plans/{plan.pk}")
    assert reply.status_code == 200
    assert reply["ETag"] == f'"{plan.version}"'
    body = reply.json()
    assert (body["status"], body["program"], body["person_id"]) == (
        "draft",
        "Housing Navigation",
        world.person.pk,
    )
    first, second = body["goals"]
    assert first["words"] == WORDS
    assert (first["importance"], first["achievement"]) == ("to", "improving")
    assert first["steps"][0]["text"] == "Pay rent on the 1st"
    assert second["words"] == "Stay sober on weekends."
    assert body["fhir_url"] == f"/api/v1/plans/{plan.pk}/fhir"
    assert AuditEvent.objects.filter(
        action="view", person_id=world.person.pk, detail__purpose="api"
    ).exists()


def test_it_restricts_a_sensitive_goal_outside_the_care_team(world: Any, api_as: Any) -> None:
    plan = _plan(world)
    body = api_as(world.scheduler).get(f"/plans/{plan.pk}").json()
    assert body["goals"][0]["words"] == WORDS
    assert body["goals"][1] == {
        "id": body["goals"][1]["id"],
        "importance": "to",
        "priority": 2,
        "lifecycle": "active",
        "restricted": True,
        "reason": RESTRICTED,
    }
    assert "sober" not in str(body)


def test_a_plan_out_of_scope_is_a_404(world: Any, api_as: Any) -> None:
    plan = _plan(world)
    for user in (world.colleague, world.outsider):
        assert_error(api_as(user).get(f"/plans/{plan.pk}"), 404)
        assert_error(api_as(user).get(f"/plans/{plan.pk}/fhir"), 404)


def test_it_gives_the_plan_as_a_valid_fhir_care_plan(world: Any, api_as: Any) -> None:
    plan = _plan(world)
    reply = api_as(world.coordinator).get(f"/plans/{plan.pk}/fhir")
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/fhir+json")
    resource = reply.json()
    CarePlan.model_validate(resource)
    assert (resource["status"], resource["intent"]) == ("draft", "plan")
    housing, sober = resource["contained"]
    assert housing["description"]["text"] == WORDS
    assert housing["lifecycleStatus"] == "active"
    assert housing["achievementStatus"]["coding"][0]["code"] == "improving"
    assert housing["note"] == [{"text": "Housing stability."}]
    assert resource["activity"][0]["detail"]["goal"] == [{"reference": f"#{housing['id']}"}]
    assert sober["description"]["text"] == "Stay sober on weekends."


def test_the_fhir_care_plan_masks_a_sensitive_goal_outside_the_care_team(
    world: Any, api_as: Any
) -> None:
    plan = _plan(world)
    resource = api_as(world.scheduler).get(f"/plans/{plan.pk}/fhir").json()
    CarePlan.model_validate(resource)
    sober = resource["contained"][1]
    assert sober["description"]["extension"][0]["valueCode"] == "masked"
    assert sober["lifecycleStatus"] == "active"
    assert "sober" not in str(resource).lower()


AUDIT = 1 if connection.vendor == "postgresql" else 3
# The token with its user and memberships (1), the plan with its person (1), the
# audited read; on SQLite also the person's enrollments (1) and the snapshot (6), which
# on PostgreSQL come with the plan (plans/snapshot_rows.py).
PLAN = 2 + AUDIT + (0 if connection.vendor == "postgresql" else 7)


def test_it_pins_the_plan(world: Any, api_as: Any, django_assert_num_queries: Any) -> None:
    plan = _plan(world)
    api = api_as(world.coordinator)
    with django_assert_num_queries(PLAN):
        api.get(f"/plans/{plan.pk}")
    add_goal(world, fresh(plan), words="One more", importance="both")
    with django_assert_num_queries(PLAN):
        assert api.get(f"/plans/{plan.pk}").status_code == 200


def test_it_downloads_the_plan_the_person_keeps_in_spanish(world: Any, api_as: Any) -> None:
    import io  # noqa: PLC0415

    import pypdf  # noqa: PLC0415

    plan = _plan(world)
    reply = api_as(world.coordinator).get(f"/plans/{plan.pk}/pdf", {"lang": "es"})
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    assert reply["Content-Disposition"] == f'attachment; filename="plan-{plan.pk}-es.pdf"'
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in pypdf.PdfReader(io.BytesIO(reply.content)).pages
    )
    assert "Mis metas" in text and "Keep my apartment" in text
    assert AuditEvent.objects.filter(
        action="view", person_id=world.person.pk, detail__purpose="plan: print"
    ).exists()
    assert_error(api_as(world.coordinator).get(f"/plans/{plan.pk}/pdf", {"lang": "xx"}), 422)
    for user in (world.colleague, world.outsider):
        assert_error(api_as(user).get(f"/plans/{plan.pk}/pdf"), 404)


def test_the_pdf_languages_are_the_interfaces() -> None:
    from typing import get_args  # noqa: PLC0415

    from alongside.api.plans import Language  # noqa: PLC0415
    from alongside.plans.printout import PRINT_LANGUAGES  # noqa: PLC0415

    assert get_args(Language) == PRINT_LANGUAGES


def test_it_lists_a_persons_plans_in_a_fixed_number_of_queries(
    world: Any, api_as: Any, django_assert_num_queries: Any
) -> None:
    from alongside.people import services as people  # noqa: PLC0415

    plan = _plan(world)
    api = api_as(world.coordinator)
    with django_assert_num_queries(PLAN_LIST):
        reply = api.get(f"/people/{world.person.pk}/plans")
    (only,) = reply.json()
    assert (only["id"], only["current_goals"], only["open_steps"]) == (plan.pk, 2, 1)
    enrollment = people.enrollment_create(
        actor=world.colleague, person=world.person, program=world.wellness, data={}
    )
    services.plan_start(actor=world.coordinator, enrollment=enrollment)
    with django_assert_num_queries(PLAN_LIST):
        assert len(api.get(f"/people/{world.person.pk}/plans").json()) == 2
    assert_error(api_as(world.outsider).get(f"/people/{world.person.pk}/plans"), 404)


# The token with its user (1), the person (1), the audited read (one statement on
# PostgreSQL, three on SQLite), the plans with their counts (1), however many plans.
PLAN_LIST = 4 if connection.vendor == "postgresql" else 6
