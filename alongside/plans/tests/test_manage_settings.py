"""The organization admin's plan settings page (/manage/<org>/plans/): each program's
settings listed, changed through a form, audited; nobody else reaches it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.organizations.models import Program
from alongside.plans.models import PlanSettings
from alongside.plans.programs import settings_for

EDIT = "manage:plan-settings-edit"
DEFAULTS = {"review_interval_days": "90", "requires_agreement": "on"}


def _edit(client: Any, world: Any, **changes: str | None) -> Any:
    data = {k: v for k, v in (DEFAULTS | changes).items() if v is not None}
    return client.post(reverse(EDIT, args=[world.org.pk, world.housing.pk]), data)


def _audited_fields(world: Any) -> list[list[str]]:
    rows = AuditEvent.objects.filter(object_type="plans.plansettings", action="update")
    return [row.fields for row in rows.order_by("pk")]


def test_the_list_shows_each_program_with_its_settings(client: Any, world: Any) -> None:
    PlanSettings.objects.create(program=world.housing, review_interval_days=45)
    Program.objects.create(organization=world.org, name="Youth Mentoring")
    client.force_login(world.admin)
    page = client.get(reverse("manage:plan-settings", args=[world.org.pk])).content.decode()
    assert "Housing Navigation" in page and "Youth Mentoring" in page
    assert "<td>45</td>" in page and "<td>90</td>" in page  # its own, and the defaults
    assert "Care Coordination" not in page  # another organization's program


def test_an_admin_changes_each_setting_and_each_change_is_audited(client: Any, world: Any) -> None:
    client.force_login(world.admin)
    form = client.get(reverse(EDIT, args=[world.org.pk, world.housing.pk]))
    assert form.status_code == 200 and 'value="90"' in form.content.decode()
    for changes, field in (
        ({"review_interval_days": "30"}, "review_interval_days"),
        ({"review_interval_days": "30", "requires_agreement": None}, "requires_agreement"),
        (
            {"review_interval_days": "30", "requires_agreement": None, "requires_signature": "on"},
            "requires_signature",
        ),
        (
            {
                "review_interval_days": "30",
                "requires_agreement": None,
                "requires_signature": "on",
                "requires_approval": "on",
            },
            "requires_approval",
        ),
    ):
        response = _edit(client, world, **changes)
        assert response.status_code == 302, field
        assert _audited_fields(world)[-1] == [field]
    saved = settings_for(world.housing.pk)
    assert saved.review_interval_days == 30
    assert not saved.requires_agreement
    assert saved.requires_signature and saved.requires_approval
    assert AuditEvent.objects.filter(object_type="plans.plansettings").count() == 4


def test_saving_without_a_change_writes_nothing(client: Any, world: Any) -> None:
    client.force_login(world.admin)
    assert _edit(client, world).status_code == 302
    assert not PlanSettings.objects.exists() and _audited_fields(world) == []


def test_an_interval_out_of_range_is_a_field_error(client: Any, world: Any) -> None:
    client.force_login(world.admin)
    response = _edit(client, world, review_interval_days="3")
    assert response.status_code == 422
    assert "greater than or equal to 7" in response.content.decode()
    assert not PlanSettings.objects.exists()


def test_only_the_organizations_admins_reach_the_page(client: Any, world: Any) -> None:
    other_program = Program.objects.get(organization=world.other_org)
    for user in (world.coordinator, world.supervisor, world.outsider):
        client.force_login(user)
        assert client.get(reverse("manage:plan-settings", args=[world.org.pk])).status_code == 404
        assert _edit(client, world, review_interval_days="30").status_code == 404
    client.force_login(world.admin)
    theirs = reverse(EDIT, args=[world.org.pk, other_program.pk])
    assert client.post(theirs, DEFAULTS | {"review_interval_days": "30"}).status_code == 404
    elsewhere = reverse("manage:plan-settings", args=[world.other_org.pk])
    assert client.get(elsewhere).status_code == 404
    assert not PlanSettings.objects.exists()


def test_the_list_takes_a_fixed_number_of_queries(
    client: Any, world: Any, django_assert_num_queries: Any
) -> None:
    for name in ("Youth Mentoring", "Reentry Support", "Food Access"):
        program = Program.objects.create(organization=world.org, name=name)
        PlanSettings.objects.create(program=program)
    client.force_login(world.admin)
    url = reverse("manage:plan-settings", args=[world.org.pk])
    # session, user, roles, organization, the programs with their settings, the urgent flags
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
