"""Encounters and notes for tests, through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alongside.encounters import services
from alongside.encounters.models import Encounter, Note, NoteTemplateVersion


def version(slug: str) -> NoteTemplateVersion:
    return NoteTemplateVersion.objects.filter(template__slug=slug).order_by("-number").first()  # type: ignore[return-value]


def encounter(world: Any, **data: Any) -> Encounter:
    started = timezone.now() - dt.timedelta(hours=2)
    fields = {
        "kind": "home",
        "modality": "in_person",
        "started_at": started,
        "ended_at": started + dt.timedelta(minutes=45),
    } | data
    return services.encounter_create(
        actor=world.coordinator, person=world.person, program=world.housing, data=fields
    )


MI_CONTENT = {
    "what_matters": "Keeping the apartment so the kids can stay at the same school.",
    "change_talk": "“I want to get the rent paid before it piles up.”",
    "readiness": "Importance 9, confidence 6.",
    "next_steps": "Call the landlord on Monday\nApply for rental help by Friday",
}


def signed_note(
    world: Any, the_encounter: Encounter | None = None, slug: str = "mi-progress"
) -> Note:
    the_encounter = the_encounter or encounter(world)
    note = services.note_start(
        actor=world.coordinator, encounter=the_encounter, template_version=version(slug)
    )
    content = MI_CONTENT if slug == "mi-progress" else {}
    note = services.note_save_draft(
        actor=world.coordinator, note=note, content=content, expected_version=note.version
    )
    return services.note_sign(actor=world.coordinator, note=note, expected_version=note.version)
