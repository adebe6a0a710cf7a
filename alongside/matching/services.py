"""Writes of duplicate detection: the duplicates report and its reviews (`report`),
merging two records of one person (`merge`, with the rules for rows that cannot simply
move in `clash_rules`) and undoing a merge (`undo`). Each takes the acting user and
records its audit event in its transaction. This module gathers them for callers."""

from alongside.matching.clash_rules import CLASH_RULES
from alongside.matching.merge import STAYS, Relation, person_merge, person_relations
from alongside.matching.merge_base import (
    BATCH,
    LOCK_TIMEOUT_MS,
    MAX_REASON,
    MergeNotSupported,
    MergeRefused,
    MergeWork,
)
from alongside.matching.report import RefreshSummary, duplicate_pair_review, duplicates_refresh
from alongside.matching.undo import person_merge_undo

__all__ = [
    "BATCH",
    "CLASH_RULES",
    "LOCK_TIMEOUT_MS",
    "MAX_REASON",
    "STAYS",
    "MergeNotSupported",
    "MergeRefused",
    "MergeWork",
    "RefreshSummary",
    "Relation",
    "duplicate_pair_review",
    "duplicates_refresh",
    "person_merge",
    "person_merge_undo",
    "person_relations",
]
