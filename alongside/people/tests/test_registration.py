"""Registration asks for a phone, an email and an identifier beside the name and date of
birth, saves them through the services, and names what is wrong with each."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.people import services
from alongside.people.models import ContactPoint, Person, RecordChange
from alongside.people.registration import Reach

FATIMA = {
    "legal_given_name": "Fatima",
    "legal_family_name": "Al-Sayed",
    "date_of_birth": "1990-05-17",
}


def test_it_registers_a_phone_email_and_identifier_with_safe_contact_rules(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("people:create"),
        FATIMA
        | {
            "program": world.housing.pk,
            "phone": "(720) 555-0187",
            "email": "Fatima@Example.org",
            "identifier_kind": "medicaid",
            "identifier_issuer": "CO Medicaid",
            "identifier_value": "ab-123-456",
        },
    )
    person = Person.objects.get(legal_given_name="Fatima")
    assert response.status_code == 302
    phone, email = (
        person.contact_points.get(kind="phone"),
        person.contact_points.get(kind="email"),
    )
    assert phone.normalized == "+17205550187"
    assert not phone.may_text and not phone.may_leave_voicemail
    assert email.normalized == "fatima@example.org"
    identifier = person.identifiers.get()
    assert (identifier.kind, identifier.issuer, identifier.normalized) == (
        "medicaid",
        "CO Medicaid",
        "AB123456",
    )
    created = AuditEvent.objects.filter(person_id=person.pk, action="create")
    assert {e.object_type for e in created} >= {"people.contactpoint", "people.identifier"}
    assert RecordChange.objects.filter(person=person, entity="identifier").exists()
    page = client.get(response["Location"]).content.decode()
    assert "(720) 555-0187" in page and "ab-123-456" in page


def test_it_registers_without_any_of_them(client, world):
    client.force_login(world.coordinator)
    client.post(reverse("people:create"), FATIMA | {"program": world.housing.pk})
    person = Person.objects.get(legal_given_name="Fatima")
    assert not person.contact_points.exists() and not person.identifiers.exists()


@pytest.mark.parametrize(
    "typed,field,message",
    [
        ({"phone": "12"}, "phone", "Enter a valid phone number"),
        ({"email": "fatima@"}, "email", "Enter a valid email address"),
        (
            {"identifier_kind": "mrn", "identifier_value": "123"},
            "identifier_issuer",
            "This field cannot be blank",
        ),
        (
            {"identifier_issuer": "Denver Health", "identifier_value": "123"},
            "identifier_kind",
            "This field cannot be blank",
        ),
        (
            {"identifier_kind": "mrn", "identifier_issuer": "X", "identifier_value": "--"},
            "identifier_value",
            "letters and digits",
        ),
        ({"identifier_kind": "mrn"}, "identifier_value", "Enter the identifier"),
        ({"identifier_kind": "passport", "identifier_value": "1"}, "identifier_kind", "valid"),
    ],
)
def test_it_names_the_field_that_is_wrong_and_saves_nothing(client, world, typed, field, message):
    client.force_login(world.coordinator)
    response = client.post(reverse("people:create"), FATIMA | {"program": world.housing.pk} | typed)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not Person.objects.filter(legal_given_name="Fatima").exists()
    assert not ContactPoint.objects.filter(value__in=typed.values()).exists()


def test_it_reports_every_problem_at_once(world):
    with pytest.raises(ValidationError, match="phone") as raised:
        services.person_create(
            actor=world.coordinator,
            program=world.housing,
            data={"legal_given_name": "", "date_of_birth": None},
            reach=Reach(phone="12", email="nope"),
        )
    assert set(raised.value.message_dict) == {"legal_given_name", "phone", "email"}
    assert not Person.objects.filter(legal_given_name="").exists()


def test_the_form_offers_the_new_fields_in_order(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("people:create")).content.decode()
    at = [page.index(f'id="id_{name}"') for name in ("date_of_birth", "phone", "email")]
    assert at == sorted(at)
    assert 'type="tel"' in page and "Medicaid ID" in page
    kinds = page[page.index('id="id_identifier_kind"') :]
    assert kinds.index('<option value="" selected>No identifier</option>') < kinds.index(
        "</select>"
    )
