"""Every write to a person's record. Each takes the acting user, validates, saves in a
transaction, and records both the history row and the audit event in that transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor, account_of
from alongside.accounts.models import User
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.validation import full_clean
from alongside.organizations.models import Program
from alongside.people import timeline
from alongside.people.contact_rules import contradictions
from alongside.people.models import (
    ContactPoint,
    Enrollment,
    Identifier,
    Person,
    PersonLanguage,
    Profile,
    RecordChange,
    SupportContact,
)
from alongside.people.permissions import can_manage_program
from alongside.people.registration import Reach, registration_details
from alongside.people.sensitivity import SENSITIVE_PROFILE_FIELDS, disclosure_for

M = TypeVar("M", bound=models.Model)

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
ENROLLMENT_FIELDS = (
    "status",
    "referred_on",
    "started_on",
    "ended_on",
    "closure_reason",
    "closure_note",
    "primary_coordinator",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def _assign(instance: M, data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, list[Any]]:
    """Set the given fields; return {field: [old, new]} for those that changed."""
    changes: dict[str, list[Any]] = {}
    for name in allowed:
        if name not in data:
            continue
        old, new = getattr(instance, name), data[name]
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(instance, name, new)
    return changes


def _check_version(model: type[M], pk: int, expected: int | None) -> M:
    current = model._default_manager.select_for_update().get(pk=pk)
    if expected is not None and current.version != expected:  # type: ignore[attr-defined]
        raise StaleVersion(current.version)  # type: ignore[attr-defined]
    return current


def _keep_related(current: M, given: M) -> None:
    """The locked row is read afresh: give it the related rows (person, program) the
    caller's copy already holds, where they are still the same rows, so that validating
    it does not look them up again."""
    for field in current._meta.concrete_fields:
        if (
            isinstance(field, models.ForeignKey)  # OneToOneField too
            and field.is_cached(given)
            and getattr(current, field.attname) == getattr(given, field.attname)
        ):
            field.set_cached_value(current, field.get_cached_value(given))


def _log(
    *, actor: Actor, person: Person, instance: models.Model, action: Action, changes: dict[str, Any]
) -> None:
    sensitive = bool(SENSITIVE_PROFILE_FIELDS & changes.keys())
    RecordChange.objects.create(
        person=person,
        at=timezone.now(),
        actor=account_of(actor),
        action=action,
        entity=instance._meta.model_name or "",
        entity_id=instance.pk,
        changes=changes,
        sensitive=sensitive,
    )
    audit.record_for_person(
        actor=actor, action=action, person=person, obj=instance, fields=changes.keys()
    )


def _save(
    instance: M,
    changes: dict[str, Any],
    *,
    bump: bool = True,
    check: Callable[[M], None] | None = None,
) -> None:
    """Validate (the model's own checks, then the service's `check`, all problems
    reported together), move the version on and save."""
    errors: dict[str, Any] = {}
    for validate in (full_clean, check):
        try:
            if validate is not None:
                validate(instance)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    if bump and changes and hasattr(instance, "version"):
        instance.version += 1
    instance.save()


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
    changes = _assign(person, data, PERSON_FIELDS)
    errors: dict[str, Any] = {}
    contacts: list[ContactPoint] = []
    identifier: Identifier | None = None
    try:
        contacts, identifier = registration_details(reach or Reach())
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        _save(person, changes, bump=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    _log(actor=actor, person=person, instance=person, action=Action.CREATE, changes=changes)
    new_profile = Profile(person=person)
    profile_changes = _assign(new_profile, profile or {}, PROFILE_EDITABLE)
    _save(new_profile, profile_changes, bump=False)
    if profile_changes:
        _log(
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
    current = _check_version(Person, person.pk, version)
    changes = _assign(current, data, PERSON_FIELDS)
    if changes:
        _save(current, changes)
        _log(actor=actor, person=current, instance=current, action=Action.UPDATE, changes=changes)
    return current


@transaction.atomic
def profile_update(
    *, actor: Actor, person: Person, data: Mapping[str, Any], version: int | None
) -> Profile:
    profile, _ = Profile.objects.get_or_create(person=person)
    current = _check_version(Profile, profile.pk, version)
    touches_care_notes = data.get("approach_with_care", current.approach_with_care) != (
        current.approach_with_care
    )
    if touches_care_notes and not disclosure_for(actor, person).reads_care_note:
        raise NotPermitted("Only the person's care team can change approach-with-care notes.")
    changes = _assign(current, data, PROFILE_EDITABLE)
    if changes:
        _save(current, changes)
        _log(actor=actor, person=person, instance=current, action=Action.UPDATE, changes=changes)
    return current


def _child_create(
    *,
    actor: Actor,
    person: Person,
    instance: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    check: Callable[[M], None] | None = None,
) -> M:
    changes = _assign(instance, data, fields)
    _save(instance, changes, bump=False, check=check)
    _log(actor=actor, person=person, instance=instance, action=Action.CREATE, changes=changes)
    return instance


def _child_update(
    *,
    actor: Actor,
    person: Person,
    instance: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    version: int | None,
    check: Callable[[M], None] | None = None,
) -> M:
    current = _check_version(type(instance), instance.pk, version)
    _keep_related(current, instance)
    changes = _assign(current, data, fields)
    if changes:
        _save(current, changes, check=check)
        _log(actor=actor, person=person, instance=current, action=Action.UPDATE, changes=changes)
    return current


def _child_delete(*, actor: Actor, person: Person, instance: models.Model) -> None:
    _log(actor=actor, person=person, instance=instance, action=Action.DELETE, changes={})
    instance.delete()


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
    return _child_create(
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
    return _child_update(
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
    _check_version(ContactPoint, contact.pk, version)
    _child_delete(actor=actor, person=contact.person, instance=contact)


@transaction.atomic
def support_contact_create(
    *, actor: Actor, person: Person, data: Mapping[str, Any]
) -> SupportContact:
    return _child_create(
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
    return _child_update(
        actor=actor,
        person=support.person,
        instance=support,
        data=data,
        fields=SUPPORT_FIELDS,
        version=version,
    )


@transaction.atomic
def support_contact_delete(*, actor: Actor, support: SupportContact) -> None:
    _child_delete(actor=actor, person=support.person, instance=support)


@transaction.atomic
def identifier_create(*, actor: Actor, person: Person, data: Mapping[str, Any]) -> Identifier:
    return _child_create(
        actor=actor,
        person=person,
        instance=Identifier(person=person),
        data=data,
        fields=IDENTIFIER_FIELDS,
    )


@transaction.atomic
def identifier_delete(*, actor: Actor, identifier: Identifier) -> None:
    _child_delete(actor=actor, person=identifier.person, instance=identifier)


@transaction.atomic
def language_add(*, actor: Actor, person: Person, data: Mapping[str, Any]) -> PersonLanguage:
    if data.get("is_preferred"):
        person.languages.update(is_preferred=False)
    return _child_create(
        actor=actor,
        person=person,
        instance=PersonLanguage(person=person),
        data=data,
        fields=("language", "is_preferred", "interpreter_needed"),
    )


@transaction.atomic
def language_remove(*, actor: Actor, language: PersonLanguage) -> None:
    _child_delete(actor=actor, person=language.person, instance=language)


def _refuse_merge_reason(data: Mapping[str, Any], current: str = "") -> None:
    reason = data.get("closure_reason")
    if reason == Enrollment.ClosureReason.MERGED and current != reason:
        raise ValidationError(
            {
                "closure_reason": _(
                    "Only a merge of two records closes an enrollment for this reason."
                )
            }
        )


@transaction.atomic
def enrollment_create(
    *, actor: Actor, person: Person, program: Program, data: Mapping[str, Any]
) -> Enrollment:
    if not can_manage_program(actor, program) or program.organization_id != person.organization_id:
        raise NotPermitted("You can only enroll people in programs you work in.")
    _refuse_merge_reason(data)
    enrollment = _child_create(
        actor=actor,
        person=person,
        instance=Enrollment(person=person, program=program),
        data=data,
        fields=ENROLLMENT_FIELDS,
    )
    timeline.add_entry(
        person=person,
        kind="people.enrollment_created",
        occurred_at=timezone.now(),
        summary=f"{program.name}: {enrollment.get_status_display()}",
        actor=actor,
        program=program,
        subject=enrollment,
    )
    return enrollment


@transaction.atomic
def enrollment_update(
    *, actor: Actor, enrollment: Enrollment, data: Mapping[str, Any], version: int | None
) -> Enrollment:
    if not can_manage_program(actor, enrollment.program):
        raise NotPermitted("You can only change enrollments in programs you work in.")
    _refuse_merge_reason(data, enrollment.closure_reason)
    data = dict(data)
    if data.get("status") == Enrollment.Status.CLOSED and not data.get("ended_on"):
        data["ended_on"] = enrollment.ended_on or timezone.localdate()
    before = (enrollment.get_status_display(), enrollment.primary_coordinator_id)
    updated = _child_update(
        actor=actor,
        person=enrollment.person,
        instance=enrollment,
        data=data,
        fields=ENROLLMENT_FIELDS,
        version=version,
    )
    _enrollment_timeline(actor, updated, *before)
    return updated


def _enrollment_timeline(
    actor: Any, enrollment: Enrollment, status_before: str, coordinator_before: int | None
) -> None:
    """The journey entries for what changed in an enrollment: its status, its
    primary coordinator."""
    program = enrollment.program
    status = enrollment.get_status_display()
    if status != status_before:
        summary = f"{program.name}: {status_before} → {status}"
        if enrollment.closure_reason:
            summary += f" ({enrollment.get_closure_reason_display()})"
        _enrollment_entry(actor, enrollment, "people.enrollment_status_changed", summary)
    if enrollment.primary_coordinator_id != coordinator_before:
        coordinator = enrollment.primary_coordinator
        who = (coordinator.get_full_name() or coordinator.get_username()) if coordinator else ""
        summary = (
            f"{program.name}: primary coordinator is now {who}"
            if who
            else f"{program.name}: no primary coordinator"
        )
        _enrollment_entry(actor, enrollment, "people.enrollment_coordinator_changed", summary)


def _enrollment_entry(actor: Any, enrollment: Enrollment, kind: str, summary: str) -> None:
    timeline.add_entry(
        person=enrollment.person,
        kind=kind,
        occurred_at=timezone.now(),
        summary=summary,
        actor=actor,
        program=enrollment.program,
        subject=enrollment,
    )


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
