"""The "Might be the same as…" panel on a person's page: the duplicates report's pairs
still to review that name this person, for those who may merge them, each leading to the
side-by-side comparison."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.matching.models import DuplicatePair
from alongside.matching.selectors import visible_pairs
from alongside.people.contributions import PanelContext
from alongside.people.models import Enrollment, Person

# Pairs shown at most; the rest are in the duplicates report.
SHOWN = 5
# What `load` may cost: the pairs with both people; for a supervisor, the programs of
# the other people (whether they may merge them); and the audit event naming the people
# shown (one statement on PostgreSQL, three on SQLite).
QUERIES = 5


def _may_merge_here(viewer: Any, person: Person) -> bool:
    """Admins of the person's organization and supervisors of one of their programs."""
    scope = scope_for(viewer)
    return scope.is_admin_of(person.organization_id) or any(
        scope.oversees_program(e.program_id) for e in person.enrollments.all()
    )


def _mergeable(viewer: Any, person: Person, others: list[Person]) -> list[Person]:
    """Those of `others` the viewer may merge with the person (`permissions.can_merge`):
    all for admins of the organization; for supervisors, those enrolled in a program
    they oversee (one query for all). None for anyone else, without a query (the page
    has read the person's enrollments)."""
    scope = scope_for(viewer)
    if scope.is_admin_of(person.organization_id):
        return others
    if not others or not _may_merge_here(viewer, person):
        return []
    overseen = set(
        Enrollment.objects.filter(
            person_id__in=[p.pk for p in others], program_id__in=scope.supervised_program_ids
        ).values_list("person_id", flat=True)
    )
    return [p for p in others if p.pk in overseen]


def might_be_the_same(context: PanelContext) -> dict[str, Any] | None:
    viewer, person = context.viewer, context.person
    if not _may_merge_here(viewer, person):
        return None
    rows = list(
        visible_pairs(viewer)
        .filter(Q(person_a=person) | Q(person_b=person), status=DuplicatePair.Status.OPEN)
        .select_related("person_a", "person_b")
        .order_by("-score", "id")[: SHOWN + 1]
    )
    pairs = {
        (pair.person_b if pair.person_a_id == person.pk else pair.person_a): pair
        for pair in rows[:SHOWN]
    }
    others = _mergeable(viewer, person, list(pairs))
    if not others:
        return None
    audit.record(
        actor=viewer,
        action=Action.LIST,
        object_type="matching.duplicatepair",
        person_id=person.pk,
        organization_id=person.organization_id,
        detail={"purpose": "might be the same", "people": sorted(p.pk for p in others)},
    )
    return {
        "possible_duplicates": [{"pair": pairs[other], "other": other} for other in others],
        "more_duplicates": len(rows) > SHOWN,
    }
