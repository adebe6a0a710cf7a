"""Undoing a merge: what it moved goes back, the values it set are put back unless
changed since (which is noted on the merge record)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.matching import merge_words as words
from alongside.matching.merge_base import (
    BATCH,
    MergeRefused,
    clean_reason,
    lock_people,
    named,
    plain,
    row_ids,
    write_history,
)
from alongside.matching.models import MergeRecord
from alongside.matching.permissions import can_undo_merge
from alongside.people import timeline
from alongside.people.models import Person


def _restore(model: type[models.Model], change: dict[str, Any], notes: list[str]) -> bool:
    """Put one value back if it is still what the merge set; True if something changed."""
    row = model._base_manager.filter(pk=change["id"]).first()
    what = words.ROW % {"kind": model._meta.verbose_name, "number": change["id"]}
    if row is None:
        notes.append(words.UNDO_GONE % {"what": what, "field": change["field"]})
        return False
    if plain(getattr(row, change["field"])) != change["new"]:
        notes.append(words.UNDO_KEPT % {"what": what, "field": change["field"]})
        return False
    f = model._meta.get_field(change["field"])
    old = f.to_python(change["old"]) if change["old"] is not None else None  # type: ignore[union-attr]
    model._base_manager.filter(pk=row.pk).update(**{change["field"]: old})
    return True


def _undoable(actor: Any, merge_record: MergeRecord) -> tuple[MergeRecord, Person, Person]:
    """The merge, locked, with its survivor and merged record, locked; refused when it
    cannot be undone (by this actor, or because of what happened since)."""
    record = MergeRecord.objects.select_for_update().filter(pk=merge_record.pk).first()
    if record is None:
        raise MergeRefused("This merge record no longer exists.")
    if record.is_undone:
        raise MergeRefused("This merge has already been undone.")
    people = lock_people(record.survivor_id, record.merged_id)
    survivor, merged = people[record.survivor_id], people[record.merged_id]
    if not can_undo_merge(actor, survivor):
        raise NotPermitted("Only organization admins and supervisors can undo a merge.")
    if survivor.merged_into_id is not None:
        raise MergeRefused(
            f"Record #{survivor.pk} has since been merged into record "
            f"#{survivor.merged_into_id}. Undo that merge first."
        )
    if merged.merged_into_id != survivor.pk:
        raise MergeRefused(f"Record #{merged.pk} is no longer merged into #{survivor.pk}.")
    return record, survivor, merged


def _move_back(record: MergeRecord, survivor: Person, merged: Person, notes: list[str]) -> None:
    """Move the rows the merge moved back to the merged record (those still there)."""
    for key, ids in record.moved.items():
        label, field_name = key.rsplit(".", 1)
        model = apps.get_model(label)
        attname = model._meta.get_field(field_name).attname  # type: ignore[union-attr]
        present = row_ids(
            model._base_manager.select_for_update().filter(pk__in=ids, **{attname: survivor.pk})
        )
        if len(present) < len(ids):
            gone = {"count": len(ids) - len(present), "kinds": model._meta.verbose_name_plural}
            notes.append(words.UNDO_ROWS_GONE % gone)
        for start in range(0, len(present), BATCH):
            model._base_manager.filter(pk__in=present[start : start + BATCH]).update(
                **{attname: merged.pk}
            )


def _put_back(record: MergeRecord, survivor: Person, notes: list[str]) -> None:
    """Put back the values the merge set, newest first (unless changed since: noted)."""
    person_changed = False
    for change in reversed(record.changed):
        model = apps.get_model(change["model"])
        restored = _restore(model, change, notes)
        person_changed |= restored and model is Person
    if person_changed:
        survivor.refresh_from_db()
        survivor.refresh_search_text()
        survivor.version += 1
        survivor.save(update_fields=["search_text", "version", "updated_at"])


@transaction.atomic
def person_merge_undo(*, actor: Any, merge_record: MergeRecord, reason: str) -> MergeRecord:
    """Undo a merge: the rows it moved go back to the merged record, the values it set
    are put back (unless changed since, which is noted), and the merged record is shown
    again. Refused when a later merge of the survivor stands in the way."""
    reason = clean_reason(reason, "undo_reason")
    record, survivor, merged = _undoable(actor, merge_record)
    notes: list[str] = []
    at = timezone.now()
    try:
        # The notes are stored in English, whoever undoes (the kinds' names are the
        # models', which are said in the active language).
        with transaction.atomic(), translation.override("en"):
            _move_back(record, survivor, merged, notes)
            _put_back(record, survivor, notes)
    except IntegrityError:
        raise MergeRefused(
            "The merge cannot be undone: something changed since would clash with the "
            "restored record (for example, a new open enrollment in the same program). "
            "Nothing was changed."
        ) from None
    merged.merged_into = None
    merged.merged_at = None
    merged.save(update_fields=["merged_into", "merged_at", "updated_at"])
    record.undone_by = actor if getattr(actor, "pk", None) else None
    record.undone_at = at
    record.undo_reason = reason
    record.undo_notes = notes
    record.save(update_fields=["undone_by", "undone_at", "undo_reason", "undo_notes"])
    write_history(actor, survivor, "unmerge", {"merged in": [named(merged), ""]}, at)
    write_history(actor, merged, "unmerge", {"merged into": [named(survivor), ""]}, at)
    timeline.add_entry(
        person=survivor,
        kind="matching.merge_undone",
        occurred_at=at,
        summary=gettext_noop("Merge with %(record)s undone") % {"record": named(merged)},
        details=reason,
        actor=actor,
        subject=record,
        link=reverse("matching:merge-detail", args=[record.pk]),
    )
    for person in (survivor, merged):
        audit.record_for_person(
            actor=actor,
            action=Action.UNMERGE,
            person=person,
            obj=record,
            detail={"survivor": survivor.pk, "merged": merged.pk, "notes": len(notes)},
        )
    return record
