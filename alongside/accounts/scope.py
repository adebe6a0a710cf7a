"""What a user's memberships let them reach. The one input to every visibility rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alongside.accounts.actors import Visitor
from alongside.accounts.models import Membership, Role, User

OVERSIGHT_ROLES = frozenset({Role.SUPERVISOR, Role.ORG_ADMIN})


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    organization_ids: frozenset[int] = frozenset()
    admin_organization_ids: frozenset[int] = frozenset()
    program_ids: frozenset[int] = frozenset()
    supervised_program_ids: frozenset[int] = frozenset()
    # Programs where the user holds more than a scheduling role: schedulers arrange
    # appointments and need no sensitive screening answers to do it.
    care_program_ids: frozenset[int] = frozenset()
    person_label: str = "person"

    @property
    def is_empty(self) -> bool:
        return not (self.admin_organization_ids or self.program_ids)

    def is_admin_of(self, organization_id: int | None) -> bool:
        return organization_id in self.admin_organization_ids

    def oversees_program(self, program_id: int) -> bool:
        return program_id in self.supervised_program_ids

    @property
    def primary_organization_id(self) -> int | None:
        return min(self.organization_ids) if self.organization_ids else None


MembershipRow = tuple[int, int | None, str, str]  # organization, program, role, label


def build_scope(user_id: int, rows: Iterable[MembershipRow]) -> Scope:
    """A scope from the user's memberships, however they were read (scope_for reads them
    on their own; API token authentication reads them with the token)."""
    orgs: set[int] = set()
    admin_orgs: set[int] = set()
    programs: set[int] = set()
    supervised: set[int] = set()
    care: set[int] = set()
    labels: dict[int, str] = {}
    for organization_id, program_id, role, label in rows:
        orgs.add(organization_id)
        labels[organization_id] = label
        if role == Role.ORG_ADMIN:
            admin_orgs.add(organization_id)
        elif program_id is not None:
            programs.add(program_id)
            if role != Role.SCHEDULER:
                care.add(program_id)
            if role == Role.SUPERVISOR:
                supervised.add(program_id)
    return Scope(
        user_id=user_id,
        organization_ids=frozenset(orgs),
        admin_organization_ids=frozenset(admin_orgs),
        program_ids=frozenset(programs),
        supervised_program_ids=frozenset(supervised),
        care_program_ids=frozenset(care),
        person_label=labels[min(orgs)] if orgs else "person",
    )


def scope_for(user: Visitor | None) -> Scope:
    """The user's scope, read once per request and kept on the user object."""
    # The system and a visitor not signed in reach no one's records through a scope.
    if not isinstance(user, User) or not user.is_active:
        return Scope(user_id=None)
    cached: Scope | None = getattr(user, "_alongside_scope", None)
    if cached is not None:
        return cached
    rows = Membership.objects.filter(user_id=user.pk).values_list(
        "organization_id", "program_id", "role", "organization__person_label"
    )
    scope = build_scope(user.pk, rows)
    user._alongside_scope = scope
    return scope


def forget_scope(user: Visitor) -> None:
    """Drop the cached scope after memberships change."""
    if hasattr(user, "_alongside_scope"):
        del user._alongside_scope
