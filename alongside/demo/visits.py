"""Encounters and notes for the showcase people, so the journey timeline, the "Recent
encounters" panel and signed notes with addenda are there on the first sign-in: Rosa's
phone call with a signed motivational-interviewing note and an addendum, and a home
visit whose DAP note is still a draft; Dani's emergency-department visit, recorded."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.demo.showcase import Showcase, Staff
from alongside.encounters import services
from alongside.encounters.models import Encounter, NoteTemplateVersion


def _latest(slug: str) -> NoteTemplateVersion:
    return NoteTemplateVersion.objects.filter(template__slug=slug).latest("number")


def _visit(
    staff: Staff, shown: Showcase, who: str, kind: str, modality: str, days_ago: int, minutes: int
) -> Encounter:
    start = (timezone.now() - dt.timedelta(days=days_ago)).replace(second=0, microsecond=0)
    return services.encounter_create(
        actor=staff.coordinator,
        person=shown.people[who],
        program=staff.housing,
        data={
            "kind": kind,
            "modality": modality,
            "started_at": start,
            "ended_at": start + dt.timedelta(minutes=minutes) if minutes else None,
        },
        staff_ids=[staff.coordinator.pk],
    )


def build(staff: Staff, shown: Showcase) -> None:
    casey = staff.coordinator
    call = _visit(staff, shown, "rosa", Encounter.Kind.PHONE, Encounter.Modality.PHONE, 20, 25)
    note = services.note_start(actor=casey, encounter=call, template_version=_latest("mi-progress"))
    note = services.note_save_draft(
        actor=casey,
        note=note,
        content={
            "what_matters": "Keeping Valeria and Sofía at the same school; a door that locks.",
            "change_talk": "“I want to be the one who decides where we live.”",
            "readiness": "Importance 10, confidence 5: worried about the deposit.",
            "next_steps": "Rosa: gather pay stubs by Friday\nCasey: ask about deposit help",
        },
        expected_version=note.version,
    )
    note = services.note_sign(actor=casey, note=note, expected_version=note.version)
    services.addendum_add(
        actor=casey, note=note, content="Deposit help approved two days after the call."
    )
    visit = _visit(staff, shown, "rosa", Encounter.Kind.HOME, Encounter.Modality.IN_PERSON, 3, 50)
    draft = services.note_start(actor=casey, encounter=visit, template_version=_latest("dap"))
    services.note_save_draft(
        actor=casey,
        note=draft,
        content={"data": "Met at the new apartment; Lucía was there to help unpack."},
        expected_version=draft.version,
    )
    _visit(staff, shown, "dani", Encounter.Kind.EMERGENCY, Encounter.Modality.NONE, 2, 0)
