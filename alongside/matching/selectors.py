"""Reads for reviewing duplicates and merges. Everything starts from
`Person.objects.visible_to`: a pair is shown only when the user sees both people, and a
merge only when the user reviews duplicates and sees one of its records. Once a merge is
undone, each record's details are shown only to those who see that record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.matching.permissions import can_review_duplicates, can_view_merge
from alongside.people.models import Enrollment, Person
from alongside.people.selectors import audit_person_view, with_record

PAGE_SIZE = 25
# Chains of merges followed when looking for a record's survivor or its merged records.
MAX_CHAIN = 20
# The key of `MergeRecord.moved` listing the enrollments a merge moved.
ENROLLMENTS_MOVED = "people.enrollment.person"

SHOW = {
    "open": Q(status=DuplicatePair.Status.OPEN),
    "likely": Q(status=DuplicatePair.Status.OPEN, decision=DuplicatePair.Decision.LIKELY),
    "possible": Q(status=DuplicatePair.Status.OPEN, decision=DuplicatePair.Decision.POSSIBLE),
    "reviewed": Q(status=DuplicatePair.Status.NOT_THE_SAME),
}


def visible_pairs(user: Any) -> QuerySet[DuplicatePair]:
    visible = Person.objects.visible_to(user)
    return DuplicatePair.objects.filter(
        organization_id__in=scope_for(user).organization_ids,
        person_a__in=visible,
        person_b__in=visible,
    )


def duplicate_pairs(
    user: Any, *, show: str = "open", page: int = 1
) -> tuple[list[DuplicatePair], bool]:
    """One page of pairs, best first, and whether there is another; recorded as a list."""
    start = (page - 1) * PAGE_SIZE
    rows = list(
        visible_pairs(user)
        .filter(SHOW.get(show, SHOW["open"]))
        .select_related("person_a", "person_b", "reviewed_by")
        .order_by("-score", "id")[start : start + PAGE_SIZE + 1]
    )
    pairs, has_next = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    audit.record(
        actor=user,
        action=Action.LIST,
        object_type="matching.duplicatepair",
        organization_id=scope_for(user).primary_organization_id,
        detail={
            "show": show,
            "page": page,
            "count": len(pairs),
            "people": sorted({p for pair in pairs for p in (pair.person_a_id, pair.person_b_id)}),
        },
    )
    return pairs, has_next


def pair_for(user: Any, pk: int) -> DuplicatePair:
    """Raises DuplicatePair.DoesNotExist when the user does not see both people."""
    return visible_pairs(user).select_related("person_a", "person_b").get(pk=pk)


@dataclass(frozen=True)
class Side:
    person: Person
    rows: list[tuple[str, int]]  # (what, how many) of the rows pointing at the person


def _row_counts(ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """For each person, how many rows of each kind point at them (what a merge moves)."""
    from alongside.matching.services import person_relations

    counts: dict[int, list[tuple[str, int]]] = {pk: [] for pk in ids}
    for relation in person_relations():
        if relation.how == "stays":
            continue
        meta = relation.model._meta
        found = dict(
            relation.model._base_manager.filter(**{f"{relation.field_name}__in": ids})
            .values_list(relation.field_name)
            .annotate(n=Count("pk"))
            .values_list(relation.field_name, "n")
            .order_by()
        )
        for pk in ids:
            counts[pk].append((str(meta.verbose_name_plural), found.get(pk, 0)))
    return counts


def people_to_compare(user: Any, first: int, second: int) -> tuple[Side, Side]:
    """The two people side by side, with what hangs off each; recorded as two views.
    Raises Person.DoesNotExist when the user does not see both."""
    people = {
        p.pk: p for p in with_record(Person.objects.visible_to(user).filter(pk__in=[first, second]))
    }
    if first not in people or second not in people:
        raise Person.DoesNotExist
    counts = _row_counts([first, second])
    for person in people.values():
        audit_person_view(user, person, "compare for merge")
    return Side(people[first], counts[first]), Side(people[second], counts[second])


MERGE_DENIED = (
    "A merge's page is for organization admins, and supervisors of a program of one of its records."
)


def _merges_in_scope(user: Any) -> QuerySet[MergeRecord]:
    """Merges of the user's organization (admins), or one of whose records the user can
    see, each annotated with which of its two records the user sees."""
    scope = scope_for(user)
    visible = Person.objects.visible_to(user, include_merged=True)
    return MergeRecord.objects.filter(
        Q(organization_id__in=scope.admin_organization_ids)
        | Q(survivor__in=visible)
        | Q(merged__in=visible)
    ).annotate(
        survivor_visible=Exists(visible.filter(pk=OuterRef("survivor_id"))),
        merged_visible=Exists(visible.filter(pk=OuterRef("merged_id"))),
    )


def _mark_shown(record: MergeRecord) -> MergeRecord:
    """Whose names and details the user may read on the record: while the merge stands
    the merged record is part of the survivor (whoever sees the survivor sees both);
    once undone, each record only to those who see it."""
    sees_survivor = bool(getattr(record, "survivor_visible", False))
    sees_merged = bool(getattr(record, "merged_visible", False))
    record.shows_survivor = sees_survivor  # type: ignore[attr-defined]
    record.shows_merged = sees_merged or (sees_survivor and not record.is_undone)  # type: ignore[attr-defined]
    return record


def visible_merges(user: Any) -> QuerySet[MergeRecord]:
    """Merges the user may list: none unless they review duplicates; then their
    organization's, for admins; for supervisors, those whose survivor (or, once undone,
    either record) they can see."""
    if not can_review_duplicates(user):
        return MergeRecord.objects.none()
    return _merges_in_scope(user)


def merge_records(user: Any, *, page: int = 1) -> tuple[list[MergeRecord], bool]:
    start = (page - 1) * PAGE_SIZE
    rows = list(
        visible_merges(user)
        .select_related("survivor", "merged", "merged_by", "undone_by")
        .order_by("-merged_at", "-id")[start : start + PAGE_SIZE + 1]
    )
    records, has_next = [_mark_shown(r) for r in rows[:PAGE_SIZE]], len(rows) > PAGE_SIZE
    audit.record(
        actor=user,
        action=Action.LIST,
        object_type="matching.mergerecord",
        organization_id=scope_for(user).primary_organization_id,
        detail={"page": page, "count": len(records)},
    )
    return records, has_next


def merge_record(user: Any, pk: int) -> MergeRecord:
    """One merge, for its page, with `shows_survivor` and `shows_merged` set; recorded as
    a view of each of its two records. Raises MergeRecord.DoesNotExist when the user sees
    neither record, NotPermitted when they see one but may not review merges."""
    record = (
        _merges_in_scope(user)
        .select_related("survivor", "merged", "merged_by", "undone_by", "organization")
        .get(pk=pk)
    )
    if not can_view_merge(user, record.survivor, record.merged):
        raise NotPermitted(MERGE_DENIED)
    _mark_shown(record)
    shown = {
        record.survivor_id: record.shows_survivor,  # type: ignore[attr-defined]
        record.merged_id: record.shows_merged,  # type: ignore[attr-defined]
    }
    with transaction.atomic():
        for person_id, details_shown in shown.items():
            audit.record(
                actor=user,
                action=Action.VIEW,
                obj=record,
                person_id=person_id,
                organization_id=record.organization_id,
                detail={
                    "survivor": record.survivor_id,
                    "merged": record.merged_id,
                    "details_shown": details_shown,
                },
            )
    return record


def later_merge(record: MergeRecord) -> MergeRecord | None:
    """The standing merge that took this merge's survivor into another record, if any."""
    if record.survivor.merged_into_id is None or record.is_undone:
        return None
    return (
        MergeRecord.objects.filter(merged_id=record.survivor_id, undone_at__isnull=True)
        .order_by("-merged_at")
        .first()
    )


def merged_into_ids(person_id: int) -> list[int]:
    """The person's id and the ids of every record merged into it, directly or through
    records merged into those: whose audit events count as this person's."""
    ids = [person_id]
    frontier = [person_id]
    for _ in range(MAX_CHAIN):
        frontier = list(
            Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
        )
        if not frontier:
            break
        ids.extend(frontier)
    return ids


def _could_see_merged(user: Any, pk: int) -> bool:
    """Whether the user could see record `pk` before it was merged away: they still see
    it (admins), or one of the enrollments it took into the merge is in their programs."""
    if Person.objects.visible_to(user, include_merged=True).filter(pk=pk).exists():
        return True
    programs = scope_for(user).program_ids
    if not programs:
        return False
    moved = MergeRecord.objects.filter(merged_id=pk, undone_at__isnull=True).values_list(
        "moved", flat=True
    )
    enrollment_ids = [
        enrollment_id for rows in moved for enrollment_id in rows.get(ENROLLMENTS_MOVED, [])
    ]
    return Enrollment.objects.filter(pk__in=enrollment_ids, program_id__in=programs).exists()


def survivor_for(user: Any, pk: int) -> Person | None:
    """The record a merged record now lives on (following merges of merges), if the
    user can see it and could see the merged record; else None (a plain 404: nobody
    learns that a record they never saw was merged, nor into whom)."""
    target = pk
    for _ in range(MAX_CHAIN):
        following = Person.objects.filter(pk=target).values_list("merged_into_id", flat=True)
        next_id = following.first()
        if next_id is None:
            break
        target = next_id
    if target == pk:
        return None
    survivor = Person.objects.visible_to(user).filter(pk=target).first()
    if survivor is None or not _could_see_merged(user, pk):
        return None
    return survivor
