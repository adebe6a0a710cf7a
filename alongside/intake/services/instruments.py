"""The shipped instruments and their versions: loading them, activating and retiring a version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.intake import definitions
from alongside.intake.models import Instrument, InstrumentVersion

INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "instruments"


@transaction.atomic
def instrument_version_create(
    *,
    actor: Any,
    instrument: Instrument,
    label: str,
    definition: dict[str, Any],
    status: str = InstrumentVersion.Status.DRAFT,
) -> InstrumentVersion:
    version = InstrumentVersion(
        instrument=instrument, label=label, definition=definition, status=status
    )
    if status == InstrumentVersion.Status.ACTIVE:
        _retire_active(actor, instrument)
    version.full_clean()
    version.save()
    audit.record(actor=actor, action=Action.CREATE, obj=version, detail={"label": label})
    return version


def _retire_active(actor: Any, instrument: Instrument) -> None:
    for current in instrument.versions.select_for_update().filter(
        status=InstrumentVersion.Status.ACTIVE
    ):
        instrument_version_set_status(
            actor=actor, version=current, status=InstrumentVersion.Status.RETIRED
        )


@transaction.atomic
def instrument_version_set_status(
    *, actor: Any, version: InstrumentVersion, status: str
) -> InstrumentVersion:
    """Activate (retiring the active version) or retire a version. Responses already
    started on a retired version keep it, and still load and score."""
    if status == version.status:
        return version
    if status == InstrumentVersion.Status.DRAFT:
        raise ValidationError({"status": "A published version cannot go back to draft."})
    if status == InstrumentVersion.Status.ACTIVE:
        _retire_active(actor, version.instrument)
    old = version.status
    version.status = status
    version.full_clean()
    version.save(update_fields=["status"])
    audit.record(
        actor=actor, action=Action.UPDATE, obj=version, fields=["status"], detail={"from": old}
    )
    return version


def instruments_load(*, actor: Any = None, directory: Path = INSTRUMENTS_DIR) -> list[str]:
    """Load the shipped instruments. Idempotent: a version already loaded with the same
    definition is left alone; a changed definition under the same label is refused,
    because responses may already point at it. Returns what it did, one line each."""
    done = []
    for path in sorted(directory.glob("*.json")):
        done.append(_load_one(actor, json.loads(path.read_text(encoding="utf-8")), path.name))
    return done


@transaction.atomic
def _load_one(actor: Any, data: dict[str, Any], source: str) -> str:
    problems = definitions.validate_definition(data.get("definition"))
    if problems:
        raise ValidationError(f"{source}: " + " ".join(problems))
    code = (data["definition"].get("code") or {}).get("code", "")
    instrument, created = Instrument.objects.get_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "publisher": data.get("publisher", ""),
            "citation": data.get("citation", ""),
            "code": code,
        },
    )
    if created:
        audit.record(actor=actor, action=Action.CREATE, obj=instrument)
    existing = instrument.versions.filter(label=data["version"]).first()
    if existing is not None:
        if existing.definition != data["definition"]:
            raise ValidationError(
                f"{source}: version {data['version']} of {data['slug']} is already loaded with "
                "a different definition; give the changed definition a new version label."
            )
        return f"{data['slug']} {data['version']}: already loaded"
    instrument_version_create(
        actor=actor,
        instrument=instrument,
        label=data["version"],
        definition=data["definition"],
        status=InstrumentVersion.Status.ACTIVE,
    )
    return f"{data['slug']} {data['version']}: loaded"
