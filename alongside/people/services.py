"""Every write to a person's record. Each takes the acting user, validates, saves in a
transaction, and records both the history row and the audit event in that transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from alongside.accounts.actors import Actor, account_of
from alongside.accounts.models import User
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.organizations.models import Program
from alongside.people.contact_rules import contradictions
from alongside.people.enrollment_services import ENROLLMENT_FIELDS as ENROLLMENT_FIELDS
from alongside.people.enrollment_services import enrollment_create as enrollment_create
from alongside.people.enrollment_services import enrollment_update as enrollment_update
from alongside.people.models import (
    ContactPoint,
    Enrollment,
    Identifier,
    Person,
    PersonLanguage,
    Profile,
    SupportContact,
)
from alongside.people.permissions import can_manage_program
from alongside.people.record_writes import (
    assign,
    check_version,
    child_create,
    child_delete,
    child_update,
    log_change,
    save_checked,
)
from alongside.people.registration import Reach, registration_details
from alongside.people.sensitivity import disclosure_for

PERSON_FIELDS = (
    "legal_given_name",
    "legal_family_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "sex",
    "gender_identity",
    "time_zone",
)
PROFILE_EDITABLE = (
    "appreciated",
    "important_to",
    "important_for",
    "how_to_support",
    "strengths",
    "hopes",
    "want_to_change",
    "culture_identity",
    "stress_helps",
    "approach_with_care",
)
CONTACT_FIELDS = (
    "kind",
    "label",
    "value",
    "is_preferred",
    "may_call",
    "may_leave_voicemail",
    "may_text",
    "may_email",
    "voice_reason",
    "voicemail_reason",
    "text_reason",
    "email_reason",
    "voice_from",
    "voice_until",
    "voicemail_from",
    "voicemail_until",
    "text_from",
    "text_until",
    "email_from",
    "email_until",
    "safe_hours_start",
    "safe_hours_end",
    "best_times",
    "never_contact_times",
    "safety_note",
)
# The per-channel rules beside the two flags older clients know (may_text, voicemail).
CHANNEL_RULE_FIELDS = tuple(
    name
    for name in CONTACT_FIELDS
    if name in ("may_call", "may_email") or name.endswith(("_reason", "_from", "_until"))
)
SUPPORT_FIELDS = (
    "name",
    "relationship",
    "relationship_detail",
    "phone",
    "email",
    "may_involve",
    "note",
)
IDENTIFIER_FIELDS = ("kind", "issuer", "value")


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    program: Program,
    data: Mapping[str, Any],
    profile: Mapping[str, Any] | None = None,
    primary_coordinator: User | None = None,
    reach: Reach | None = None,
) -> Person:
    """Register a person with a first enrollment (status referred) in one of the actor's
    programs, which is what makes them visible to that program's staff; with the phone,
    email and identifier of `reach`, if given (contact rules start safe: no voicemail,
    no texts)."""
    if not can_manage_program(actor, program):
        raise NotPermitted("You can only register people in your own programs.")
    person = Person(organization_id=program.organization_id, created_by=account_of(actor))
    changes = assign(person, data, PERSON_FIELDS)
    errors: dict[str, Any] = {}
    contacts: list[ContactPoint] = []
    identifier: Identifier | None = None
    try:
        contacts, identifier = registration_details(reach or Reach())
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        save_checked(person, changes, bump=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    log_change(actor=actor, person=person, instance=person, action=Action.CREATE, changes=changes)
    new_profile = Profile(person=person)
    profile_changes = assign(new_profile, profile or {}, PROFILE_EDITABLE)
    save_checked(new_profile, profile_changes, bump=False)
    if profile_changes:
        log_change(
            actor=actor,
            person=person,
            instance=new_profile,
            action=Action.CREATE,
            changes=profile_changes,
        )
    for contact in contacts:
        contact_point_create(
            actor=actor, person=person, data={"kind": contact.kind, "value": contact.value}
        )
    if identifier is not None:
        identifier_create(
            actor=actor,
            person=person,
            data={name: getattr(identifier, name) for name in IDENTIFIER_FIELDS},
        )
    enrollment_create(
        actor=actor,
        person=person,
        program=program,
        data={
            "status": Enrollment.Status.REFERRED,
            "referred_on": timezone.localdate(),
            "primary_coordinator": primary_coordinator,
        },
    )
    return person


@transaction.atomic
def person_update(
    *, actor: Actor, person: Person, data: Mapping[str, Any], version: int | None
) -> Person:
    current = check_version(Person, person.pk, version)
    changes = assign(current, data, PERSON_FIELDS)
    if changes:
        save_checked(current, changes)
        log_change(
            actor=actor, person=current, instance=current, action=Action.UPDATE, changes=changes
        )
    return current


@transaction.atomic
def profile_update(
    *, actor: Actor, person: Person, data: Mapping[str, Any], version: int | None
) -> Profile:
    profile, _ = Profile.objects.get_or_create(person=person)
    current = check_version(Profile, profile.pk, version)
    touches_care_notes = data.get("approach_with_care", current.approach_with_care) != (
        current.approach_with_care
    )
    if touches_care_notes and not disclosure_for(actor, person).reads_care_note:
        raise NotPermitted("Only the person's care team can change approach-with-care notes.")
    changes = assign(current, data, PROFILE_EDITABLE)
    if changes:
        save_checked(current, changes)
        log_change(
            actor=actor, person=person, instance=current, action=Action.UPDATE, changes=changes
        )
    return current


def _check_safe_contact(contact: ContactPoint) -> None:
    """Refuse checkboxes that allow what the contact's own safety note forbids."""
    found = contradictions(
        safety_note=contact.safety_note,
        may_text=contact.may_text,
        may_leave_voicemail=contact.may_leave_voicemail,
        may_email=contact.may_email,
    )
    if found:
        raise ValidationError(
            {
                field: ValidationError(why, code="contradicts_safety_note")
                for field, why in found.items()
            }
        )


@transaction.atomic
def contact_point_create(*, actor: Actor, person: Person, data: Mapping[str, Any]) -> ContactPoint:
    return child_create(
        actor=actor,
        person=person,
        instance=ContactPoint(person=person),
        data=data,
        fields=CONTACT_FIELDS,
        check=_check_safe_contact,
    )


@transaction.atomic
def contact_point_update(
    *, actor: Actor, contact: ContactPoint, data: Mapping[str, Any], version: int | None
) -> ContactPoint:
    return child_update(
        actor=actor,
        person=contact.person,
        instance=contact,
        data=data,
        fields=CONTACT_FIELDS,
        version=version,
        check=_check_safe_contact,
    )


@transaction.atomic
def contact_point_delete(
    *, actor: Actor, contact: ContactPoint, version: int | None = None
) -> None:
    check_version(ContactPoint, contact.pk, version)
    child_delete(actor=actor, person=contact.person, instance=contact)


@transaction.atomic
def support_contact_create(
    *, actor: Actor, person: Person, data: Mapping[str, Any]
) -> SupportContact:
    return child_create(
        actor=actor,
        person=person,
        instance=SupportContact(person=person),
        data=data,
        fields=SUPPORT_FIELDS,
    )


@transaction.atomic
def support_contact_update(
    *, actor: Actor, support: SupportContact, data: Mapping[str, Any], version: int | None
) -> SupportContact:
    return child_update(
        actor=actor,
        person=support.person,
        instance=support,
        data=data,
        fields=SUPPORT_FIELDS,
        version=version,
    )


@transaction.atomic
def support_contact_delete(*, actor: Actor, support: SupportContact) -> None:
    child_delete(actor=actor, person=support.person, instance=support)


@transaction.atomic
def identifier_create(*, actor: Actor, person: Person, data: Mapping[str, Any]) -> Identifier:
    return child_create(
        actor=actor,
        person=person,
        instance=Identifier(person=person),
        data=data,
        fields=IDENTIFIER_FIELDS,
    )


@transaction.atomic
def identifier_delete(*, actor: Actor, identifier: Identifier) -> None:
    child_delete(actor=actor, person=identifier.person, instance=identifier)


@transaction.atomic
def language_add(*, actor: Actor, person: Person, data: Mapping[str, Any]) -> PersonLanguage:
    if data.get("is_preferred"):
        person.languages.update(is_preferred=False)
    return child_create(
        actor=actor,
        person=person,
        instance=PersonLanguage(person=person),
        data=data,
        fields=("language", "is_preferred", "interpreter_needed"),
    )


@transaction.atomic
def language_remove(*, actor: Actor, language: PersonLanguage) -> None:
    child_delete(actor=actor, person=language.person, instance=language)


def record_contact(*, person: Person, at: dt.datetime) -> None:
    """Note that the care team reached the person at `at` (called by the service that
    records the contact, inside its transaction; it does its own auditing). Only moves
    forward, so a late-recorded older contact leaves a newer one in place."""
    if timezone.is_naive(at):
        raise ValueError("A contact time must be timezone-aware.")
    Person.objects.filter(pk=person.pk).filter(
        models.Q(last_contacted_at__isnull=True) | models.Q(last_contacted_at__lt=at)
    ).update(last_contacted_at=at)
    if person.last_contacted_at is None or person.last_contacted_at < at:
        person.last_contacted_at = at
