from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.lib.validation import full_clean
from alongside.people.models import ContactPoint, Enrollment, PersonLanguage


def test_it_does_not_look_up_a_related_row_the_instance_holds(world: Any) -> None:
    contact = ContactPoint(person=world.person, kind="phone", value="(718) 555-0142")
    with CaptureQueriesContext(connection) as django_way:
        contact.full_clean()
    with CaptureQueriesContext(connection) as ours:
        full_clean(contact)
    assert len(django_way) == 1 and len(ours) == 0
    assert contact.normalized == "+17185550142"  # clean() ran


def test_it_still_looks_up_a_related_row_given_only_by_id(world: Any) -> None:
    contact = ContactPoint(person_id=world.person.pk + 1000, kind="phone", value="7185550142")
    with pytest.raises(ValidationError, match="not a valid choice") as error:
        full_clean(contact)
    assert "person" in error.value.message_dict


def test_it_still_checks_fields_uniqueness_and_constraints_involving_held_rows(
    world: Any,
) -> None:
    PersonLanguage.objects.create(person=world.person, language="es")
    duplicate = PersonLanguage(person=world.person, language="es")
    with pytest.raises(ValidationError, match="already exists"):
        full_clean(duplicate)
    second = Enrollment(person=world.person, program=world.wellness, status="bogus")
    with pytest.raises(ValidationError, match="not a valid choice") as error:
        full_clean(second)
    assert set(error.value.message_dict) == {"status"}
    open_again = Enrollment(person=world.person, program=world.housing, status="active")
    with pytest.raises(ValidationError, match="already has an open enrollment"):
        full_clean(open_again)
