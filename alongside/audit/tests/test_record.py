"""Appending events: actions come from one enumeration, and an event about a person names
the person and their organization."""

from types import SimpleNamespace

import pytest

from alongside.audit import services as audit
from alongside.audit.models import AuditEvent
from alongside.audit.services import Action


@pytest.mark.django_db
def test_it_refuses_an_action_outside_the_enumeration():
    with pytest.raises(ValueError, match="'peek' is not a valid"):
        audit.record(actor=None, action="peek", object_type="people.person")  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_it_stores_the_actions_name_as_plain_text():
    event = audit.record(actor=None, action=Action.EXPORT, object_type="people.person")
    event.refresh_from_db()
    assert event.action == "export" and type(event.action) is str
    assert AuditEvent.objects.filter(action="export").count() == 1


@pytest.mark.django_db
def test_it_names_the_person_and_their_organization_of_an_event_about_them(world):
    person = SimpleNamespace(pk=42, organization_id=world.org.pk)
    event = audit.record_for_person(
        actor=world.coordinator,
        action=Action.UPDATE,
        person=person,
        obj=world.housing,
        fields=["name"],
        detail={"why": "test"},
    )
    event.refresh_from_db()
    assert (event.person_id, event.organization_id) == (42, world.org.pk)
    assert (event.object_type, event.object_id) == ("organizations.program", str(world.housing.pk))
    assert event.fields == ["name"] and event.detail == {"why": "test"}
