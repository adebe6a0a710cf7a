"""Finer rules than visibility: who may see sensitive details, manage enrollments,
or read who accessed a record. Visibility itself is `Person.objects.visible_to`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alongside.accounts.scope import scope_for
from alongside.people.models import Enrollment, Person


def is_care_team(user: Any, enrollments: Iterable[Enrollment]) -> bool:
    """The person's care team: primary coordinators and staff of programs the person is
    actively enrolled in (referred, active or paused). Pass the person's enrollments,
    usually already prefetched."""
    scope = scope_for(user)
    for enrollment in enrollments:
        if not enrollment.is_open:
            continue
        if enrollment.primary_coordinator_id == scope.user_id:
            return True
        if enrollment.program_id in scope.program_ids:
            return True
    return False


def can_see_care_notes(user: Any, person: Person) -> bool:
    return is_care_team(user, person.enrollments.all())


def can_see_sensitive_answers(user: Any, person: Person) -> bool:
    """Answers to sensitive screening questions (self-harm, safety at home): the care
    team, except staff who only schedule for the person's programs."""
    scope = scope_for(user)
    return any(
        e.is_open
        and (e.primary_coordinator_id == scope.user_id or e.program_id in scope.care_program_ids)
        for e in person.enrollments.all()
    )


def can_manage_program(user: Any, program: Any) -> bool:
    scope = scope_for(user)
    return program.id in scope.program_ids or scope.is_admin_of(program.organization_id)


def can_view_access_log(user: Any, person: Person) -> bool:
    """Supervisors of one of the person's programs, and organization admins."""
    scope = scope_for(user)
    if scope.is_admin_of(person.organization_id):
        return True
    return any(scope.oversees_program(e.program_id) for e in person.enrollments.all())
