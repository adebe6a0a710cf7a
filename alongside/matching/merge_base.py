"""What every step of a merge shares: its refusals, the record of what it does as it goes
(`MergeWork`, which undo reads back), locking the two records and the history rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, models

from alongside.people.history_words import RECORD
from alongside.people.models import Person, RecordChange

# How long a merge waits for another transaction holding one of the two records
# (PostgreSQL) before saying someone else is changing them.
LOCK_TIMEOUT_MS = 5000
MAX_REASON = 1000
BATCH = 500


class MergeRefused(Exception):
    """The merge or undo cannot be done; the message says why, for people to read."""


class MergeNotSupported(MergeRefused):
    """A model points at Person in a way merging does not know how to move."""


def relation_key(model: type[models.Model], field_name: str) -> str:
    return f"{model._meta.label_lower}.{field_name}"


def plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


@dataclass
class MergeWork:
    """What one merge did, collected as it goes."""

    actor: Any
    survivor: Person
    merged: Person
    at: dt.datetime
    moved: dict[str, list[int]] = field(default_factory=dict)
    changed: list[dict[str, Any]] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)

    def move(self, model: type[models.Model], field_name: str, ids: list[int]) -> None:
        if not ids:
            return
        attname = model._meta.get_field(field_name).attname  # type: ignore[union-attr]
        for start in range(0, len(ids), BATCH):
            model._base_manager.filter(pk__in=ids[start : start + BATCH]).update(
                **{attname: self.survivor.pk}
            )
        self.moved.setdefault(relation_key(model, field_name), []).extend(ids)

    def change(self, row: models.Model, field_name: str, new: Any, why: str) -> None:
        """Set one field of one row, remembering the old value for undo."""
        old = getattr(row, field_name)
        if old == new:
            return
        self.changed.append(
            {
                "model": row._meta.label_lower,
                "id": row.pk,
                "field": field_name,
                "old": plain(old),
                "new": plain(new),
                "why": why,
            }
        )
        setattr(row, field_name, new)
        type(row)._base_manager.filter(pk=row.pk).update(**{field_name: new})

    def keep(self, row: models.Model, why: str, field_name: str = "") -> None:
        entry = {"model": row._meta.label_lower, "id": row.pk, "why": why}
        if field_name:
            entry["field"] = field_name
        self.kept.append(entry)


def row_ids(queryset: models.QuerySet[Any]) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def lock_people(*pks: int) -> dict[int, Person]:
    """Lock both records, in id order (so two merges never wait on each other in a
    circle); on PostgreSQL give up after LOCK_TIMEOUT_MS."""
    postgres = connection.vendor == "postgresql"
    try:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
        people = {
            p.pk: p for p in Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")
        }
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except OperationalError:
        raise MergeRefused(
            "Someone else is changing one of these records right now. Nothing was changed; "
            "try again in a moment."
        ) from None
    return people


def clean_reason(reason: str, field_name: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field_name: "Say why, for the record."})
    if len(reason) > MAX_REASON:
        raise ValidationError({field_name: f"Keep it under {MAX_REASON} characters."})
    return reason


def write_history(
    actor: Any, person: Person, action: str, changes: dict[str, Any], at: dt.datetime
) -> None:
    RecordChange.objects.create(
        person=person,
        at=at,
        actor=actor,
        action=action,
        entity="person",
        entity_id=person.pk,
        changes=changes,
    )


def named(person: Person) -> str:
    """A record as its history names it: the person's name, and which record."""
    return RECORD.message % {"name": person.display_name, "number": person.pk}
