"""Fixtures for worklist tests: an urgent flag raised the way intake raises one (a PHQ-9
answering the self-harm item), contacts recorded the way encounters record them, more
people on the coordinator's own caseload, and decisions on the "new" item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from alongside.intake import services as intake
from alongside.intake.definitions import Given
from alongside.intake.models import InstrumentVersion, UrgentFlag
from alongside.people import services as people
from alongside.people.models import Person
from alongside.worklist import services
from alongside.worklist.models import WorklistDecision
from conftest import make_person

SEVERAL, NEARLY = "LA6569-3", "LA6571-9"
PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3"]
ITEM_9 = "44260-8"


def contacted(person: Person, days_ago: int) -> None:
    people.record_contact(person=person, at=timezone.now() - dt.timedelta(days=days_ago))


def coordinated(world: Any, name: str, **fields: Any) -> Person:
    """Someone else in the housing program whose primary coordinator is the world's."""
    return make_person(
        world.coordinator,
        world.housing,
        legal_given_name=name,
        primary_coordinator=world.coordinator,
        **fields,
    )


def crowd(
    world: Any,
    flag: Callable[[Person], UrgentFlag],
    count: int,
    days_since_contact: Callable[[int], int | None] = lambda n: None,
    **fields: Any,
) -> list[Person]:
    """`count` more of the coordinator's people (Kai0, Kai1, …), each with an urgent flag,
    the n-th last contacted `days_since_contact(n)` days ago (None: never)."""
    people = []
    for n in range(count):
        person = coordinated(world, f"Kai{n}", **fields)
        flag(person)
        days = days_since_contact(n)
        if days is not None:
            contacted(person, days)
        people.append(person)
    return people


def decide(actor: Any, person: Person, **changes: Any) -> WorklistDecision:
    """A decision on the person's "new, not yet contacted" item: done today, unless
    `changes` say otherwise."""
    new = {"reason_key": "worklist.not_yet_contacted", "item_key": "new", "action": "done"}
    return services.decision_record(actor=actor, person=person, **(new | changes))


@pytest.fixture
def flag(world: Any) -> Callable[[Person], UrgentFlag]:
    """flag(person) raises an urgent flag for them with a completed PHQ-9."""
    intake.instruments_load()
    version = InstrumentVersion.objects.get(status="active", instrument__slug="phq-9")

    def raise_flag(person: Person) -> UrgentFlag:
        actor = world.coordinator
        response = intake.response_start(actor=actor, person=person, instrument_version=version)
        answers = {i: Given(value=SEVERAL, declined=False) for i in PHQ9}
        answers[ITEM_9] = Given(value=NEARLY, declined=False)
        response = intake.answers_save(
            actor=actor, response=response, answers=answers, expected_version=response.version
        )
        intake.response_complete(actor=actor, response=response, expected_version=None)
        return UrgentFlag.objects.get(response=response)

    return raise_flag
