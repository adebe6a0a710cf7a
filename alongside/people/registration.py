"""What registration takes beside the person's identity: a phone, an email and an
identifier, checked together before anything is saved (`services.person_create` saves
them through the contact point and identifier services)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alongside.people.models import ContactPoint, Identifier


@dataclass(frozen=True)
class Reach:
    """How to reach and recognise a person being registered: a phone, an email and one
    identifier (its kind, issuer and value), each optional."""

    phone: str = ""
    email: str = ""
    identifier_kind: str = ""
    identifier_issuer: str = ""
    identifier_value: str = ""


def registration_details(reach: Reach) -> tuple[list[ContactPoint], Identifier | None]:
    """The contact points and identifier of a registration, checked before anything is
    saved, with errors named for the registration's own fields."""
    errors: dict[str, Any] = {}
    contacts: list[ContactPoint] = []
    for name, contact_kind in (
        ("phone", ContactPoint.Kind.PHONE),
        ("email", ContactPoint.Kind.EMAIL),
    ):
        value = getattr(reach, name).strip()
        if not value:
            continue
        contact = ContactPoint(kind=contact_kind, value=value)
        try:
            contact.clean()
        except ValidationError as error:
            errors[name] = error.message_dict.get("value", error.messages)
        contacts.append(contact)
    identifier = None
    kind, issuer = reach.identifier_kind.strip(), reach.identifier_issuer.strip()
    value = reach.identifier_value.strip()
    if value:
        identifier = Identifier(kind=kind, issuer=issuer, value=value)
        try:
            identifier.full_clean(exclude=["person"], validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"identifier_{field}"] = messages
    elif kind or issuer:
        errors["identifier_value"] = [
            _("Enter the identifier, or leave its type and issuer empty.")
        ]
    if errors:
        raise ValidationError(errors)
    return contacts, identifier
