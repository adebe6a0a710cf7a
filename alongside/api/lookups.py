"""Finding what a request names, always from what the user may see.

Every record is reached through `people.selectors.people_for(user)` (that is,
`Person.objects.visible_to`), so an id outside the user's scope and an id that does not
exist look the same: `DoesNotExist`, which the API answers with 404.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib.auth import get_user_model
from pydantic import BaseModel

from alongside.accounts.actors import Actor
from alongside.api.errors import invalid
from alongside.organizations.models import Program
from alongside.people.models import CHANNELS, ContactPoint, Enrollment, Person
from alongside.people.permissions import can_manage_program
from alongside.people.selectors import people_for

# Fields whose null means "none"; null for any other text field means "blank".
NULLABLE = frozenset(
    {
        "date_of_birth",
        "referred_on",
        "started_on",
        "ended_on",
        "safe_hours_start",
        "safe_hours_end",
        *(f"{channel}_{end}" for channel in CHANNELS for end in ("from", "until")),
        "primary_coordinator_id",
    }
)


def visible_person(user: Actor, person_id: int, *, with_enrollments: bool = False) -> Person:
    people = people_for(user)
    if with_enrollments:
        people = people.prefetch_related("enrollments")
    return people.get(pk=person_id)


def visible_contact_point(user: Actor, contact_id: int) -> ContactPoint:
    return (
        ContactPoint.objects.select_related("person")
        .filter(person__in=people_for(user))
        .get(pk=contact_id)
    )


def visible_enrollment(user: Actor, enrollment_id: int) -> Enrollment:
    return (
        Enrollment.objects.select_related("person", "program")
        .filter(person__in=people_for(user))
        .get(pk=enrollment_id)
    )


def manageable_program(user: Actor, program_id: int) -> Program:
    """An active program the user works in (or administers). Unknown and out-of-scope
    programs get the same answer, so the API never confirms another's program exists."""
    program = Program.objects.filter(pk=program_id, is_active=True).first()
    if program is None or not can_manage_program(user, program):
        raise invalid("program_id", "Choose an active program you work in.")
    return program


def coordinator(organization_id: int, user_id: int | None) -> Any:
    """An active staff member of the organization, to name as primary coordinator."""
    if user_id is None:
        return None
    staff = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True, memberships__organization_id=organization_id)
        .first()
    )
    if staff is None:
        raise invalid(
            "primary_coordinator_id", "Choose an active staff member of this organization."
        )
    return staff


def changes(payload: BaseModel, *, exclude: Collection[str] = ()) -> dict[str, Any]:
    """The fields a PATCH sent, with null turned into blank for text fields."""
    data = payload.model_dump(exclude_unset=True, exclude={"version", *exclude})
    return {
        name: "" if value is None and name not in NULLABLE else value
        for name, value in data.items()
    }
