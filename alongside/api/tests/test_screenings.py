"""Screenings over the API: listing, reading, FHIR out and FHIR in, needs; scoped and
audited like everything else, with sensitive answers masked outside the care team."""

from __future__ import annotations

from typing import Any

import pytest

from alongside.api.tests.conftest import assert_error
from alongside.audit.models import AuditEvent
from alongside.intake import fhir, services
from alongside.intake.models import Need, ScreeningResponse, UrgentFlag
from alongside.intake.tests.test_responses import NOT_AT_ALL, SEVERAL, phq9
from alongside.people.sensitivity import RESTRICTED

ITEM_9 = "44260-8"  # PHQ-9: thoughts that you would be better off dead, or of hurting yourself


@pytest.fixture
def completed(screen: Any) -> ScreeningResponse:
    return screen("phq-9", phq9(SEVERAL, **{ITEM_9: SEVERAL}))


def test_it_lists_a_persons_screenings_with_scores(
    world: Any, api_as: Any, completed: ScreeningResponse
) -> None:
    reply = api_as(world.coordinator).get(f"/people/{world.person.pk}/screenings")
    assert reply.status_code == 200
    [row] = reply.json()
    assert (row["id"], row["instrument"], row["status"]) == (completed.pk, "phq-9", "completed")
    assert row["scores"] == [{"name": "total", "value": 9, "band": "mild", "items_missing": 0}]
    assert row["fhir_url"] == f"/api/v1/screenings/{completed.pk}/fhir"
    assert AuditEvent.objects.filter(
        action="list", object_type="intake.screeningresponse", person_id=world.person.pk
    ).exists()


def test_it_gives_one_screening_as_fhir_and_masks_sensitive_answers_outside_the_care_team(
    world: Any, api_as: Any, completed: ScreeningResponse
) -> None:
    mine = api_as(world.coordinator).get(f"/screenings/{completed.pk}/fhir")
    assert mine.status_code == 200 and mine["Content-Type"].startswith("application/fhir+json")
    items = {i["linkId"]: i for i in mine.json()["item"]}
    assert items[ITEM_9]["answer"][0]["valueCoding"]["code"] == SEVERAL

    admins = api_as(world.admin).get(f"/screenings/{completed.pk}/fhir").json()
    masked = {i["linkId"]: i for i in admins["item"]}[ITEM_9]
    assert "answer" not in masked
    assert masked["extension"][0]["valueCode"] == "masked"


def test_it_brings_in_a_completed_questionnaire_response_and_acts_on_it(
    world: Any, api_as: Any, screen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    exported = fhir.questionnaire_response(screen("phq-9", phq9(NOT_AT_ALL, **{ITEM_9: SEVERAL})))
    ScreeningResponse.objects.all().delete()
    UrgentFlag.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        reply = api_as(world.coordinator).post(
            f"/people/{world.person.pk}/screenings/fhir", exported
        )
    assert reply.status_code == 201, reply.content
    created = ScreeningResponse.objects.get()
    assert reply["Location"] == f"/api/v1/screenings/{created.pk}"
    assert created.is_completed and created.scores.get().value == 1
    assert UrgentFlag.objects.filter(response=created).exists()  # item 9 is acted on


def test_it_keeps_an_in_progress_one_as_a_draft(world: Any, api_as: Any, screen: Any) -> None:
    draft = fhir.questionnaire_response(screen("phq-9", {ITEM_9: SEVERAL}, complete=False))
    reply = api_as(world.coordinator).post(f"/people/{world.person.pk}/screenings/fhir", draft)
    assert reply.status_code == 201
    assert reply.json()["status"] == "in_progress"
    assert ScreeningResponse.objects.filter(status="in_progress").count() == 2


def test_it_refuses_a_bad_import_and_writes_nothing(
    world: Any, api_as: Any, instruments: Any
) -> None:
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/screenings/fhir"
    base = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "https://elsewhere.example/fhir/Questionnaire/phq-2|3",
    }
    assert_error(api.post(path, {"resourceType": "Nonsense"}), 422, "invalid")
    unknown = {**base, "questionnaire": "https://x.example/Questionnaire/nope"}
    error = assert_error(api.post(path, unknown), 422)
    assert "questionnaire" in error["fields"]
    missing = {
        **base,
        "item": [{"linkId": "44250-9", "answer": [{"valueCoding": {"code": NOT_AT_ALL}}]}],
    }
    error = assert_error(api.post(path, missing), 422)
    assert "44255-8" in error["fields"]  # the unanswered required question is named
    stranger = {**base, "item": [{"linkId": "zzz", "answer": [{"valueString": "hi"}]}]}
    assert "zzz" in assert_error(api.post(path, stranger), 422)["fields"]
    active = {**base, "questionnaire": "https://x.example/Questionnaire/phq-2", "item": []}
    error = assert_error(api.post(path, {**active, "status": "finished"}), 422)
    assert "status must be one of" in error["fields"]["body"][0]  # not a FHIR status
    error = assert_error(api.post(path, {**active, "status": "in-progress", "item": None}), 422)
    assert "rather than send null: item" in error["fields"]["body"][0]
    assert_error(api.send("POST", path, raw="{not json"), 400)
    assert not ScreeningResponse.objects.exists()


def test_it_lists_needs(world: Any, api_as: Any, screen: Any) -> None:
    screen("hunger-vital-sign", {"88122-7": "LA28397-0", "88123-5": "LA28398-8"})
    reply = api_as(world.coordinator).get(f"/people/{world.person.pk}/needs")
    assert reply.status_code == 200
    [need] = reply.json()
    assert (need["kind"], need["status"]) == ("food_insecurity", "identified")
    assert need["source_screening_id"] == Need.objects.get().source_response_id


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_every_screening_endpoint_is_404_out_of_scope(
    world: Any, api_as: Any, completed: ScreeningResponse, persona: str
) -> None:
    api = api_as(getattr(world, persona))
    for path in (
        f"/people/{world.person.pk}/screenings",
        f"/screenings/{completed.pk}",
        f"/screenings/{completed.pk}/fhir",
        f"/people/{world.person.pk}/needs",
    ):
        assert_error(api.get(path), 404, "not_found")
    exported = fhir.questionnaire_response(completed)
    assert_error(api.post(f"/people/{world.person.pk}/screenings/fhir", exported), 404)
    assert ScreeningResponse.objects.count() == 1


def test_an_answer_without_a_value_or_a_code_is_a_clear_error(
    world: Any, api_as: Any, instruments: Any
) -> None:
    path = f"/people/{world.person.pk}/screenings/fhir"
    base = {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "questionnaire": "https://elsewhere.example/fhir/Questionnaire/phq-2",
    }
    codeless = {
        **base,
        "item": [{"linkId": "44250-9", "answer": [{"valueCoding": {"display": "x"}}]}],
    }
    assert "coding without a code" in str(
        assert_error(api_as(world.coordinator).post(path, codeless), 422)["fields"]
    )
    assert not ScreeningResponse.objects.exists()


def test_one_screening_gives_its_urgent_flags_and_what_was_done_to_the_care_team(
    world: Any, api_as: Any, completed: ScreeningResponse
) -> None:
    flag = UrgentFlag.objects.get()
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=flag, action="could_not_reach", note="No answer at 10."
    )
    services.urgent_flag_acknowledge(actor=world.coordinator, flag=flag, action="referred")
    [shown] = api_as(world.supervisor).get(f"/screenings/{completed.pk}").json()["urgent_flags"]
    assert shown["reason"].startswith("Positive answer to PHQ-9 item 9")
    assert (shown["status"], shown["closed_by"]["name"]) == ("closed", "Casey Nguyen")
    assert [(a["kind"], a["note"], a["closes_flag"]) for a in shown["actions"]] == [
        ("could_not_reach", "No answer at 10.", False),
        ("referred", "", True),
    ]
    assert shown["actions"][0]["label"] == "Tried, but could not reach them"
    assert shown["actions"][0]["taken_by"]["name"] == "Casey Nguyen"


def test_outside_the_care_team_a_flag_says_only_that_it_was_raised_and_closed(
    world: Any, api_as: Any, completed: ScreeningResponse
) -> None:
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=UrgentFlag.objects.get(), action="other", note="Sister"
    )
    reply = api_as(world.admin).get(f"/screenings/{completed.pk}")
    [hidden] = reply.json()["urgent_flags"]
    assert hidden["restricted"] is True and hidden["reason"] == RESTRICTED
    assert set(hidden) == {
        "id",
        "raised_at",
        "status",
        "closed_at",
        "closed_by",
        "restricted",
        "reason",
    }
    assert hidden["status"] == "closed"
    text = reply.content.decode()
    assert "Sister" not in text and "PHQ-9 item 9" not in text and "other" not in text
