"""person_merge and person_merge_undo: everything moves, nothing is lost, undo restores."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.audit.selectors import verify_chain
from alongside.intake.models import Need, ScreeningResponse, UrgentFlag
from alongside.lib.errors import NotPermitted
from alongside.matching import services
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.matching.selectors import merged_into_ids
from alongside.matching.services import (
    MergeNotSupported,
    MergeRefused,
    person_merge,
    person_merge_undo,
    person_relations,
)
from alongside.people import services as people_services
from alongside.people.models import (
    ContactPoint,
    Enrollment,
    Identifier,
    Person,
    PersonLanguage,
    Profile,
    RecordChange,
    TimelineEntry,
)
from alongside.people.services import person_update
from conftest import make_person

from .conftest import related_counts, snapshot

REASON = "Same person: confirmed date of birth and phone with her."


def merge(twins, actor=None):
    return person_merge(
        actor=actor or twins.world.admin, survivor=twins.person, merged=twins.twin, reason=REASON
    )


def test_it_knows_how_to_treat_every_relation_to_person():
    keys = {r.key: r.how for r in person_relations()}
    for key in (
        "people.supportcontact.person",
        "people.recordchange.person",
        "intake.screeningresponse.person",
        "intake.urgentflag.person",
    ):
        assert keys[key] == "move"
    for key in (
        "people.contactpoint.person",
        "people.enrollment.person",
        "people.identifier.person",
        "people.personlanguage.person",
        "people.profile.person",
        "intake.need.person",
    ):
        assert keys[key] == "rule"


def test_it_fails_loudly_on_a_relation_it_cannot_move(twins, monkeypatch):
    before = related_counts(twins.twin)
    monkeypatch.delitem(services.CLASH_RULES, "people.identifier.person")
    with pytest.raises(MergeNotSupported, match="people.identifier.person"):
        merge(twins)
    monkeypatch.undo()
    assert related_counts(twins.twin) == before
    assert not MergeRecord.objects.exists()


def test_it_moves_every_row_and_loses_none(twins):
    both_before = related_counts(twins.person, twins.twin)
    survivor_before = related_counts(twins.person)
    twin_before = related_counts(twins.twin)
    record = merge(twins)

    both_after = related_counts(twins.person, twins.twin)
    survivor_after = related_counts(twins.person)
    twin_after = related_counts(twins.twin)
    history = "people.recordchange.person"
    journey = "people.timelineentry.person"
    # Nothing lost: the same rows, plus the history and the journey entry the merge wrote.
    assert {k: v for k, v in both_after.items() if k not in (history, journey)} == {
        k: v for k, v in both_before.items() if k not in (history, journey)
    }
    assert survivor_after[journey] == survivor_before[journey] + twin_before[journey] + 1
    kept: dict[str, int] = {}
    for row in record.kept:
        if "field" not in row:
            kept[row["model"] + ".person"] = kept.get(row["model"] + ".person", 0) + 1
    for key, count in twin_before.items():
        if key == history:
            continue
        # The survivor's journey also gains the merge's own entry.
        written = 1 if key == journey else 0
        assert survivor_after[key] == survivor_before[key] + count - kept.get(key, 0) + written, key
        assert len(record.moved.get(key, [])) == count - kept.get(key, 0), key
    # Left behind only what the survivor already had (one identifier, one language), and
    # the twin's own profile, whose words the survivor's profile now holds or lists.
    assert twin_after == {
        **dict.fromkeys(twin_after, 0),
        "people.identifier.person": 1,
        "people.personlanguage.person": 1,
        "people.profile.person": 1,
        history: 1,  # "merged into record #…"
    }
    assert survivor_after[history] == survivor_before[history] + twin_before[history] + 1 + len(
        {(c["model"], c["id"]) for c in record.changed if not c["model"].startswith("matching")}
    )
    assert ScreeningResponse.objects.filter(person=twins.person).count() == 3
    assert UrgentFlag.objects.filter(person=twins.person).count() == 1


def test_it_hides_the_merged_record_without_deleting_it(twins):
    merge(twins)
    twin = Person.objects.get(pk=twins.twin.pk)
    assert twin.merged_into_id == twins.person.pk and twin.merged_at is not None
    for user in (twins.world.admin, twins.world.coordinator):
        assert not Person.objects.visible_to(user).filter(pk=twin.pk).exists()
        assert Person.objects.visible_to(user).filter(pk=twins.person.pk).exists()


def test_it_resolves_clashes_without_losing_anything(twins):
    world = twins.world
    record = merge(twins)
    person = twins.person
    # Two open enrollments in housing: the survivor's stays open, the twin's is closed.
    housing = Enrollment.objects.filter(person=person, program=world.housing).order_by("pk")
    assert [e.status for e in housing] == ["referred", "closed"]
    assert housing[1].closure_reason == "merged" and housing[1].closed_by_merge
    assert "Lupe Hernández were merged" in housing[1].closure_note
    assert Enrollment.objects.get(person=person, program=world.wellness).status == "active"
    # Two open food needs: one stays open, the twin's is resolved by the merge.
    food = Need.objects.filter(person=person, kind="food_insecurity").order_by("pk")
    assert [n.status for n in food] == ["identified", "resolved"]
    assert Need.objects.get(person=person, kind="transportation").status == "identified"
    # Spanish was on both: the survivor's row stays, and now needs an interpreter.
    spanish = PersonLanguage.objects.get(person=person, language="es")
    assert spanish.interpreter_needed and spanish.is_preferred
    english = PersonLanguage.objects.get(person=person, language="en")
    assert not english.is_preferred  # the survivor's preferred language stays preferred
    # The same Medicaid ID stays with the twin; the HMIS ID moves.
    assert Identifier.objects.filter(person=person, kind="medicaid").count() == 1
    assert Identifier.objects.filter(person=person, kind="hmis").count() == 1
    # Profile: the survivor's own words stay, empty sections are filled.
    profile = Profile.objects.get(person=person)
    assert profile.important_to == "Being there for my kids."
    assert profile.hopes == "A place with a garden."
    assert Profile.objects.get(person=twins.twin).important_to == "My kids."
    assert any(row.get("field") == "important_to" for row in record.kept)
    # Identity: the survivor's values stay, its blanks are filled.
    survivor = Person.objects.get(pk=person.pk)
    assert survivor.legal_given_name == "Guadalupe"
    assert survivor.gender_identity == "woman"
    # ... and the twin's differing spellings are listed as kept, to copy if wanted.
    kept = {row["field"]: row["value"] for row in record.kept if row["model"] == "people.person"}
    assert kept == {"legal_given_name": "Lupe", "legal_family_name": "Hernandez"}
    assert "people" not in dict(record.kept_counts())  # fields, not whole records


def test_it_records_who_merged_what_and_why(twins):
    world = twins.world
    pair = DuplicatePair.objects.create(
        organization=world.org,
        person_a=twins.person,
        person_b=twins.twin,
        score=30,
        decision="likely",
        found_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    record = merge(twins)
    assert record.merged_by == world.admin and record.reason == REASON
    assert record.survivor == twins.person and record.merged == twins.twin
    pair.refresh_from_db()
    assert pair.status == "merged" and pair.reviewed_by == world.admin
    events = AuditEvent.objects.filter(action="merge", object_id=str(record.pk))
    assert {e.person_id for e in events} == {twins.person.pk, twins.twin.pk}
    assert verify_chain().ok
    assert RecordChange.objects.filter(person=twins.person, action="merge").exists()


def test_the_survivors_access_log_and_history_include_the_merged_record(twins):
    twin_events = set(
        AuditEvent.objects.filter(person_id=twins.twin.pk).values_list("pk", flat=True)
    )
    twin_changes = set(twins.twin.changes.values_list("pk", flat=True))
    merge(twins)
    assert set(merged_into_ids(twins.person.pk)) == {twins.person.pk, twins.twin.pk}
    assert twin_changes <= set(
        RecordChange.objects.filter(person=twins.person).values_list("pk", flat=True)
    )
    visible = set(
        AuditEvent.objects.filter(person_id__in=merged_into_ids(twins.person.pk)).values_list(
            "pk", flat=True
        )
    )
    assert twin_events <= visible


def test_undo_restores_exactly(twins):
    before = snapshot(twins.person, twins.twin)
    started = timezone.now()
    record = merge(twins)
    undone = person_merge_undo(
        actor=twins.world.admin, merge_record=record, reason="Two sisters, it turns out."
    )
    assert undone.is_undone and undone.undone_by == twins.world.admin
    assert undone.undo_notes == []
    assert snapshot(twins.person, twins.twin, exclude_changes_after=started) == before
    for user in (twins.world.admin, twins.world.coordinator):
        assert Person.objects.visible_to(user).filter(pk=twins.twin.pk).exists()
    assert AuditEvent.objects.filter(action="unmerge", object_id=str(record.pk)).count() == 2
    assert verify_chain().ok


def test_undo_keeps_later_changes_and_says_so(twins):
    record = merge(twins)
    survivor = Person.objects.get(pk=twins.person.pk)
    person_update(
        actor=twins.world.admin,
        person=survivor,
        data={"gender_identity": "female"},
        version=survivor.version,
    )
    twin_phone = twins.person.contact_points.get(value="212-555-0199")
    twin_phone.delete()
    undone = person_merge_undo(actor=twins.world.admin, merge_record=record, reason="Not her.")
    assert Person.objects.get(pk=twins.person.pk).gender_identity == "female"
    assert any("gender_identity" in note for note in undone.undo_notes)
    assert any("removed after" in note for note in undone.undo_notes)


def test_undo_stores_its_notes_in_english_whoever_undoes(twins):
    """The kinds' names are the models', said in the active language: the notes stored
    by a Spanish-speaking admin's undo still name them in English."""
    from django.utils import translation

    record = merge(twins)
    twins.person.contact_points.get(value="212-555-0199").delete()
    with translation.override("es"):
        undone = person_merge_undo(actor=twins.world.admin, merge_record=record, reason="No.")
    assert "1 of the contact points moved by the merge were removed after it." in undone.undo_notes


def test_it_refuses_a_record_merged_into_itself(twins):
    with pytest.raises(MergeRefused, match="itself"):
        person_merge(
            actor=twins.world.admin, survivor=twins.person, merged=twins.person, reason=REASON
        )


def test_it_refuses_to_merge_a_record_twice(twins):
    merge(twins)
    third = make_person(twins.world.coordinator, twins.world.housing, legal_given_name="Lupita")
    stale_twin = twins.twin  # as read before the merge
    with pytest.raises(MergeRefused, match="already been merged"):
        person_merge(actor=twins.world.admin, survivor=third, merged=stale_twin, reason=REASON)
    with pytest.raises(MergeRefused, match="already been merged"):
        person_merge(actor=twins.world.admin, survivor=stale_twin, merged=third, reason=REASON)


def test_it_refuses_people_of_two_organizations(twins):
    world = twins.world
    other = make_person(world.outsider, world.other_program)
    with pytest.raises(MergeRefused, match="different organizations"):
        person_merge(actor=world.admin, survivor=world.person, merged=other, reason=REASON)


def test_it_refuses_an_empty_reason(twins):
    with pytest.raises(ValidationError, match="Say why, for the record"):
        person_merge(
            actor=twins.world.admin, survivor=twins.person, merged=twins.twin, reason="   "
        )


@pytest.mark.parametrize("persona", ["coordinator", "scheduler", "colleague", "outsider"])
def test_it_lets_only_admins_and_supervisors_merge(twins, persona):
    with pytest.raises(NotPermitted, match="can merge records"):
        merge(twins, actor=getattr(twins.world, persona))
    assert Person.objects.get(pk=twins.twin.pk).merged_into_id is None


def test_a_supervisor_must_oversee_a_program_of_each(twins):
    world = twins.world
    only_wellness = make_person(world.admin, world.wellness, legal_given_name="Lupe")
    with pytest.raises(NotPermitted, match="a program of each of the two people"):
        person_merge(
            actor=world.supervisor, survivor=world.person, merged=only_wellness, reason=REASON
        )
    record = merge(twins, actor=world.supervisor)  # both are in housing
    assert record.merged_by == world.supervisor


def test_undo_is_refused_twice_and_after_a_later_merge(twins):
    world = twins.world
    record = merge(twins)
    third = make_person(world.coordinator, world.housing, legal_given_name="Lupita")
    later = person_merge(actor=world.admin, survivor=third, merged=world.person, reason=REASON)
    with pytest.raises(MergeRefused, match="Undo that merge first"):
        person_merge_undo(actor=world.admin, merge_record=record, reason="Oops")
    # The chain is followed: the third record's log includes both earlier records.
    assert set(merged_into_ids(third.pk)) == {third.pk, world.person.pk, twins.twin.pk}
    person_merge_undo(actor=world.admin, merge_record=later, reason="Oops")
    person_merge_undo(actor=world.admin, merge_record=record, reason="Oops")
    with pytest.raises(MergeRefused, match="already been undone"):
        person_merge_undo(actor=world.admin, merge_record=record, reason="Oops")


def test_undo_is_for_admins_and_supervisors(twins):
    record = merge(twins)
    with pytest.raises(NotPermitted, match="can undo a merge"):
        person_merge_undo(actor=twins.world.coordinator, merge_record=record, reason="Oops")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_merge_while_another_holds_the_records(twins, monkeypatch):
    monkeypatch.setattr(services, "LOCK_TIMEOUT_MS", 200)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                list(Person.objects.select_for_update().filter(pk=twins.twin.pk))
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(MergeRefused, match="Someone else"):
            merge(twins)
    finally:
        release.set()
        holder.join()
    assert Person.objects.get(pk=twins.twin.pk).merged_into_id is None
    merge(twins)  # once the other is done, the merge goes through


def _same_phone_on_both(twins):
    """The twin has the survivor's phone too, with more careful rules."""
    actor = twins.world.coordinator
    careful = people_services.contact_point_create(
        actor=actor,
        person=twins.twin,
        data={
            "kind": "phone",
            "value": "(212) 555 0187",
            "safety_note": "Her partner checks this phone.",
            "safe_hours_start": dt.time(9),
            "safe_hours_end": dt.time(12),
        },
    )
    ContactPoint.objects.filter(person=twins.person, value="212-555-0187").update(
        may_text=True, may_leave_voicemail=True
    )
    return careful


def test_it_shows_no_contact_twice_and_keeps_the_more_careful_rules(twins):
    careful = _same_phone_on_both(twins)
    record = merge(twins)
    phones = ContactPoint.objects.filter(person=twins.person, normalized="+12125550187")
    assert phones.count() == 1  # not twice
    phone = phones.get()
    assert not phone.may_text and not phone.may_leave_voicemail
    assert phone.safety_note == "Her partner checks this phone."
    assert (phone.safe_hours_start, phone.safe_hours_end) == (dt.time(9), dt.time(12))
    assert phone.version == 2  # an edit begun before the merge is stale
    # The twin's copy stays with it, listed as kept; what changed is listed to undo.
    assert ContactPoint.objects.get(pk=careful.pk).person_id == twins.twin.pk
    kept = [row["id"] for row in record.kept if row["model"] == "people.contactpoint"]
    assert kept == [careful.pk]
    changed = {
        c["field"]
        for c in record.changed
        if (c["model"], c["id"]) == ("people.contactpoint", phone.pk)
    }
    assert changed == {
        "may_text",
        "may_leave_voicemail",
        "safety_note",
        "safe_hours_start",
        "safe_hours_end",
    }
    # The other phone and the email, which the survivor did not have, moved.
    assert ContactPoint.objects.filter(person=twins.person).count() == 3


def test_undo_restores_both_copies_of_a_shared_contact_exactly(twins):
    _same_phone_on_both(twins)
    before = snapshot(twins.person, twins.twin)
    started = timezone.now()
    record = merge(twins)
    undone = person_merge_undo(actor=twins.world.admin, merge_record=record, reason="Not her.")
    assert undone.undo_notes == []
    assert snapshot(twins.person, twins.twin, exclude_changes_after=started) == before


def test_a_merge_and_its_undo_go_on_the_survivors_journey(twins):
    record = merge(twins)
    person_merge_undo(actor=twins.world.admin, merge_record=record, reason="Two sisters.")
    rows = list(
        TimelineEntry.objects.filter(kind__startswith="matching.")
        .order_by("id")
        .values_list("person_id", "kind", "details", "subject_id")
    )
    assert rows == [
        (twins.person.pk, "matching.merged", REASON, record.pk),
        (twins.person.pk, "matching.merge_undone", "Two sisters.", record.pk),
    ]
    merged = TimelineEntry.objects.get(kind="matching.merged")
    assert merged.summary == f"Merged with {twins.twin.display_name} (record #{twins.twin.pk})"
    assert merged.link == f"/matching/merges/{record.pk}/"
