"""Screenings are visible only to those who can see the person; out of scope is a 404."""

from __future__ import annotations

from typing import Any

import pytest

from alongside.accounts.models import User
from alongside.intake import selectors, services
from alongside.intake.models import ScreeningResponse, UrgentFlag
from alongside.intake.tests.conftest import Screen
from alongside.intake.tests.test_responses import NOT_AT_ALL, SEVERAL, phq9
from alongside.intake.tests.test_urgent import SOMETIMES, ahc
from alongside.people.models import Person


@pytest.fixture
def completed(screen: Screen) -> ScreeningResponse:
    return screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "admin", "scheduler"])
def test_it_shows_the_response_to_people_who_can_see_the_person(
    world: Any, completed: ScreeningResponse, persona: str
) -> None:
    user = getattr(world, persona)
    assert selectors.response_detail(user, completed.pk) == completed
    assert list(selectors.person_responses(user, world.person.pk)) == [completed]
    flags = [f.response for f in selectors.open_urgent_flags(user)]
    assert flags == ([completed] if persona in ("coordinator", "supervisor") else [])


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_it_hides_the_response_from_everyone_else(
    world: Any, completed: ScreeningResponse, persona: str
) -> None:
    user = getattr(world, persona)
    with pytest.raises(ScreeningResponse.DoesNotExist, match="ScreeningResponse matching query"):
        selectors.response_detail(user, completed.pk)
    assert not selectors.person_responses(user, world.person.pk).exists()
    assert not selectors.person_needs(user, world.person.pk)
    assert not selectors.open_urgent_flags(user).exists()


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_it_refuses_writes_from_outside_the_persons_scope(
    world: Any, instruments: Any, completed: ScreeningResponse, persona: str
) -> None:
    user = getattr(world, persona)
    with pytest.raises(Person.DoesNotExist, match="Person matching query does not exist"):
        services.response_start(
            actor=user, person=world.person, instrument_version=instruments["phq-2"]
        )
    draft = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=instruments["phq-2"]
    )
    with pytest.raises(Person.DoesNotExist, match="Person matching query does not exist"):
        services.answer_save(
            actor=user,
            response=draft,
            link_id="44250-9",
            value=SEVERAL,
            expected_version=draft.version,
        )
    with pytest.raises(Person.DoesNotExist, match="Person matching query does not exist"):
        services.urgent_flag_acknowledge(
            actor=user, flag=UrgentFlag.objects.get(), action="contacted"
        )


def test_it_reads_a_persons_screenings_in_fixed_queries(
    world: Any, screen: Screen, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        screen("phq-2", {"44250-9": SEVERAL, "44255-8": SEVERAL})
    user = User.objects.get(pk=world.coordinator.pk)  # no scope cached yet
    with django_assert_num_queries(3):  # scope, responses with versions, scores
        rows = list(selectors.person_responses(user, world.person.pk))
        assert [r.scores.all()[0].value for r in rows] == [2, 2, 2]


def test_it_shows_sensitive_answers_only_to_the_care_team(
    world: Any, completed: ScreeningResponse
) -> None:
    mine = {a.link_id: a for a in selectors.answers_for(world.coordinator, completed)}
    assert (mine["44260-8"].display, mine["44260-8"].withheld) == ("Several days", False)
    assert mine["44250-9"].display == "Not at all" and mine["44250-9"].sensitive
    # The PHQ-9 is behavioral health: every answer is withheld, not only item 9.
    admins = {a.link_id: a for a in selectors.answers_for(world.admin, completed)}
    assert admins["44260-8"].withheld and admins["44260-8"].value is None
    assert admins["44260-8"].display == ""
    assert all(a.withheld and a.display == "" for a in admins.values())
    assert [a.link_id for a in admins.values()][-1] == "44260-8"


def test_schedulers_arrange_appointments_without_seeing_sensitive_answers(
    world: Any, completed: ScreeningResponse, screen: Screen
) -> None:
    theirs = {a.link_id: a for a in selectors.answers_for(world.scheduler, completed)}
    assert theirs["44260-8"].withheld and theirs["44260-8"].value is None
    assert theirs["44250-9"].withheld and theirs["44250-9"].display == ""
    supervisors = {a.link_id: a for a in selectors.answers_for(world.supervisor, completed)}
    assert not any(a.withheld for a in supervisors.values())
    # In an instrument that is not behavioral health, ordinary answers stay visible.
    hrsn = screen("ahc-hrsn-core", ahc([SOMETIMES] * 4))
    theirs = {a.link_id: a for a in selectors.answers_for(world.scheduler, hrsn)}
    assert theirs["95618-5"].withheld and not theirs["93030-5"].withheld
    assert theirs["93030-5"].display == "No"
