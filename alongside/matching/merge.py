"""Merging two records of one person.

How a merge treats each kind of row that points at a person is decided per relation,
found generically (every foreign key to Person in every installed model), so that a
model added later is never silently left behind: a relation that is neither a plain
foreign key without a uniqueness rule, nor handled by a rule in CLASH_RULES
(`matching/clash_rules.py`), nor listed in STAYS stops the merge with MergeNotSupported.
See docs/matching.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.matching import merge_words as words
from alongside.matching.clash_rules import CLASH_RULES
from alongside.matching.merge_base import (
    MergeNotSupported,
    MergeRefused,
    MergeWork,
    clean_reason,
    lock_people,
    named,
    plain,
    relation_key,
    row_ids,
    write_history,
)
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.matching.permissions import MERGE_DENIED, can_merge
from alongside.people import timeline
from alongside.people.models import Person, RecordChange
from alongside.people.sensitivity import SENSITIVE_PROFILE_FIELDS as SENSITIVE_FIELDS
from alongside.people.services import PERSON_FIELDS

# Relations to Person that a merge leaves where they are, and why.
STAYS: dict[str, str] = {
    "matching.duplicatepair.person_a": "a pair keeps naming the two records it compared",
    "matching.duplicatepair.person_b": "a pair keeps naming the two records it compared",
    "matching.mergerecord.survivor": "a merge record names the records it merged",
    "matching.mergerecord.merged": "a merge record names the records it merged",
    "people.person.merged_into": "records merged earlier stay chained to the merged record",
}


@dataclass(frozen=True)
class Relation:
    model: type[models.Model]
    field_name: str
    how: str  # "move", "rule" or "stays"

    @property
    def key(self) -> str:
        return relation_key(self.model, self.field_name)


def _unique_with(model: type[models.Model], f: models.Field[Any, Any]) -> bool:
    if f.unique:
        return True
    meta = model._meta
    for together in meta.unique_together:
        if f.name in together:
            return True
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and (
            f.name in constraint.fields or constraint.expressions
        ):
            return True
    return False


def person_relations() -> list[Relation]:
    """Every relation of every installed model to Person, and how a merge treats it.
    Raises MergeNotSupported for one it does not know how to move."""
    found: list[Relation] = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy:
            continue
        for f in [*meta.local_fields, *meta.local_many_to_many]:
            if not f.is_relation or f.related_model is not Person:
                continue
            key = relation_key(model, f.name)
            if key in STAYS:
                found.append(Relation(model, f.name, "stays"))
            elif key in CLASH_RULES:
                found.append(Relation(model, f.name, "rule"))
            elif f.many_to_many or f.one_to_one or _unique_with(model, f):
                raise MergeNotSupported(
                    f"Merging does not know how to move {key}: it is unique per person. "
                    "Add a rule for it to CLASH_RULES in alongside/matching/clash_rules.py."
                )
            else:
                found.append(Relation(model, f.name, "move"))
    return found


def _log_changes(m: MergeWork) -> None:
    """History rows for the values the merge set on the survivor's rows."""
    by_row: dict[tuple[str, int], dict[str, Any]] = {}
    for c in m.changed:
        if c["model"].startswith("matching."):
            continue
        by_row.setdefault((c["model"], c["id"]), {})[c["field"]] = [c["old"], c["new"]]
    for (label, pk), changes in by_row.items():
        RecordChange.objects.create(
            person=m.survivor,
            at=m.at,
            actor=m.actor,
            action="update",
            entity=label.split(".")[1],
            entity_id=pk,
            changes=changes,
            sensitive=bool(SENSITIVE_FIELDS & changes.keys()),
        )


@transaction.atomic
def person_merge(*, actor: Any, survivor: Person, merged: Person, reason: str) -> MergeRecord:
    """Merge `merged` into `survivor`: every row pointing at the merged record moves to
    the survivor (see CLASH_RULES for the few that cannot simply move), empty identity
    fields of the survivor are filled from the merged record, and the merged record is
    marked merged and hidden, not deleted. Returns the MergeRecord that undo needs."""
    reason = clean_reason(reason)
    if survivor.pk == merged.pk:
        raise MergeRefused("A record cannot be merged into itself.")
    relations = person_relations()
    people = lock_people(survivor.pk, merged.pk)
    if len(people) != 2:
        raise MergeRefused("One of these records no longer exists.")
    survivor, merged = people[survivor.pk], people[merged.pk]
    if survivor.organization_id != merged.organization_id:
        raise MergeRefused("Records of two different organizations cannot be merged.")
    for person in (survivor, merged):
        if person.merged_into_id is not None:
            raise MergeRefused(
                f"Record #{person.pk} has already been merged into record "
                f"#{person.merged_into_id}. Nothing was changed."
            )
    if not can_merge(actor, survivor, merged):
        raise NotPermitted(MERGE_DENIED)
    m = MergeWork(actor=actor, survivor=survivor, merged=merged, at=timezone.now())
    try:
        # A savepoint: a row added by someone else between a clash rule's check and the
        # move breaks a uniqueness rule; say so instead of failing (nothing is changed).
        with transaction.atomic():
            _merge_rows(m, relations)
    except IntegrityError:
        raise MergeRefused(
            "Someone else changed one of these records while they were being merged (for "
            "example, added a language or an enrollment). Nothing was changed; try again."
        ) from None

    pair = (
        DuplicatePair.objects.select_for_update()
        .filter(
            person_a_id=min(survivor.pk, merged.pk),
            person_b_id=max(survivor.pk, merged.pk),
        )
        .first()
    )
    if pair is not None:
        why = words.PAIR_MERGED
        m.change(pair, "status", DuplicatePair.Status.MERGED.value, why)
        m.change(pair, "reviewed_by_id", getattr(actor, "pk", None), why)
        m.change(pair, "reviewed_at", m.at, why)

    merged.merged_into = survivor
    merged.merged_at = m.at
    merged.save(update_fields=["merged_into", "merged_at", "updated_at"])

    record = MergeRecord.objects.create(
        organization_id=survivor.organization_id,
        survivor=survivor,
        merged=merged,
        reason=reason,
        merged_by=actor if getattr(actor, "pk", None) else None,
        merged_at=m.at,
        moved=m.moved,
        changed=m.changed,
        kept=m.kept,
    )
    _log_changes(m)
    write_history(actor, survivor, "merge", {"merged in": ["", named(merged)]}, m.at)
    write_history(actor, merged, "merge", {"merged into": ["", named(survivor)]}, m.at)
    # On the survivor's journey, written after the rows moved so it stays there on undo.
    timeline.add_entry(
        person=survivor,
        kind="matching.merged",
        occurred_at=m.at,
        summary=gettext_noop("Merged with %(record)s") % {"record": named(merged)},
        details=reason,
        actor=actor,
        subject=record,
        link=reverse("matching:merge-detail", args=[record.pk]),
    )
    detail = {
        "survivor": survivor.pk,
        "merged": merged.pk,
        "moved": {key: len(ids) for key, ids in m.moved.items()},
        "changed": len(m.changed),
        "kept": len(m.kept),
    }
    fields = sorted({c["field"] for c in m.changed})
    for person in (survivor, merged):
        # Both records are of one organization (a merge across two is refused).
        audit.record_for_person(
            actor=actor,
            action=Action.MERGE,
            person=person,
            obj=record,
            fields=fields,
            detail=detail,
        )
    return record


def _merge_identity(m: MergeWork) -> None:
    """Empty identity fields of the survivor are filled from the merged record. Where
    both have a value and they differ (another spelling of the name, another date of
    birth...), the survivor's stays and the merged record's is listed as kept, with its
    value, so that the merge record page can show it to copy."""
    survivor, merged = m.survivor, m.merged
    for name in PERSON_FIELDS:
        value, own = getattr(merged, name), getattr(survivor, name)
        if value in ("", None) or value == own:
            continue
        if own in ("", None):
            m.change(survivor, name, value, words.FILLED)
        else:
            m.keep(merged, "the survivor's own value was kept", name)
            m.kept[-1]["value"] = plain(value)
    if m.changed:
        survivor.refresh_search_text()
        survivor.version += 1
        survivor.save(update_fields=["search_text", "version", "updated_at"])


def _merge_rows(m: MergeWork, relations: list[Relation]) -> None:
    _merge_identity(m)
    for relation in relations:
        if relation.how == "stays":
            continue
        if relation.how == "rule":
            CLASH_RULES[relation.key](m, relation.model, relation.field_name)
            continue
        rows = relation.model._base_manager.select_for_update().filter(
            **{relation.field_name: m.merged}
        )
        m.move(relation.model, relation.field_name, row_ids(rows))
