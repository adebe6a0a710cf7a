"""Writes of duplicate detection: the duplicates report, its reviews, merging two
records of one person and undoing a merge. Each takes the acting user and records its
audit event in its transaction.

How a merge treats each kind of row that points at a person is decided per relation,
found generically (every foreign key to Person in every installed model), so that a
model added later is never silently left behind: a relation that is neither a plain
foreign key without a uniqueness rule, nor handled by a rule in CLASH_RULES, nor listed
in STAYS stops the merge with MergeNotSupported. See docs/matching.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, models, transaction
from django.utils import timezone

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.matching.permissions import MERGE_DENIED, can_merge, can_undo_merge
from alongside.organizations.models import Organization
from alongside.people.models import (
    Enrollment,
    Identifier,
    Person,
    PersonLanguage,
    Profile,
    RecordChange,
)
from alongside.people.sensitivity import SENSITIVE_PROFILE_FIELDS as SENSITIVE_FIELDS
from alongside.people.services import PERSON_FIELDS, PROFILE_EDITABLE

# How long a merge waits for another transaction holding one of the two records
# (PostgreSQL) before saying someone else is changing them.
LOCK_TIMEOUT_MS = 5000
MAX_REASON = 1000
BATCH = 500


class MergeRefused(Exception):
    """The merge or undo cannot be done; the message says why, for people to read."""


class MergeNotSupported(MergeRefused):
    """A model points at Person in a way merging does not know how to move."""


def _key(model: type[models.Model], field_name: str) -> str:
    return f"{model._meta.label_lower}.{field_name}"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


# Relations to Person that a merge leaves where they are, and why.
STAYS: dict[str, str] = {
    "matching.duplicatepair.person_a": "a pair keeps naming the two records it compared",
    "matching.duplicatepair.person_b": "a pair keeps naming the two records it compared",
    "matching.mergerecord.survivor": "a merge record names the records it merged",
    "matching.mergerecord.merged": "a merge record names the records it merged",
    "people.person.merged_into": "records merged earlier stay chained to the merged record",
}


@dataclass
class _Merge:
    """What one merge did, collected as it goes."""

    actor: Any
    survivor: Person
    merged: Person
    at: dt.datetime
    moved: dict[str, list[int]] = field(default_factory=dict)
    changed: list[dict[str, Any]] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)

    def move(self, model: type[models.Model], field_name: str, ids: list[int]) -> None:
        if not ids:
            return
        attname = model._meta.get_field(field_name).attname  # type: ignore[union-attr]
        for start in range(0, len(ids), BATCH):
            model._base_manager.filter(pk__in=ids[start : start + BATCH]).update(
                **{attname: self.survivor.pk}
            )
        self.moved.setdefault(_key(model, field_name), []).extend(ids)

    def change(self, row: models.Model, field_name: str, new: Any, why: str) -> None:
        """Set one field of one row, remembering the old value for undo."""
        old = getattr(row, field_name)
        if old == new:
            return
        self.changed.append(
            {
                "model": row._meta.label_lower,
                "id": row.pk,
                "field": field_name,
                "old": _plain(old),
                "new": _plain(new),
                "why": why,
            }
        )
        setattr(row, field_name, new)
        type(row)._base_manager.filter(pk=row.pk).update(**{field_name: new})

    def keep(self, row: models.Model, why: str, field_name: str = "") -> None:
        entry = {"model": row._meta.label_lower, "id": row.pk, "why": why}
        if field_name:
            entry["field"] = field_name
        self.kept.append(entry)


def _ids(queryset: models.QuerySet[Any]) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


# ---------------------------------------------------------------- clash rules
# Each moves the merged record's rows of one relation onto the survivor where that
# breaks no uniqueness rule, and otherwise keeps both pieces of information.


def _move_languages(m: _Merge, model: type[models.Model], field_name: str) -> None:
    """A language the survivor already has stays with the merged record (it says
    nothing new), but its 'needs an interpreter' carries over. The survivor's preferred
    language stays preferred."""
    theirs = {
        lang.language: lang
        for lang in PersonLanguage.objects.select_for_update().filter(person=m.survivor)
    }
    has_preferred = any(lang.is_preferred for lang in theirs.values())
    moving: list[int] = []
    for lang in PersonLanguage.objects.select_for_update().filter(person=m.merged).order_by("pk"):
        same = theirs.get(lang.language)
        if same is None:
            if lang.is_preferred and has_preferred:
                m.change(lang, "is_preferred", False, "the survivor's preferred language stays")
            moving.append(lang.pk)
            continue
        m.keep(lang, "the survivor already has this language")
        if lang.interpreter_needed and not same.interpreter_needed:
            m.change(same, "interpreter_needed", True, "the merged record needs an interpreter")
    m.move(model, field_name, moving)


def _move_identifiers(m: _Merge, model: type[models.Model], field_name: str) -> None:
    """An identifier the survivor already has (same kind, issuer and value) stays with
    the merged record."""
    theirs = set(
        Identifier.objects.filter(person=m.survivor).values_list("kind", "issuer", "normalized")
    )
    moving: list[int] = []
    for identifier in Identifier.objects.select_for_update().filter(person=m.merged).order_by("pk"):
        if (identifier.kind, identifier.issuer, identifier.normalized) in theirs:
            m.keep(identifier, "the survivor already has this identifier")
        else:
            moving.append(identifier.pk)
    m.move(model, field_name, moving)


def _move_enrollments(m: _Merge, model: type[models.Model], field_name: str) -> None:
    """All enrollments move. Where both records are open in the same program, the
    survivor's stays open and the merged record's is closed, with a note saying so."""
    open_programs = set(
        Enrollment.objects.filter(
            person=m.survivor, status__in=Enrollment.OPEN_STATUSES
        ).values_list("program_id", flat=True)
    )
    today = timezone.localdate()
    rows = list(Enrollment.objects.select_for_update().filter(person=m.merged).order_by("pk"))
    for enrollment in rows:
        if enrollment.is_open and enrollment.program_id in open_programs:
            why = "the survivor already had an open enrollment in this program"
            ended = max(today, enrollment.started_on or today)
            # In this order so that every step keeps "closed has a reason" true, and
            # undo (which goes backwards) reopens before clearing the reason.
            m.change(enrollment, "closure_reason", Enrollment.ClosureReason.OTHER.value, why)
            m.change(enrollment, "ended_on", ended, why)
            m.change(
                enrollment,
                "closure_note",
                f"Closed when record #{m.merged.pk} was merged into #{m.survivor.pk}: "
                "a second open enrollment in the same program.",
                why,
            )
            m.change(enrollment, "status", Enrollment.Status.CLOSED.value, why)
    m.move(model, field_name, [e.pk for e in rows])


def _move_needs(m: _Merge, model: type[models.Model], field_name: str) -> None:
    """All needs move. Where both records have an open need of the same kind, the
    survivor's stays open and the merged record's is marked resolved (by the merge)."""
    need_model: Any = model
    open_statuses = [str(s) for s in need_model.OPEN_STATUSES]
    open_kinds = set(
        need_model._base_manager.filter(person=m.survivor, status__in=open_statuses).values_list(
            "kind", flat=True
        )
    )
    rows = list(need_model._base_manager.select_for_update().filter(person=m.merged).order_by("pk"))
    for need in rows:
        if need.status in open_statuses and need.kind in open_kinds:
            m.change(
                need,
                "status",
                need_model.Status.RESOLVED.value,
                "resolved by the merge: the survivor has an open need of the same kind",
            )
    m.move(model, field_name, [n.pk for n in rows])


def _move_profile(m: _Merge, model: type[models.Model], field_name: str) -> None:
    """The survivor keeps its one-page profile. Sections it has left empty are filled
    from the merged record's; where both wrote something different, the survivor's words
    stay and the merged record keeps its own profile, listed on the merge record. When
    the survivor has no profile, the merged record's moves."""
    theirs = Profile.objects.select_for_update().filter(person=m.survivor).first()
    mine = Profile.objects.select_for_update().filter(person=m.merged).first()
    if mine is None:
        return
    if theirs is None:
        m.move(model, field_name, [mine.pk])
        return
    m.keep(mine, "the survivor keeps its own profile; empty sections were filled from this one")
    filled = False
    for name in PROFILE_EDITABLE:
        text, own = getattr(mine, name), getattr(theirs, name)
        if not text or text == own:
            continue
        if not own:
            m.change(theirs, name, text, "filled from the merged record's profile")
            filled = True
        else:
            m.keep(mine, "the survivor's own words were kept", name)
    if filled:
        Profile.objects.filter(pk=theirs.pk).update(version=models.F("version") + 1)


# Relations whose rows cannot all simply be re-pointed (a uniqueness rule, or one row
# per person), and how a merge moves them.
CLASH_RULES: dict[str, Callable[[_Merge, type[models.Model], str], None]] = {
    "people.personlanguage.person": _move_languages,
    "people.identifier.person": _move_identifiers,
    "people.enrollment.person": _move_enrollments,
    "people.profile.person": _move_profile,
    "intake.need.person": _move_needs,
}


@dataclass(frozen=True)
class Relation:
    model: type[models.Model]
    field_name: str
    how: str  # "move", "rule" or "stays"

    @property
    def key(self) -> str:
        return _key(self.model, self.field_name)


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
            key = _key(model, f.name)
            if key in STAYS:
                found.append(Relation(model, f.name, "stays"))
            elif key in CLASH_RULES:
                found.append(Relation(model, f.name, "rule"))
            elif f.many_to_many or f.one_to_one or _unique_with(model, f):
                raise MergeNotSupported(
                    f"Merging does not know how to move {key}: it is unique per person. "
                    "Add a rule for it to CLASH_RULES in alongside/matching/services.py."
                )
            else:
                found.append(Relation(model, f.name, "move"))
    return found


def _lock_people(*pks: int) -> dict[int, Person]:
    """Lock both records, in id order (so two merges never wait on each other in a
    circle); on PostgreSQL give up after LOCK_TIMEOUT_MS."""
    postgres = connection.vendor == "postgresql"
    try:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
        people = {
            p.pk: p for p in Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")
        }
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except OperationalError:
        raise MergeRefused(
            "Someone else is changing one of these records right now. Nothing was changed; "
            "try again in a moment."
        ) from None
    return people


def _clean_reason(reason: str, field_name: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field_name: "Say why, for the record."})
    if len(reason) > MAX_REASON:
        raise ValidationError({field_name: f"Keep it under {MAX_REASON} characters."})
    return reason


def _history(
    actor: Any, person: Person, action: str, changes: dict[str, Any], at: dt.datetime
) -> None:
    RecordChange.objects.create(
        person=person,
        at=at,
        actor=actor,
        action=action,
        entity="person",
        entity_id=person.pk,
        changes=changes,
    )


def _log_changes(m: _Merge) -> None:
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
    reason = _clean_reason(reason)
    if survivor.pk == merged.pk:
        raise MergeRefused("A record cannot be merged into itself.")
    relations = person_relations()
    people = _lock_people(survivor.pk, merged.pk)
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
    m = _Merge(actor=actor, survivor=survivor, merged=merged, at=timezone.now())
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
        why = "the two records were merged"
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
    _history(actor, survivor, "merge", {"merged in": ["", f"record #{merged.pk}"]}, m.at)
    _history(actor, merged, "merge", {"merged into": ["", f"record #{survivor.pk}"]}, m.at)
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


def _merge_identity(m: _Merge) -> None:
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
            m.change(survivor, name, value, "filled from the merged record")
        else:
            m.keep(merged, "the survivor's own value was kept", name)
            m.kept[-1]["value"] = _plain(value)
    if m.changed:
        survivor.refresh_search_text()
        survivor.version += 1
        survivor.save(update_fields=["search_text", "version", "updated_at"])


def _merge_rows(m: _Merge, relations: list[Relation]) -> None:
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
        m.move(relation.model, relation.field_name, _ids(rows))


def _restore(model: type[models.Model], change: dict[str, Any], notes: list[str]) -> bool:
    """Put one value back if it is still what the merge set; True if something changed."""
    row = model._base_manager.filter(pk=change["id"]).first()
    what = f"{model._meta.verbose_name} #{change['id']}"
    if row is None:
        notes.append(f"{what} was removed after the merge; its {change['field']} is gone.")
        return False
    if _plain(getattr(row, change["field"])) != change["new"]:
        notes.append(
            f"{what}: {change['field']} was changed after the merge and was left as it is now."
        )
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
    people = _lock_people(record.survivor_id, record.merged_id)
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
        present = _ids(
            model._base_manager.select_for_update().filter(pk__in=ids, **{attname: survivor.pk})
        )
        if len(present) < len(ids):
            notes.append(
                f"{len(ids) - len(present)} of the {model._meta.verbose_name_plural} "
                "moved by the merge were removed after it."
            )
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
    reason = _clean_reason(reason, "undo_reason")
    record, survivor, merged = _undoable(actor, merge_record)
    notes: list[str] = []
    at = timezone.now()
    try:
        with transaction.atomic():
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
    _history(actor, survivor, "unmerge", {"merged in": [f"record #{merged.pk}", ""]}, at)
    _history(actor, merged, "unmerge", {"merged into": [f"record #{survivor.pk}", ""]}, at)
    for person in (survivor, merged):
        audit.record_for_person(
            actor=actor,
            action=Action.UNMERGE,
            person=person,
            obj=record,
            detail={"survivor": survivor.pk, "merged": merged.pk, "notes": len(notes)},
        )
    return record


# ---------------------------------------------------------------- the report


@transaction.atomic
def duplicate_pair_review(
    *, actor: Any, pair: DuplicatePair, status: str, note: str = ""
) -> DuplicatePair:
    """Record a reviewer's decision on a pair: not the same person, or back to open."""
    allowed = (DuplicatePair.Status.NOT_THE_SAME, DuplicatePair.Status.OPEN)
    if status not in allowed:
        raise ValidationError({"status": "Choose 'not the same person' or 'not reviewed'."})
    current = DuplicatePair.objects.select_for_update().select_related("person_a", "person_b")
    locked = current.get(pk=pair.pk)
    if locked.status == DuplicatePair.Status.MERGED:
        raise MergeRefused("These records were merged; undo the merge instead.")
    if not can_merge(actor, locked.person_a, locked.person_b):
        raise NotPermitted(MERGE_DENIED)
    reviewed = status != DuplicatePair.Status.OPEN
    locked.status = status
    locked.reviewed_by = actor if reviewed else None
    locked.reviewed_at = timezone.now() if reviewed else None
    locked.review_note = note.strip()[:500] if reviewed else ""
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    for person_id in (locked.person_a_id, locked.person_b_id):
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            person_id=person_id,
            organization_id=locked.organization_id,
            fields=["status"],
            detail={"status": status, "pair": [locked.person_a_id, locked.person_b_id]},
        )
    return locked


@dataclass
class RefreshSummary:
    people: int = 0
    found: int = 0
    likely: int = 0
    possible: int = 0
    new: int = 0
    removed: int = 0


def duplicates_refresh(
    *,
    actor: Any,
    organization: Organization,
    workers: int = 1,
    max_block: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> RefreshSummary:
    """Run the matcher over every (not merged) person of the organization and store the
    pairs found: new pairs are added, pairs found again get their new score and reasons
    (their review stays), and unreviewed pairs not found any more are removed."""
    from alongside.matching import dedupe
    from alongside.matching.fellegi_sunter import Frequencies, explain, thresholds
    from alongside.matching.population import read_population

    say = progress or (lambda message: None)
    records = read_population(organization.pk, progress=say)
    summary = RefreshSummary(people=len(records))
    pairs = dedupe.candidate_pairs(records, max_block=max_block or dedupe.MAX_BLOCK, progress=say)
    likely, possible = thresholds()
    frequencies = Frequencies.count(records)
    found = dedupe.find_matches(
        records, pairs, likely, possible, frequencies=frequencies, workers=workers, progress=say
    )
    del pairs
    found = dedupe.link_groups(records, found, frequencies)
    now = timezone.now()
    with transaction.atomic():
        before = DuplicatePair.objects.filter(organization=organization).count()
        rows: list[DuplicatePair] = []
        for a, b, score, decision in found:
            first, second = sorted((int(records[a][0]), int(records[b][0])))
            reasons = explain(records[a], records[b], frequencies).reasons
            rows.append(
                DuplicatePair(
                    organization=organization,
                    person_a_id=first,
                    person_b_id=second,
                    score=score,
                    decision=decision,
                    reasons=reasons,
                    found_at=now,
                    last_seen_at=now,
                )
            )
            if decision == DuplicatePair.Decision.LIKELY:
                summary.likely += 1
            else:
                summary.possible += 1
            if len(rows) >= 2000:
                _upsert(rows)
                rows = []
                say(f"stored {summary.likely + summary.possible:,} of {len(found):,} pairs")
        _upsert(rows)
        summary.found = len(found)
        summary.removed, _ = DuplicatePair.objects.filter(
            organization=organization,
            status=DuplicatePair.Status.OPEN,
            last_seen_at__lt=now,
        ).delete()
        after = DuplicatePair.objects.filter(organization=organization).count()
        summary.new = after - before + summary.removed
        audit.record(
            actor=actor,
            action=Action.CREATE,
            object_type="matching.duplicatepair",
            organization_id=organization.pk,
            detail={
                "purpose": "duplicates report",
                "people": summary.people,
                "pairs": summary.found,
                "new": summary.new,
                "removed": summary.removed,
            },
        )
    return summary


def _upsert(rows: Iterable[DuplicatePair]) -> None:
    rows = list(rows)
    if rows:
        DuplicatePair.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["person_a", "person_b"],
            update_fields=["score", "decision", "reasons", "last_seen_at"],
        )
