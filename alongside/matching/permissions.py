"""Who may review duplicates, merge two records and undo a merge. Seeing the people at
all is `Person.objects.visible_to`; these are the finer rules on top of it."""

from __future__ import annotations

from typing import Any

from alongside.accounts.scope import Scope, scope_for
from alongside.people.models import Person

MERGE_DENIED = (
    "Only organization admins, and supervisors of a program of each of the two people, "
    "can merge records."
)


def can_review_duplicates(user: Any) -> bool:
    """The duplicates report and the list of merges: organization admins and supervisors."""
    scope = scope_for(user)
    return bool(scope.admin_organization_ids or scope.supervised_program_ids)


def _oversees(scope: Scope, person: Person) -> bool:
    return any(scope.oversees_program(e.program_id) for e in person.enrollments.all())


def can_merge(user: Any, a: Person, b: Person) -> bool:
    """Organization admins of the people's organization, and supervisors who oversee a
    program each of the two is enrolled in (the same one or two different ones). Two
    organizations' people are never merged."""
    if a.organization_id != b.organization_id:
        return False
    scope = scope_for(user)
    if scope.is_admin_of(a.organization_id):
        return True
    return _oversees(scope, a) and _oversees(scope, b)


def can_undo_merge(user: Any, survivor: Person) -> bool:
    """After a merge the survivor holds both records' enrollments: its organization's
    admins and the supervisors of one of its programs may undo it."""
    scope = scope_for(user)
    return scope.is_admin_of(survivor.organization_id) or _oversees(scope, survivor)


def can_view_merge(user: Any, survivor: Person, merged: Person) -> bool:
    """A merge record's page: people who review duplicates and may merge or undo here,
    that is organization admins of the records' organization and supervisors of a
    program of either record (while the merge stands, the survivor holds both)."""
    if not can_review_duplicates(user):
        return False
    scope = scope_for(user)
    return (
        scope.is_admin_of(survivor.organization_id)
        or _oversees(scope, survivor)
        or _oversees(scope, merged)
    )
