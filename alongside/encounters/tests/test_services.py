"""Recording encounters, and writing, signing and adding to notes: what is refused, and
what each write leaves (last contact, journey timeline, audit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.encounters import services
from alongside.encounters.models import Addendum, Encounter, Note
from alongside.encounters.tests.factories import MI_CONTENT, encounter, signed_note, version
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.people.models import TimelineEntry


def test_a_home_visit_is_a_contact_on_the_journey(world: Any) -> None:
    visit = encounter(world, summary="Talked about the lease")
    world.person.refresh_from_db()
    assert world.person.last_contacted_at == visit.started_at
    assert visit.duration_minutes == 45
    entry = TimelineEntry.objects.get(kind="encounters.encounter")
    assert (entry.summary, entry.details, entry.sensitive) == (
        "Home visit (45 min)",
        "Talked about the lease",
        True,
    )
    assert AuditEvent.objects.filter(object_type="encounters.encounter", action="create").exists()


@pytest.mark.parametrize("kind", ["attempted", "collateral", "emergency", "discharge"])
def test_an_attempt_or_event_is_not_a_contact(world: Any, kind: str) -> None:
    encounter(world, kind=kind, modality="none")
    world.person.refresh_from_db()
    assert world.person.last_contacted_at is None


def test_it_refuses_an_encounter_ending_before_it_starts(world: Any) -> None:
    start = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(ValidationError, match="at or after the start"):
        encounter(world, started_at=start, ended_at=start - dt.timedelta(minutes=1))
    assert not Encounter.objects.exists()
    assert not TimelineEntry.objects.filter(kind="encounters.encounter").exists()


def test_the_database_refuses_an_encounter_ending_before_it_starts(world: Any) -> None:
    visit = encounter(world)
    with (
        pytest.raises(IntegrityError, match="encounter_ends_after_start|CHECK"),
        transaction.atomic(),
    ):
        Encounter.objects.filter(pk=visit.pk).update(
            ended_at=visit.started_at - dt.timedelta(hours=1)
        )


def test_it_refuses_an_encounter_in_the_future_or_a_program_they_are_not_in(world: Any) -> None:
    with pytest.raises(ValidationError, match="once it has started"):
        encounter(world, started_at=timezone.now() + dt.timedelta(days=1), ended_at=None)
    with pytest.raises(ValidationError, match="not enrolled in this program"):
        services.encounter_create(
            actor=world.admin,
            person=world.person,
            program=world.wellness,
            data={"kind": "phone", "modality": "phone", "started_at": timezone.now()},
        )


def test_it_refuses_staff_of_another_organization(world: Any) -> None:
    with pytest.raises(ValidationError, match="organization only"):
        services.encounter_create(
            actor=world.coordinator,
            person=world.person,
            program=world.housing,
            data={"kind": "phone", "modality": "phone", "started_at": timezone.now()},
            staff_ids=[world.outsider.pk],
        )


def test_it_keeps_the_people_who_matter(world: Any) -> None:
    visit = services.encounter_create(
        actor=world.coordinator,
        person=world.person,
        program=world.housing,
        data={"kind": "home", "modality": "in_person", "started_at": timezone.now()},
        staff_ids=[world.supervisor.pk],
        others=[{"name": "Ana", "relationship": "sister"}],
    )
    assert list(visit.staff.all()) == [world.supervisor]
    assert visit.others == [{"name": "Ana", "relationship": "sister"}]


def test_a_note_is_a_draft_until_its_author_signs_it(world: Any) -> None:
    note = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("mi-progress")
    )
    assert note.status == "draft" and note.sensitive
    with pytest.raises(ValidationError, match="before signing"):
        services.note_sign(actor=world.coordinator, note=note, expected_version=note.version)
    note = services.note_save_draft(
        actor=world.coordinator, note=note, content=MI_CONTENT, expected_version=note.version
    )
    with pytest.raises(NotPermitted, match="author"):
        services.note_sign(actor=world.supervisor, note=note, expected_version=None)
    signed = services.note_sign(actor=world.coordinator, note=note, expected_version=note.version)
    assert signed.status == "signed" and signed.signed_at is not None
    assert TimelineEntry.objects.filter(kind="encounters.note_signed").count() == 1
    event = AuditEvent.objects.filter(object_type="encounters.note").latest("id")
    assert event.detail == {"signed": True}


def test_a_stale_draft_save_is_refused(world: Any) -> None:
    note = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("dap")
    )
    services.note_save_draft(
        actor=world.coordinator, note=note, content={"data": "first"}, expected_version=1
    )
    with pytest.raises(StaleVersion, match="changed since you opened it"):
        services.note_save_draft(
            actor=world.coordinator, note=note, content={"data": "second"}, expected_version=1
        )


def test_it_refuses_a_section_the_template_does_not_have(world: Any) -> None:
    note = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("dap")
    )
    with pytest.raises(ValidationError, match="not part of the note's template"):
        services.note_save_draft(
            actor=world.coordinator, note=note, content={"secret": "x"}, expected_version=None
        )


def test_a_scheduler_writes_no_notes(world: Any) -> None:
    with pytest.raises(NotPermitted, match="care team writes notes"):
        services.note_start(
            actor=world.scheduler, encounter=encounter(world), template_version=version("dap")
        )


def test_a_signed_note_cannot_be_changed_or_signed_again(world: Any) -> None:
    note = signed_note(world)
    with pytest.raises(services.NoteLocked, match="signed and cannot be changed"):
        services.note_save_draft(
            actor=world.coordinator, note=note, content={"next_steps": "x"}, expected_version=None
        )
    with pytest.raises(services.NoteLocked, match="already signed"):
        services.note_sign(actor=world.coordinator, note=note, expected_version=None)
    note.refresh_from_db()
    assert note.content == MI_CONTENT


def test_an_addendum_goes_on_a_signed_note_only(world: Any) -> None:
    draft = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("dap")
    )
    with pytest.raises(services.NoteLocked, match="This note is a draft"):
        services.addendum_add(actor=world.coordinator, note=draft, content="More")
    assert not Addendum.objects.exists()
    note = signed_note(world)
    addendum = services.addendum_add(
        actor=world.supervisor, note=note, content="The landlord called back."
    )
    assert addendum.signed_at is not None and addendum.author == world.supervisor
    event = AuditEvent.objects.filter(object_type="encounters.addendum").get()
    assert (event.action, event.person_id, event.detail) == (
        "create",
        world.person.pk,
        {"note": note.pk},
    )
    assert TimelineEntry.objects.filter(kind="encounters.addendum").count() == 1


# ---------------------------------------------------------------- the database's lock


def _raw(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_to_change_or_delete_a_signed_note(world: Any) -> None:
    note = signed_note(world)
    with pytest.raises(DatabaseError, match="signed note cannot be changed"):
        _raw("UPDATE encounters_note SET content = %s WHERE id = %s", ['{"data": "x"}', note.pk])
    with pytest.raises(DatabaseError, match="signed note cannot be changed"):
        _raw(
            "UPDATE encounters_note SET status = 'draft', signed_at = NULL WHERE id = %s", [note.pk]
        )
    with pytest.raises(DatabaseError, match="signed note cannot be changed"):
        _raw("DELETE FROM encounters_note WHERE id = %s", [note.pk])
    with pytest.raises(DatabaseError, match="signed note cannot be changed"), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(content={})
    note.refresh_from_db()
    assert note.content == MI_CONTENT


def test_the_database_leaves_drafts_writable(world: Any) -> None:
    draft = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("dap")
    )
    _raw("UPDATE encounters_note SET content = %s WHERE id = %s", ['{"data": "x"}', draft.pk])
    draft.refresh_from_db()
    assert draft.content == {"data": "x"}


def test_the_database_refuses_to_change_or_delete_an_addendum(world: Any) -> None:
    addendum = services.addendum_add(
        actor=world.coordinator, note=signed_note(world), content="More"
    )
    with pytest.raises(DatabaseError, match="addendum cannot be changed"):
        _raw("UPDATE encounters_addendum SET content = 'less' WHERE id = %s", [addendum.pk])
    with pytest.raises(DatabaseError, match="addendum cannot be changed"):
        _raw("DELETE FROM encounters_addendum WHERE id = %s", [addendum.pk])
    addendum.refresh_from_db()
    assert addendum.content == "More"
