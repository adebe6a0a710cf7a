"""A page of answers saved at once: checked per answer, all or none, one change."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from alongside.audit.models import AuditEvent
from alongside.intake import services
from alongside.intake.definitions import Given
from alongside.intake.models import InstrumentVersion

PHQ2 = {"44250-9": Given(value="LA6569-3"), "44255-8": Given(declined=True)}


def test_it_saves_a_page_as_one_change_naming_its_questions(
    world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=instruments["phq-2"]
    )
    saved = services.answers_save(
        actor=world.coordinator, response=response, answers=PHQ2, expected_version=1
    )
    assert saved.version == 2
    assert dict(saved.answers.values_list("link_id", "state")) == {
        "44250-9": "answered",
        "44255-8": "declined",
    }
    event = AuditEvent.objects.filter(object_id=str(response.pk), action="update").get()
    assert event.fields == ["44250-9", "44255-8"]
    assert "LA6569-3" not in str(event.detail)  # the questions, never the answers


def test_it_saves_nothing_when_one_answer_does_not_fit(
    world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=instruments["phq-2"]
    )
    with pytest.raises(ValidationError, match="Choose one of the listed answers") as error:
        services.answers_save(
            actor=world.coordinator,
            response=response,
            answers={"44250-9": Given(value="LA6569-3"), "44255-8": Given(value="nope")},
            expected_version=1,
        )
    assert list(error.value.message_dict) == ["44255-8"]
    assert not response.answers.exists()


def test_it_changes_nothing_when_the_page_was_already_saved(
    world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=instruments["phq-2"]
    )
    first = services.answers_save(
        actor=world.coordinator, response=response, answers=PHQ2, expected_version=1
    )
    again = services.answers_save(
        actor=world.coordinator, response=response, answers=PHQ2, expected_version=1
    )
    assert again.version == first.version == 2
