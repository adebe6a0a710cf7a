"""A program's library of goal and step templates: kept by its organization's admins
under /manage/<org>/plans/<program>/templates/ (audited, nobody else reaches it), offered
on the goal form beside the shipped ones, and its usual steps offered on the step form."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.plans import library, programs
from alongside.plans.models import GoalTemplate
from alongside.plans.tests.factories import add_goal, fresh, start_plan

JOB = {
    "title": "A job I like",
    "domain": "employment",
    "importance": "both",
    "restatement": "Find steady work that fits the person's strengths.",
    "gas_0": "Working at least 20 hours a week.",
    "steps": "Update the résumé\n\n  Visit the job center  \n",
    "is_active": "on",
}


def _add(client: Any, world: Any, **changes: str) -> Any:
    url = reverse("manage:goal-templates", args=[world.org.pk, world.housing.pk])
    return client.post(url, JOB | changes)


def test_an_admin_adds_a_template_and_it_is_audited(client: Any, world: Any) -> None:
    client.force_login(world.admin)
    response = _add(client, world)
    assert response.status_code == 302
    template = GoalTemplate.objects.get(program=world.housing)
    assert template.step_lines == ["Update the résumé", "Visit the job center"]
    assert AuditEvent.objects.filter(
        object_type="plans.goaltemplate", object_id=str(template.pk), action="create"
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "A job I like" in page
    listing = client.get(reverse("manage:plan-settings", args=[world.org.pk])).content.decode()
    assert "1 of its own" in listing


def test_a_second_template_of_the_same_title_is_refused_on_the_form(
    client: Any, world: Any
) -> None:
    client.force_login(world.admin)
    _add(client, world)
    response = _add(client, world, title="a job i LIKE")
    assert response.status_code == 422
    assert "already has a template with this title" in response.content.decode()


def test_an_admin_changes_a_template_and_a_stale_change_is_refused(client: Any, world: Any) -> None:
    client.force_login(world.admin)
    _add(client, world)
    template = GoalTemplate.objects.get()
    url = reverse("manage:goal-template-edit", args=[world.org.pk, world.housing.pk, template.pk])
    assert client.post(url, JOB | {"is_active": "", "version": "1"}).status_code == 302
    template.refresh_from_db()
    assert (template.is_active, template.version) == (False, 2)
    event = AuditEvent.objects.filter(object_type="plans.goaltemplate", action="update").get()
    assert event.fields == ["is_active"]
    assert client.post(url, JOB | {"title": "Work", "version": "1"}).status_code == 409
    with pytest.raises(StaleVersion, match="now version 2"):
        programs.goal_template_save(
            actor=world.admin,
            program=world.housing,
            data={"title": "Work"},
            template=template,
            expected_version=1,
        )


def test_only_the_organizations_admins_keep_the_library(client: Any, world: Any) -> None:
    for user in (world.coordinator, world.supervisor, world.outsider):
        client.force_login(user)
        assert _add(client, world).status_code == 404
    assert not GoalTemplate.objects.exists()
    with pytest.raises(NotPermitted, match="Only an organization admin"):
        programs.goal_template_save(actor=world.coordinator, program=world.housing, data=JOB)


def test_a_goal_starts_from_the_programs_template(client: Any, world: Any) -> None:
    template = programs.goal_template_save(
        actor=world.admin,
        program=world.housing,
        data={k: v for k, v in JOB.items() if k != "is_active"},
    )
    other = programs.goal_template_save(
        actor=world.admin, program=world.wellness, data={"title": "Sleep", "domain": "health"}
    )
    plan = start_plan(world)
    client.force_login(world.coordinator)
    url = reverse("plans:goal-add", args=[plan.pk])
    page = client.get(url).content.decode()
    assert f"?from=template:{template.pk}" in page and "A job I like" in page
    assert "A stable place to live" in page  # the shipped ones stay
    assert "Sleep" not in page  # another program's
    filled = client.get(url + f"?from=template:{template.pk}").content.decode()
    assert "Find steady work that fits the person" in filled
    assert "Working at least 20 hours a week." in filled
    assert library.initial_from(world.coordinator, world.person.pk, world.housing.pk, "") == {}
    assert (
        library.initial_from(
            world.coordinator, world.person.pk, world.housing.pk, f"template:{other.pk}"
        )
        == {}
    )
    assert (
        library.initial_from(
            world.coordinator, world.person.pk, world.housing.pk, f"template:{10**30}"
        )
        == {}
    )


def test_a_step_starts_from_the_usual_steps_of_its_domain(client: Any, world: Any) -> None:
    programs.goal_template_save(
        actor=world.admin,
        program=world.housing,
        data={k: v for k, v in JOB.items() if k != "is_active"},
    )
    plan = start_plan(world)
    goal = add_goal(world, plan, words="Work again.", domain="employment")
    plan = fresh(plan)
    client.force_login(world.coordinator)
    url = reverse("plans:step-add", args=[plan.pk, goal.pk])
    page = client.get(url).content.decode()
    assert "Update the résumé" in page and "Visit the job center" in page
    filled = client.get(url + "?suggestion=1").content.decode()
    assert "Visit the job center</textarea>" in filled
    assert client.get(url + "?suggestion=99").status_code == 200
    housing = add_goal(world, fresh(plan), words="A home.")
    shipped = client.get(reverse("plans:step-add", args=[plan.pk, housing.pk])).content.decode()
    assert "Apply for housing assistance" in shipped and "Update the résumé" not in shipped
