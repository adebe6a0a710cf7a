"""Organization, program and location services: only admins, validated, audited."""

import pytest
from django.core.exceptions import ValidationError

from alongside.audit.models import AuditEvent
from alongside.lib.errors import NotPermitted
from alongside.organizations import services
from alongside.organizations.models import Location, Program


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "outsider"])
def test_it_lets_only_the_organizations_admins_write(world, persona):
    actor = getattr(world, persona)
    before = AuditEvent.objects.count()
    with pytest.raises(NotPermitted, match="admins can change its settings"):
        services.organization_update(actor=actor, organization=world.org, data={"name": "X"})
    with pytest.raises(NotPermitted, match="admins can change its settings"):
        services.program_create(actor=actor, organization=world.org, data={"name": "X"})
    with pytest.raises(NotPermitted, match="admins can change its settings"):
        services.program_set_active(actor=actor, program=world.housing, active=False)
    with pytest.raises(NotPermitted, match="admins can change its settings"):
        services.location_create(actor=actor, organization=world.org, data={"name": "X"})
    assert AuditEvent.objects.count() == before
    world.housing.refresh_from_db()
    assert world.housing.is_active


def test_it_refuses_an_admin_of_another_organization(world):
    with pytest.raises(NotPermitted, match="admins can change its settings"):
        services.program_update(
            actor=world.admin, program=world.other_program, data={"name": "Mine"}
        )


def test_it_validates_before_saving_and_records_nothing_on_failure(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="already has a program with this name") as refused:
        services.program_create(
            actor=world.admin, organization=world.org, data={"name": "HOUSING NAVIGATION"}
        )
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError, match=r"'name'.*cannot be blank"):
        services.location_create(actor=world.admin, organization=world.org, data={"name": ""})
    with pytest.raises(ValidationError, match="'customer' is not a valid choice"):
        services.organization_update(
            actor=world.admin, organization=world.org, data={"person_label": "customer"}
        )
    assert AuditEvent.objects.count() == before
    assert Program.objects.filter(organization=world.org).count() == 2


def test_it_records_the_names_of_changed_fields(world):
    location = services.location_create(
        actor=world.admin, organization=world.org, data={"name": "Clinic", "phone": "555-0100"}
    )
    services.location_update(
        actor=world.admin, location=location, data={"name": "Clinic", "phone": "555-0199"}
    )
    event = AuditEvent.objects.latest("id")
    assert event.fields == ["phone"] and event.object_id == str(location.pk)
    assert event.detail == {}
    services.location_set_active(actor=world.admin, location=location, active=False)
    assert not Location.objects.get(pk=location.pk).is_active
