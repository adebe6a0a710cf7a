"""Writes to an organization's settings, programs and locations. Each takes the acting
organization admin (or, to create an organization, the system), validates, saves in a
transaction and records its audit event there."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.actors import SystemActor, ensure_system
from alongside.lib.errors import NotPermitted
from alongside.organizations.models import Location, Organization, Program

M = TypeVar("M", bound=models.Model)

ORGANIZATION_FIELDS = (
    "name",
    "person_label",
    "country",
    "subdivision",
    "time_zone",
    "allow_unvalidated_translations",
)
# The slug is in addresses and commands (`find_duplicates --organization`): set once.
NEW_ORGANIZATION_FIELDS = ("name", "slug", "person_label")
PROGRAM_FIELDS = ("name", "description")
LOCATION_FIELDS = ("name", "address", "phone", "time_zone")


def ensure_admin(actor: Actor, organization_id: int) -> None:
    if not scope_for(actor).is_admin_of(organization_id):
        raise NotPermitted("Only this organization's admins can change its settings.")


def assign(instance: M, data: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the allowed fields present in data; return the names of those that changed."""
    changed = []
    for name in allowed:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


def check_organization_name(name: str, *, exclude_pk: int | None = None) -> None:
    others = Organization.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError("Another organization already uses this name.")


def _check_unique_name(instance: Program | Location | Organization) -> None:
    if isinstance(instance, Organization):
        try:
            check_organization_name(instance.name, exclude_pk=instance.pk)
        except ValidationError as error:
            raise ValidationError({"name": error.messages}) from None
    elif isinstance(instance, Program):
        siblings = Program.objects.filter(organization_id=instance.organization_id)
        if siblings.filter(name__iexact=instance.name).exclude(pk=instance.pk).exists():
            raise ValidationError(
                {"name": "This organization already has a program with this name."}
            )


def _save(
    *, actor: Actor, instance: M, action: Action, changed: list[str], organization_id: int
) -> M:
    _check_unique_name(instance)  # type: ignore[arg-type]
    instance.full_clean()
    instance.save()
    audit.record(
        actor=actor,
        action=action,
        obj=instance,
        organization_id=organization_id,
        fields=changed,
    )
    return instance


@transaction.atomic
def organization_create(
    *,
    actor: SystemActor,
    data: Mapping[str, Any],
    programs: Sequence[Mapping[str, Any]] = (),
    locations: Sequence[Mapping[str, Any]] = (),
) -> tuple[Organization, list[Program], list[Location]]:
    """Create an organization with its programs and locations, in the order given. The
    system does it, since a new organization has no admin yet (its first one comes with
    `organizations.staff.organization_bootstrap`); each is validated and audited as when
    an admin adds one."""
    ensure_system(actor)
    organization = Organization()
    changed = assign(organization, data, NEW_ORGANIZATION_FIELDS)
    _check_unique_name(organization)
    organization.full_clean()
    organization.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=organization,
        organization_id=organization.pk,
        fields=changed,
    )
    made_programs = [
        _create(
            actor=actor, instance=Program(organization=organization), data=p, fields=PROGRAM_FIELDS
        )
        for p in programs
    ]
    made_locations = [
        _create(
            actor=actor,
            instance=Location(organization=organization),
            data=loc,
            fields=LOCATION_FIELDS,
        )
        for loc in locations
    ]
    return organization, made_programs, made_locations


def _create(*, actor: Actor, instance: M, data: Mapping[str, Any], fields: Iterable[str]) -> M:
    """Save a new program or location of an organization; the caller checked the actor."""
    changed = assign(instance, data, fields)
    return _save(
        actor=actor,
        instance=instance,
        action=Action.CREATE,
        changed=changed,
        organization_id=instance.organization_id,  # type: ignore[attr-defined]
    )


@transaction.atomic
def organization_update(
    *, actor: Actor, organization: Organization, data: Mapping[str, Any]
) -> Organization:
    ensure_admin(actor, organization.pk)
    current = Organization.objects.select_for_update().get(pk=organization.pk)
    changed = assign(current, data, ORGANIZATION_FIELDS)
    if changed:
        _save(
            actor=actor,
            instance=current,
            action=Action.UPDATE,
            changed=changed,
            organization_id=current.pk,
        )
    return current


@transaction.atomic
def program_create(*, actor: Actor, organization: Organization, data: Mapping[str, Any]) -> Program:
    ensure_admin(actor, organization.pk)
    return _create(
        actor=actor, instance=Program(organization=organization), data=data, fields=PROGRAM_FIELDS
    )


def _update(*, actor: Actor, instance: M, data: Mapping[str, Any], fields: Iterable[str]) -> M:
    """Update one of an organization's programs or locations, as its admin."""
    organization_id = instance.organization_id  # type: ignore[attr-defined]
    ensure_admin(actor, organization_id)
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    changed = assign(current, data, fields)
    if changed:
        _save(
            actor=actor,
            instance=current,
            action=Action.UPDATE,
            changed=changed,
            organization_id=organization_id,
        )
    return current


@transaction.atomic
def program_update(*, actor: Actor, program: Program, data: Mapping[str, Any]) -> Program:
    return _update(actor=actor, instance=program, data=data, fields=PROGRAM_FIELDS)


@transaction.atomic
def program_set_active(*, actor: Actor, program: Program, active: bool) -> Program:
    """Deactivate (or reactivate) a program. Nothing is deleted: enrollments, roles and
    history stay; an inactive program just takes no new people or staff."""
    return _update(actor=actor, instance=program, data={"is_active": active}, fields=["is_active"])


@transaction.atomic
def location_create(
    *, actor: Actor, organization: Organization, data: Mapping[str, Any]
) -> Location:
    ensure_admin(actor, organization.pk)
    return _create(
        actor=actor, instance=Location(organization=organization), data=data, fields=LOCATION_FIELDS
    )


@transaction.atomic
def location_update(*, actor: Actor, location: Location, data: Mapping[str, Any]) -> Location:
    return _update(actor=actor, instance=location, data=data, fields=LOCATION_FIELDS)


@transaction.atomic
def location_set_active(*, actor: Actor, location: Location, active: bool) -> Location:
    return _update(actor=actor, instance=location, data={"is_active": active}, fields=["is_active"])
