"""Who may manage a program's records. Visibility itself is `Person.objects.visible_to`;
what a viewer may see of a person is `people.sensitivity.disclosure_for`."""

from __future__ import annotations

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.organizations.models import Program


def can_manage_program(user: Actor, program: Program) -> bool:
    scope = scope_for(user)
    return program.id in scope.program_ids or scope.is_admin_of(program.organization_id)
