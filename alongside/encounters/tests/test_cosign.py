"""A supervisor's co-signature, where a program asks for one: who may give it, what it
leaves (timeline, audit, the note page), and the database letting exactly one
co-signature through while a signed note's content stays locked."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.encounters import selectors, services
from alongside.encounters.models import Note, NoteSettings
from alongside.encounters.tests.factories import MI_CONTENT, encounter, signed_note, version
from alongside.encounters.worklist import AWAITING_COSIGNATURE
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.people.contributions import worklist_reasons
from alongside.people.models import Person, TimelineEntry

# The audit's saving is one statement on PostgreSQL; a person's languages come with them.
PAGE_QUERIES = 13 - (3 if connection.vendor == "postgresql" else 0)


@pytest.fixture
def needs_cosign(world: Any) -> Any:
    services.note_settings_update(
        actor=world.admin, program=world.housing, requires_cosignature=True
    )
    return world


def _reread(note: Note) -> Note:
    return selectors.note_for_change(note.author, note.pk)


def _cosign(world: Any, note: Note, actor: Any = None) -> Note:
    return services.note_cosign(
        actor=actor or world.supervisor, note=_reread(note), expected_version=note.version
    )


def test_a_note_awaits_co_signature_until_a_supervisor_co_signs(needs_cosign: Any) -> None:
    world = needs_cosign
    note = signed_note(world)
    assert note.cosignature_required and note.awaits_cosignature
    assert note.status_label == "Signed, awaiting co-signature"
    done = _cosign(world, note)
    done.refresh_from_db()
    assert (done.cosigned_by, done.awaits_cosignature) == (world.supervisor, False)
    assert done.cosigned_at is not None and done.status_label == "Signed and co-signed"
    assert done.content == MI_CONTENT
    entry = TimelineEntry.objects.get(kind="encounters.note_cosigned")
    assert entry.summary == f"{note.template_version.template.name} co-signed"
    assert AuditEvent.objects.filter(
        object_type="encounters.note", object_id=str(note.pk), detail__cosigned=True
    ).exists()


def test_without_the_setting_a_signed_note_needs_no_co_signature(world: Any) -> None:
    note = signed_note(world)
    assert not note.awaits_cosignature and note.status_label == "Signed"
    with pytest.raises(services.NoteLocked, match="does not ask for a co-signature"):
        _cosign(world, note)


def test_only_an_organization_admin_sets_it(world: Any) -> None:
    with pytest.raises(NotPermitted, match="organization admin"):
        services.note_settings_update(
            actor=world.supervisor, program=world.housing, requires_cosignature=True
        )
    assert not NoteSettings.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "colleague", "admin", "scheduler"])
def test_it_refuses_anyone_not_a_supervisor_of_the_program(needs_cosign: Any, who: str) -> None:
    note = signed_note(needs_cosign)
    with pytest.raises(NotPermitted, match="Only a supervisor of the note's program"):
        services.note_cosign(
            actor=getattr(needs_cosign, who), note=_reread(note), expected_version=None
        )
    note.refresh_from_db()
    assert note.cosigned_at is None


def test_it_refuses_a_draft(needs_cosign: Any) -> None:
    world = needs_cosign
    draft = services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version("dap")
    )
    with pytest.raises(services.NoteLocked, match="A draft is not co-signed") as refused:
        _cosign(world, draft)
    assert refused.value.code == "note_draft"


def test_it_refuses_the_author_themself(needs_cosign: Any) -> None:
    world = needs_cosign
    note = services.note_start(
        actor=world.supervisor, encounter=encounter(world), template_version=version("dap")
    )
    note = services.note_save_draft(
        actor=world.supervisor,
        note=note,
        content={"data": "d", "assessment": "a", "plan": "p"},
        expected_version=note.version,
    )
    note = services.note_sign(actor=world.supervisor, note=note, expected_version=note.version)
    with pytest.raises(NotPermitted, match="cannot co-sign their own note"):
        _cosign(world, note)


def test_it_refuses_a_second_co_signature_and_a_stale_version(needs_cosign: Any) -> None:
    world = needs_cosign
    note = signed_note(world)
    with pytest.raises(StaleVersion, match="changed since you opened it"):
        services.note_cosign(
            actor=world.supervisor, note=_reread(note), expected_version=note.version - 1
        )
    _cosign(world, note)
    with pytest.raises(services.NoteLocked, match="already co-signed") as refused:
        services.note_cosign(actor=world.supervisor, note=_reread(note), expected_version=None)
    assert refused.value.code == "note_cosigned"
    assert TimelineEntry.objects.filter(kind="encounters.note_cosigned").count() == 1


def test_a_later_change_of_the_setting_does_not_change_a_signed_note(needs_cosign: Any) -> None:
    world = needs_cosign
    note = signed_note(world)
    services.note_settings_update(
        actor=world.admin, program=world.housing, requires_cosignature=False
    )
    assert _cosign(world, note).cosigned_by == world.supervisor


# ---------------------------------------------------------------- the database's lock


def _raw(sql: str, params: list[Any]) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


COSIGN_SQL = (
    "UPDATE encounters_note SET cosigned_by_id = %s, cosigned_at = signed_at, "
    "version = version + 1 WHERE id = %s"
)


def test_the_database_lets_one_co_signature_through_and_nothing_else(needs_cosign: Any) -> None:
    world = needs_cosign
    note = signed_note(world)
    # Content, status and signing stay locked while the note awaits its co-signature.
    with pytest.raises(DatabaseError, match="signed note cannot be changed"):
        _raw("UPDATE encounters_note SET content = %s WHERE id = %s", ['{"data": "x"}', note.pk])
    with pytest.raises(DatabaseError, match="signed note cannot be changed"):
        _raw(
            "UPDATE encounters_note SET content = %s, cosigned_by_id = %s, "
            "cosigned_at = signed_at, version = version + 1 WHERE id = %s",
            ['{"data": "x"}', world.supervisor.pk, note.pk],
        )
    assert _raw(COSIGN_SQL, [world.supervisor.pk, note.pk]) == 1
    # A second co-signature, a changed co-signer, changed content: all refused.
    with pytest.raises(DatabaseError, match="signed note cannot be changed"):
        _raw(COSIGN_SQL, [world.admin.pk, note.pk])
    with pytest.raises(DatabaseError, match="signed note cannot be changed"):
        _raw("UPDATE encounters_note SET content = %s WHERE id = %s", ['{"data": "x"}', note.pk])
    with pytest.raises(DatabaseError, match="signed note cannot be changed"):
        _raw("DELETE FROM encounters_note WHERE id = %s", [note.pk])
    note.refresh_from_db()
    assert (note.content, note.cosigned_by) == (MI_CONTENT, world.supervisor)


def test_the_database_refuses_a_co_signature_a_note_did_not_need(world: Any) -> None:
    note = signed_note(world)
    with pytest.raises(DatabaseError, match="signed note cannot be changed|CHECK|cosigned"):
        _raw(COSIGN_SQL, [world.supervisor.pk, note.pk])
    note.refresh_from_db()
    assert note.cosigned_at is None


# ---------------------------------------------------------------- the page


def test_the_page_offers_co_signing_to_a_supervisor_and_shows_it(
    needs_cosign: Any, client: Any, django_assert_num_queries: Any
) -> None:
    world = needs_cosign
    note = signed_note(world)
    page = reverse("encounters:note", args=[note.pk])
    client.force_login(world.coordinator)
    seen = client.get(page).content.decode()
    assert "Signed, awaiting co-signature" in seen and "Co-sign the note" not in seen
    client.force_login(world.supervisor)
    # session, user, scope, the note with its author and co-signer, addenda, encounter,
    # the person with profile and enrollments, in-program check, audit, nav counts.
    with django_assert_num_queries(PAGE_QUERIES):
        seen = client.get(page).content.decode()
    assert "Co-sign the note" in seen
    reply = client.post(
        reverse("encounters:note-cosign", args=[note.pk]), {"version": note.version}
    )
    assert reply.status_code == 302
    seen = client.get(page).content.decode()
    assert "Signed and co-signed" in seen and "Co-signed by Sam Okoro" in seen
    assert "Co-sign the note" not in seen
    again = client.post(reverse("encounters:note-cosign", args=[note.pk]), {"version": ""})
    assert again.status_code == 409
    assert "already co-signed" in again.content.decode()


def test_the_page_refuses_anyone_else(needs_cosign: Any, client: Any) -> None:
    world = needs_cosign
    note = signed_note(world)
    client.force_login(world.coordinator)
    reply = client.post(reverse("encounters:note-cosign", args=[note.pk]), {})
    assert reply.status_code == 403
    client.force_login(world.outsider)
    assert client.post(reverse("encounters:note-cosign", args=[note.pk]), {}).status_code == 404
    note.refresh_from_db()
    assert note.cosigned_at is None


# ---------------------------------------------------------------- the worklist


def test_a_supervisor_s_worklist_lists_notes_awaiting_their_co_signature(
    needs_cosign: Any, django_assert_num_queries: Any
) -> None:
    world = needs_cosign
    note = signed_note(world)
    people = Person.objects.visible_to(world.supervisor)
    reason = worklist_reasons.get(AWAITING_COSIGNATURE)
    assert reason is not None
    awaiting_cosignature = reason.find
    with django_assert_num_queries(1):
        [item] = awaiting_cosignature(world.supervisor, people, timezone.now())
    assert (item.person_id, item.key, item.due_at) == (
        world.person.pk,
        f"note:{note.pk}:cosign",
        note.signed_at,
    )
    assert item.text.endswith("awaiting your co-signature")
    assert item.link == reverse("encounters:note", args=[note.pk])
    # Not for the coordinator who wrote it, and gone once co-signed.
    assert awaiting_cosignature(world.coordinator, people, timezone.now()) == []
    _cosign(world, note)
    assert awaiting_cosignature(world.supervisor, people, timezone.now()) == []
