"""What a program sets for how a domain app runs in it (how its plans run:
`plans.PlanSettings`; how its notes are signed: `encounters.NoteSettings`): one row per
program with a `program` one-to-one field, the defaults where it has none, changed only
by the organization's admins and audited with the fields that changed. Each app keeps
its own model (its table and fields are its own); this is the part they share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.organizations.models import Program

SettingsT = TypeVar("SettingsT", bound=Model)


def _accessor(model: type[Model]) -> str:
    """The name a program reads its row of `model` by (`program.plan_settings`)."""
    field: Any = model._meta.get_field("program")
    return str(field.remote_field.get_accessor_name())


def settings_for(model: type[SettingsT], program_id: int) -> SettingsT:
    """The program's row of `model`, or the defaults (unsaved) when it has none."""
    found = model._default_manager.filter(program_id=program_id).first()
    return found or model(program_id=program_id)


def programs_with(
    model: type[SettingsT], organization_id: int, **annotations: Any
) -> list[tuple[Program, SettingsT]]:
    """Each of the organization's programs (active first, by name) with its row of
    `model` (the defaults where it has none), in one query: for its admins' page."""
    accessor = _accessor(model)
    programs = (
        Program.objects.filter(organization_id=organization_id)
        .select_related(accessor)
        .annotate(**annotations)
        .order_by("-is_active", "name", "pk")
    )
    # A program without a row raises RelatedObjectDoesNotExist, an AttributeError.
    return [(p, getattr(p, accessor, None) or model(program=p)) for p in programs]


def settings_save(
    *, actor: Actor, settings: SettingsT, fields: Iterable[str], refusal: str
) -> SettingsT:
    """Save a program's row of settings as changed in `fields`: for the admins of the
    program's organization only (`refusal` otherwise), validated, and audited with the
    fields, in one transaction."""
    program: Any = getattr(settings, "program")  # noqa: B009 - every settings model has one
    organization_id = program.organization_id
    if not scope_for(actor).is_admin_of(organization_id):
        raise NotPermitted(refusal)
    settings.full_clean()
    with transaction.atomic():
        settings.save()
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=settings,
            organization_id=organization_id,
            fields=sorted(fields),
        )
    return settings
