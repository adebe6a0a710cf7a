"""Model validation for services that write many rows (registration, screenings, imports)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def _held(instance: models.Model) -> set[str]:
    """Foreign keys whose row the instance already holds, as read from or saved to the
    database (the person a service has just created, the program it checked the actor's
    permission on)."""
    held = set()
    for field in instance._meta.concrete_fields:
        # ForeignKey includes OneToOneField.
        if not (isinstance(field, models.ForeignKey) and field.is_cached(instance)):
            continue
        related = field.get_cached_value(instance)
        if (
            related is not None
            and not related._state.adding
            and related.pk == getattr(instance, field.attname)
        ):
            held.add(field.name)
    return held


def full_clean(
    instance: models.Model, *, exclude: Iterable[str] = (), validate_constraints: bool = True
) -> None:
    """`Model.full_clean()`, less one query per foreign key whose row the instance holds:
    Django looks each related row up to prove it exists, which a row just read or saved
    in the same transaction does (and the database's foreign keys enforce it regardless).
    Every other check runs: fields, `clean()`, uniqueness and constraints, including
    those that involve the held keys."""
    skip = set(exclude)
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.clean_fields(exclude=skip | _held(instance))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # As full_clean: uniqueness and constraints only for fields that passed validation.
    skip |= {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_unique(exclude=skip)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if validate_constraints:
        skip |= {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            instance.validate_constraints(exclude=skip)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
