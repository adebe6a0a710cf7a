"""How every write to a person's record is made (people.services and its enrollment
services use these): set the given fields and note what changed, lock the row and check
its version, validate, save, and record the history row and the audit event in the
caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from alongside.accounts.actors import Actor, account_of
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import StaleVersion
from alongside.lib.validation import full_clean
from alongside.people.models import Person, RecordChange
from alongside.people.sensitivity import SENSITIVE_PROFILE_FIELDS

M = TypeVar("M", bound=models.Model)


def plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def assign(instance: M, data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, list[Any]]:
    """Set the given fields; return {field: [old, new]} for those that changed."""
    changes: dict[str, list[Any]] = {}
    for name in allowed:
        if name not in data:
            continue
        old, new = getattr(instance, name), data[name]
        if old != new:
            changes[name] = [plain(old), plain(new)]
            setattr(instance, name, new)
    return changes


def check_version(model: type[M], pk: int, expected: int | None) -> M:
    current = model._default_manager.select_for_update().get(pk=pk)
    if expected is not None and current.version != expected:  # type: ignore[attr-defined]
        raise StaleVersion(current.version)  # type: ignore[attr-defined]
    return current


def keep_related(current: M, given: M) -> None:
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


def log_change(
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


def save_checked(
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


def child_create(
    *,
    actor: Actor,
    person: Person,
    instance: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    check: Callable[[M], None] | None = None,
) -> M:
    changes = assign(instance, data, fields)
    save_checked(instance, changes, bump=False, check=check)
    log_change(actor=actor, person=person, instance=instance, action=Action.CREATE, changes=changes)
    return instance


def child_update(
    *,
    actor: Actor,
    person: Person,
    instance: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    version: int | None,
    check: Callable[[M], None] | None = None,
) -> M:
    current = check_version(type(instance), instance.pk, version)
    keep_related(current, instance)
    changes = assign(current, data, fields)
    if changes:
        save_checked(current, changes, check=check)
        log_change(
            actor=actor, person=person, instance=current, action=Action.UPDATE, changes=changes
        )
    return current


def child_delete(*, actor: Actor, person: Person, instance: models.Model) -> None:
    log_change(actor=actor, person=person, instance=instance, action=Action.DELETE, changes={})
    instance.delete()
