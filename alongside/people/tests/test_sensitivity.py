"""The one sensitivity rule: its answer in Python (`disclosure_for`) agrees with the
scoping rule and with its own form in queries (`sees_sensitive`), and the selectors
apply it before a person's information leaves them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from alongside.people import selectors, services
from alongside.people.models import Person
from alongside.people.sensitivity import (
    NOTHING,
    RESTRICTED,
    CareNote,
    care_note_notice,
    disclosure_for,
    sees_sensitive,
)
from conftest import make_person

PERSONAS = ["coordinator", "colleague", "supervisor", "admin", "scheduler", "outsider"]
NOTE = "Please knock; loud voices are hard for me."


@pytest.fixture
def people(world: Any) -> list[Person]:
    """The world's person, one enrolled in housing and once in wellness, one whose
    housing enrollment is closed, and one in the other organization."""
    rosa = make_person(world.coordinator, world.housing, legal_given_name="Rosa")
    services.enrollment_create(
        actor=world.admin,
        person=rosa,
        program=world.wellness,
        data={"status": "closed", "closure_reason": "moved", "ended_on": timezone.localdate()},
    )
    past = make_person(world.coordinator, world.housing, legal_given_name="Sam")
    enrollment = past.enrollments.get()
    services.enrollment_update(
        actor=world.coordinator,
        enrollment=enrollment,
        data={"status": "closed", "closure_reason": "goals_met"},
        version=None,
    )
    elsewhere = make_person(world.outsider, world.other_program, legal_given_name="Ada")
    return [world.person, rosa, Person.objects.get(pk=past.pk), elsewhere]


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_agrees_with_visibility_and_with_its_form_in_queries(
    world: Any, people: list[Person], persona: str
) -> None:
    user = getattr(world, persona)
    visible = set(Person.objects.visible_to(user).values_list("pk", flat=True))
    sensitive = set(
        Person.objects.visible_to(user).filter(sees_sensitive(user)).values_list("pk", flat=True)
    )
    for person in people:
        disclosure = disclosure_for(user, person)
        assert disclosure.identity == (person.pk in visible), (persona, person)
        assert disclosure.sensitive == (person.pk in sensitive), (persona, person)
        assert disclosure.reads_care_note == disclosure.sensitive
        if not disclosure.identity:
            assert disclosure == NOTHING


def test_a_closed_enrollment_keeps_the_person_in_view_but_off_the_team(
    world: Any, people: list[Person]
) -> None:
    past = people[2]
    d = disclosure_for(world.coordinator, past)
    assert d.identity and not d.sensitive and not d.on_team
    assert d.care_note is CareNote.NOTICE
    assert disclosure_for(world.supervisor, past).access_log


def test_the_selector_replaces_a_note_the_reader_may_not_read(world: Any) -> None:
    for persona, shown in (
        ("coordinator", NOTE),
        ("supervisor", NOTE),
        ("scheduler", care_note_notice(world.person)),
        ("admin", care_note_notice(world.person)),
    ):
        person = selectors.person_detail(getattr(world, persona), world.person.pk)
        assert person.profile.approach_with_care == shown, persona
    assert care_note_notice(world.person) == (
        "Approach with care — speak with Lupe’s coordinator before raising personal topics"
    )


def test_a_redacted_note_is_never_written_back(world: Any) -> None:
    person = selectors.person_detail(world.scheduler, world.person.pk)
    services.profile_update(
        actor=world.scheduler, person=person, data={"hopes": "A garden."}, version=None
    )
    person.refresh_from_db()
    assert person.profile.approach_with_care == NOTE


def test_the_history_restricts_only_the_notes_values(world: Any) -> None:
    changes = selectors.person_history(world.scheduler, world.person)
    created = next(c for c in changes if c.entity == "profile")
    assert created.changes["approach_with_care"] == [RESTRICTED, RESTRICTED]
    assert created.changes["important_to"] == ["", "Being there for my kids."]
    mine = selectors.person_history(world.coordinator, world.person)
    assert next(c for c in mine if c.entity == "profile").changes["approach_with_care"][1] == NOTE


def test_no_one_signed_out_sees_anything(world: Any, people: list[Person]) -> None:
    nobody = AnonymousUser()
    # Rosa's enrollment has no primary coordinator: "coordinator is nobody" is not a match.
    assert people[1].enrollments.filter(primary_coordinator__isnull=True).exists()
    assert not Person.objects.filter(sees_sensitive(nobody)).exists()
    assert all(disclosure_for(nobody, person) == NOTHING for person in people)
