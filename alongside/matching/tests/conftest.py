"""Fixtures for merge tests: a second record of the world's person (Lupe, registered
again at the housing front desk), both records with something of everything that hangs
off a person, some of it clashing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Q
from django.utils import timezone

from alongside.intake import services as intake
from alongside.intake.models import InstrumentVersion, Need, ScreeningResponse, UrgentFlag
from alongside.matching.models import DuplicatePair
from alongside.matching.services import person_relations
from alongside.people import services
from alongside.people.models import Person
from conftest import World, make_person


@dataclass
class Twins:
    world: World
    person: Person  # the world's person, registered first
    twin: Person  # the same person, registered again


def add_screening(person: Person, need_kind: str, *, urgent: bool = False) -> ScreeningResponse:
    version = InstrumentVersion.objects.filter(status="active").order_by("pk").first()
    assert version is not None
    now = timezone.now()
    response = ScreeningResponse.objects.create(
        person=person,
        instrument_version=version,
        status="completed",
        started_at=now,
        completed_at=now,
    )
    Need.objects.create(person=person, kind=need_kind, source_response=response, identified_at=now)
    if urgent:
        UrgentFlag.objects.create(
            person=person, response=response, reason="Safety", guidance="Call today", raised_at=now
        )
    return response


@pytest.fixture
def twins(world: World) -> Twins:
    intake.instruments_load()
    actor = world.coordinator
    person = world.person
    twin = make_person(
        actor,
        world.housing,
        legal_given_name="Lupe",
        legal_family_name="Hernandez",
        date_of_birth=dt.date(1984, 3, 9),
        gender_identity="woman",
        profile={"important_to": "My kids.", "hopes": "A place with a garden."},
    )
    for who, phone in ((person, "212-555-0187"), (twin, "212-555-0199")):
        services.contact_point_create(
            actor=actor, person=who, data={"kind": "phone", "value": phone}
        )
    services.contact_point_create(
        actor=actor, person=twin, data={"kind": "email", "value": "lupe@example.org"}
    )
    services.support_contact_create(
        actor=actor, person=twin, data={"name": "Rosa", "relationship": "family"}
    )
    for who in (person, twin):  # the same identifier on both: stays with the twin
        services.identifier_create(
            actor=actor, person=who, data={"kind": "medicaid", "issuer": "NY", "value": "AB 123"}
        )
    services.identifier_create(
        actor=actor, person=twin, data={"kind": "hmis", "issuer": "County", "value": "H-9"}
    )
    services.language_add(actor=actor, person=person, data={"language": "es", "is_preferred": True})
    services.language_add(
        actor=actor, person=twin, data={"language": "es", "interpreter_needed": True}
    )
    services.language_add(actor=actor, person=twin, data={"language": "en", "is_preferred": True})
    services.enrollment_create(
        actor=world.admin,
        person=twin,
        program=world.wellness,
        data={"status": "active", "started_on": dt.date(2024, 1, 5)},
    )
    add_screening(person, "food_insecurity")
    add_screening(twin, "food_insecurity", urgent=True)  # an open need of the same kind
    add_screening(twin, "transportation")
    return Twins(world, person, twin)


def reachable(
    person: Person, actor: Any, *, phone: str = "", email: str = "", **identifier: str
) -> None:
    """Give the person a phone, an email and an identifier (kind, issuer, value), those given."""
    for kind, value in (("phone", phone), ("email", email)):
        if value:
            services.contact_point_create(
                actor=actor, person=person, data={"kind": kind, "value": value}
            )
    if identifier:
        services.identifier_create(actor=actor, person=person, data=identifier)


def pair_of(a: Person, b: Person, **extra: Any) -> DuplicatePair:
    """A pair of the duplicates report, as `find_duplicates` stores it."""
    first, second = sorted((a, b), key=lambda p: p.pk)
    now = timezone.now()
    return DuplicatePair.objects.create(
        organization_id=a.organization_id,
        person_a=first,
        person_b=second,
        score=extra.pop("score", 12.5),
        decision=extra.pop("decision", "likely"),
        reasons=extra.pop("reasons", ["same date of birth", "same last name"]),
        found_at=now,
        last_seen_at=now,
        **extra,
    )


def related_counts(*people: Person) -> dict[str, int]:
    """Rows pointing at these people, per relation that a merge moves."""
    ids = [p.pk for p in people]
    return {
        r.key: r.model._base_manager.filter(**{f"{r.field_name}__in": ids}).count()
        for r in person_relations()
        if r.how != "stays"
    }


def snapshot(*people: Person, exclude_changes_after: Any = None) -> dict[tuple[str, int], Any]:
    """Every row pointing at these people, with all its values, and the people's own
    fields: what an undo must restore exactly."""
    ids = [p.pk for p in people]
    rows: dict[tuple[str, int], Any] = {}
    for r in person_relations():
        if r.how == "stays":
            continue
        found = r.model._base_manager.filter(**{f"{r.field_name}__in": ids})
        if exclude_changes_after is not None and r.key == "people.recordchange.person":
            found = found.filter(Q(at__lte=exclude_changes_after))
        # The merge and its undo are on the survivor's journey for good, like its history.
        if exclude_changes_after is not None and r.key == "people.timelineentry.person":
            found = found.filter(Q(recorded_at__lte=exclude_changes_after))
        for row in found.values():
            rows[(r.key, row["id"])] = _unversioned(row)
    for person in Person.objects.filter(pk__in=ids).values():
        rows[("people.person", person["id"])] = _unversioned(dict(person))
    return rows


def _unversioned(row: dict[str, Any]) -> dict[str, Any]:
    """Versions and update times move on with every change, undo included."""
    return {k: v for k, v in row.items() if k not in ("version", "updated_at")}
