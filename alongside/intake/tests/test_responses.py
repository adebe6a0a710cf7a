"""Starting, answering and completing screenings: declines, skips, skip logic, versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from alongside.audit.models import AuditEvent
from alongside.intake import selectors, services
from alongside.intake.models import Answer, Instrument, InstrumentVersion, Need, Score
from alongside.intake.tests.conftest import DECLINE, Screen
from alongside.lib.errors import StaleVersion

NOT_AT_ALL, SEVERAL, MORE_THAN_HALF, NEARLY = "LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"
PHQ9 = [
    "44250-9",
    "44255-8",
    "44259-0",
    "44254-1",
    "44251-7",
    "44258-2",
    "44252-5",
    "44253-3",
    "44260-8",
]


def phq9(code: str = NOT_AT_ALL, **changes: Any) -> dict[str, Any]:
    return {link_id: changes.get(link_id, code) for link_id in PHQ9}


def custom(world: Any, definition: dict[str, Any], **extra: Any) -> InstrumentVersion:
    instrument = Instrument.objects.create(slug="custom", title="Custom check-in")
    return services.instrument_version_create(
        actor=world.admin,
        instrument=instrument,
        label="1",
        definition=definition,
        status=InstrumentVersion.Status.ACTIVE,
        **extra,
    )


SKIP_LOGIC = {
    "items": [
        {"link_id": "has-car", "text": "Do you have a car?", "type": "boolean", "required": True},
        {
            "link_id": "car-works",
            "text": "Does it run reliably?",
            "type": "boolean",
            "enable_when": [{"question": "has-car", "operator": "=", "answer": True}],
        },
        {"link_id": "notes", "text": "Anything else?", "type": "text"},
    ]
}


def test_it_scores_and_stores_a_completed_screening(world: Any, screen: Screen) -> None:
    response = screen("phq-9", phq9(MORE_THAN_HALF, **{"44260-8": NOT_AT_ALL}))
    assert response.status == "completed" and response.completed_by == world.coordinator
    total = Score.objects.get(response=response, name="total")
    assert (total.value, total.band, total.items_missing) == (16, "moderately severe", 0)
    assert response.answers.count() == 9


def test_it_records_prefer_not_to_answer_as_declined_not_as_no(world: Any, screen: Screen) -> None:
    response = screen("phq-9", phq9(SEVERAL, **{"44250-9": DECLINE}))
    declined = response.answers.get(link_id="44250-9")
    assert (declined.state, declined.value) == (Answer.State.DECLINED, None)
    total = response.scores.get(name="total")
    assert (total.value, total.items_missing) == (8, 1)


def test_it_refuses_to_decline_when_the_instrument_forbids_it(world: Any) -> None:
    version = custom(world, {"allow_decline": False, **SKIP_LOGIC})
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=version
    )
    with pytest.raises(ValidationError, match="needs an answer"):
        services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id="has-car",
            declined=True,
            expected_version=response.version,
        )


def test_it_refuses_answers_that_do_not_fit_the_question(world: Any, screen: Screen) -> None:
    response = screen("readiness-ruler", {}, complete=False)
    for link_id, value, why in [
        ("importance", 11, "Enter a number from 0 to 10"),
        ("importance", "7", "Enter a whole number"),
        ("nope", 3, "not part of the screening"),
    ]:
        with pytest.raises(ValidationError, match=why):
            services.answer_save(
                actor=world.coordinator,
                response=response,
                link_id=link_id,
                value=value,
                expected_version=response.version,
            )


def test_it_names_required_questions_left_unanswered(world: Any, screen: Screen) -> None:
    response = screen("phq-2", {"44250-9": SEVERAL}, complete=False)
    with pytest.raises(ValidationError, match="prefers not to answer") as error:
        services.response_complete(
            actor=world.coordinator, response=response, expected_version=response.version
        )
    assert list(error.value.message_dict) == ["44255-8"]


def test_it_records_skipped_questions_and_drops_ones_skip_logic_hides(world: Any) -> None:
    version = custom(world, SKIP_LOGIC)
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=version
    )
    for link_id, value in [("has-car", True), ("car-works", False), ("has-car", False)]:
        response = services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id=link_id,
            value=value,
            expected_version=response.version,
        )
    response = services.response_complete(
        actor=world.coordinator, response=response, expected_version=response.version
    )
    states = dict(response.answers.values_list("link_id", "state"))
    assert states == {"has-car": "answered", "notes": "skipped"}


def test_it_clears_an_answer_saved_as_none(world: Any, screen: Screen) -> None:
    response = screen("phq-2", {"44250-9": SEVERAL, "44255-8": NEARLY}, complete=False)
    response = services.answer_save(
        actor=world.coordinator,
        response=response,
        link_id="44250-9",
        value=None,
        expected_version=response.version,
    )
    assert list(response.answers.values_list("link_id", flat=True)) == ["44255-8"]


def test_it_refuses_a_stale_draft_edit(world: Any, screen: Screen) -> None:
    response = screen("phq-2", {}, complete=False)
    opened = response.version
    services.answer_save(
        actor=world.coordinator,
        response=response,
        link_id="44250-9",
        value=SEVERAL,
        expected_version=opened,
    )
    with pytest.raises(StaleVersion, match="changed since you opened it"):
        services.answer_save(
            actor=world.supervisor,
            response=response,
            link_id="44250-9",
            value=NEARLY,
            expected_version=opened,
        )
    assert response.answers.get(link_id="44250-9").value == SEVERAL


def test_it_refuses_changes_to_a_completed_screening(world: Any, screen: Screen) -> None:
    response = screen("phq-2", {"44250-9": SEVERAL, "44255-8": SEVERAL})
    with pytest.raises(ValidationError, match="already completed"):
        services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id="44250-9",
            value=NEARLY,
            expected_version=response.version,
        )


def test_it_derives_needs_with_their_source(world: Any, screen: Screen) -> None:
    response = screen("hunger-vital-sign", {"88122-7": "LA6729-3", "88123-5": "LA28398-8"})
    need = Need.objects.get(person=world.person)
    assert (need.kind, need.source_response, need.status) == (
        "food_insecurity",
        response,
        "identified",
    )
    again = screen("hunger-vital-sign", {"88122-7": "LA28397-0", "88123-5": "LA28397-0"})
    assert Need.objects.filter(person=world.person).count() == 1
    assert again.needs.count() == 0


def test_it_keeps_scoring_responses_on_a_retired_version(world: Any, screen: Screen) -> None:
    old = screen("phq-2", {"44250-9": NEARLY}, complete=False)
    v1 = old.instrument_version
    v2 = services.instrument_version_create(
        actor=world.admin,
        instrument=v1.instrument,
        label=f"{v1.label}-next",
        definition=v1.definition,
        status=InstrumentVersion.Status.ACTIVE,
    )
    v1.refresh_from_db()
    assert (v1.status, v2.status) == ("retired", "active")
    with pytest.raises(ValidationError, match="active version"):
        services.response_start(actor=world.coordinator, person=world.person, instrument_version=v1)
    old = services.answer_save(
        actor=world.coordinator,
        response=old,
        link_id="44255-8",
        value=NOT_AT_ALL,
        expected_version=old.version,
    )
    services.response_complete(actor=world.coordinator, response=old, expected_version=old.version)
    loaded = selectors.response_detail(world.coordinator, old.pk)
    assert loaded.instrument_version == v1
    assert [(s.name, s.value, s.band) for s in loaded.scores.all()] == [("total", 3, "positive")]


def test_it_audits_answers_without_their_values(world: Any, screen: Screen) -> None:
    response = screen("phq-9", phq9(SEVERAL))
    events = AuditEvent.objects.filter(object_type="intake.screeningresponse")
    assert events.filter(action="update").count() == 9
    assert all(e.person_id == world.person.pk for e in events)
    assert all(e.organization_id == world.org.pk for e in events)
    assert not any(SEVERAL in str(e.detail) + str(e.fields) for e in events)
    assert events.filter(action="complete", object_id=str(response.pk)).exists()


def test_it_accepts_a_retried_autosave_that_changes_nothing(world: Any, screen: Screen) -> None:
    response = screen("phq-2", {}, complete=False)
    opened = response.version
    saved = services.answer_save(
        actor=world.coordinator,
        response=response,
        link_id="44250-9",
        value=SEVERAL,
        expected_version=opened,
    )
    retried = services.answer_save(
        actor=world.coordinator,
        response=response,
        link_id="44250-9",
        value=SEVERAL,
        expected_version=opened,
    )
    assert retried.version == saved.version == opened + 1
