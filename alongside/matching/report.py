"""Writes of the duplicates report: refreshing its pairs, and a reviewer's decision on
a pair."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.matching.merge_base import MergeRefused
from alongside.matching.models import DuplicatePair
from alongside.matching.permissions import MERGE_DENIED, can_merge
from alongside.organizations.models import Organization


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
    from alongside.matching.fellegi_sunter import explain
    from alongside.matching.pipeline import match
    from alongside.matching.population import read_population

    say = progress or (lambda message: None)
    records = read_population(organization.pk, progress=say)
    summary = RefreshSummary(people=len(records))
    matches = match(records, max_block=max_block or dedupe.MAX_BLOCK, workers=workers, progress=say)
    found, frequencies = matches.found, matches.frequencies
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
