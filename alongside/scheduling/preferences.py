"""Saving a person's scheduling preferences (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from alongside.accounts.actors import Actor
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.people.models import Person
from alongside.scheduling import common
from alongside.scheduling.models import SchedulingPreference

FIELDS = (
    "weekdays",
    "earliest",
    "latest",
    "evenings_ok",
    "weekends_ok",
    "preferred_modality",
    "location",
    "travel_limit_minutes",
    "preferred_staff",
    "time_zone",
    "interpreter_needed",
    "language",
)


def save(*, actor: Actor, person: Person, data: Mapping[str, Any]) -> SchedulingPreference:
    common.check_person(actor, person)
    with transaction.atomic():
        preference, created = SchedulingPreference.objects.select_for_update().get_or_create(
            person=person
        )
        changed = []
        for name in FIELDS:
            if name in data:
                value = data[name]
                if name == "weekdays":
                    value = sorted({int(d) for d in value or []})
                if value is None and name in ("time_zone", "language", "preferred_modality"):
                    value = ""
                if getattr(preference, name) != value:
                    setattr(preference, name, value)
                    changed.append(name)
        preference.full_clean()
        preference.save()
        audit.record_for_person(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            person=person,
            obj=preference,
            fields=changed,
        )
    return preference


def initial(
    person: Person, preference: SchedulingPreference | None, interpreter: str
) -> dict[str, Any]:
    """The preferences form's starting values: what is stored, the interpreter need and
    language from the person's profile when nothing is."""
    if preference is None:
        return {"interpreter_needed": bool(interpreter), "language": interpreter}
    values = {name: getattr(preference, name) for name in FIELDS}
    if not preference.language and interpreter:
        values["language"] = interpreter
        values["interpreter_needed"] = True
    return values
