"""Sensitive screening results over the API (issue 7, defect 1): a PHQ-9 total that adds
up the self-harm item, and safety and behavioral-health needs, reach only those the one
sensitivity rule allows, and everyone else gets an explicit restricted marker."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from alongside.intake.fhir import ABSENT
from alongside.intake.models import ScreeningResponse
from alongside.intake.tests.test_responses import MORE_THAN_HALF, NEARLY, phq9
from alongside.people import services as people_services

ITEM_9 = "44260-8"  # PHQ-9: thoughts that you would be better off dead, or of hurting yourself
RESTRICTED = "Details restricted to the care team."


@pytest.fixture
def phq(world: Any, screen: Any) -> ScreeningResponse:
    """Eight items "more than half the days" and item 9 "nearly every day": 19, moderately
    severe, a depression need and an urgent flag. The person also once worked with the
    wellness program, so its staff see them without being on their care team."""
    people_services.enrollment_create(
        actor=world.admin,
        person=world.person,
        program=world.wellness,
        data={"status": "closed", "closure_reason": "moved", "ended_on": timezone.localdate()},
    )
    return screen("phq-9", phq9(MORE_THAN_HALF, **{ITEM_9: NEARLY}))


def _paths(world: Any, phq: ScreeningResponse) -> list[str]:
    return [
        f"/people/{world.person.pk}/screenings",
        f"/screenings/{phq.pk}",
        f"/people/{world.person.pk}/needs",
    ]


@pytest.mark.parametrize("persona", ["scheduler", "admin", "colleague"])
def test_it_keeps_sensitive_scores_and_needs_from_everyone_outside_the_care_team(
    world: Any, api_as: Any, phq: ScreeningResponse, persona: str
) -> None:
    api = api_as(getattr(world, persona))
    bodies = []
    for path in _paths(world, phq):
        reply = api.get(path)
        assert reply.status_code == 200, (path, reply.content)
        bodies.append(reply.content.decode())
    text = "\n".join(bodies)
    assert '"value":19' not in text and "moderately severe" not in text
    assert "depression" not in text.lower()

    [row] = api.get(f"/people/{world.person.pk}/screenings").json()
    assert row["scores"] == [{"name": "total", "restricted": True, "reason": RESTRICTED}]
    assert api.get(f"/screenings/{phq.pk}").json()["scores"] == row["scores"]
    [need] = api.get(f"/people/{world.person.pk}/needs").json()
    assert need["restricted"] is True and need["reason"] == RESTRICTED
    assert set(need) == {"id", "status", "status_label", "restricted", "reason"}


@pytest.mark.parametrize("persona", ["coordinator", "supervisor"])
def test_the_care_team_reads_them(
    world: Any, api_as: Any, phq: ScreeningResponse, persona: str
) -> None:
    api = api_as(getattr(world, persona))
    [row] = api.get(f"/people/{world.person.pk}/screenings").json()
    assert row["scores"] == [
        {"name": "total", "value": 19, "band": "moderately severe", "items_missing": 0}
    ]
    [need] = api.get(f"/people/{world.person.pk}/needs").json()
    # The one name and status wording of intake.wording, as on the pages.
    assert (need["kind"], need["label"]) == ("depression", "Mood")
    assert need["status_label"] == "May want help"
    assert need["source_screening_id"] == phq.pk


# Behavioral-health instruments are sensitive as a whole: every answer and score.
GAD7 = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
SEVERAL = "LA6569-3"


@pytest.fixture
def behavioral(world: Any, screen: Any) -> dict[str, ScreeningResponse]:
    """A GAD-7 of 17 (severe) and a PHQ-2 of 4 (positive), for a person the wellness
    program's staff once worked with."""
    people_services.enrollment_create(
        actor=world.admin,
        person=world.person,
        program=world.wellness,
        data={"status": "closed", "closure_reason": "moved", "ended_on": timezone.localdate()},
    )
    gad = {i: NEARLY for i in GAD7[:5]} | {GAD7[5]: SEVERAL, GAD7[6]: SEVERAL}
    return {
        "gad-7": screen("gad-7", gad),
        "phq-2": screen("phq-2", {"44250-9": MORE_THAN_HALF, "44255-8": MORE_THAN_HALF}),
    }


@pytest.mark.parametrize("persona", ["scheduler", "admin", "colleague"])
def test_no_gad7_or_phq2_total_band_or_answer_reaches_anyone_outside_the_care_team(
    world: Any, api_as: Any, behavioral: dict[str, ScreeningResponse], persona: str
) -> None:
    api = api_as(getattr(world, persona))
    restricted = [{"name": "total", "restricted": True, "reason": RESTRICTED}]
    rows = api.get(f"/people/{world.person.pk}/screenings").json()
    assert {r["instrument"]: r["scores"] for r in rows} == {
        "gad-7": restricted,
        "phq-2": restricted,
    }
    for slug, response in behavioral.items():
        assert api.get(f"/screenings/{response.pk}").json()["scores"] == restricted
        reply = api.get(f"/screenings/{response.pk}/fhir")
        assert reply.status_code == 200
        items = reply.json()["item"]
        assert items and all("answer" not in item for item in items), slug
        assert all(
            item["extension"] == [{"url": ABSENT, "valueCode": "masked"}] for item in items
        ), slug
        text = reply.content.decode().lower()
        assert NEARLY.lower() not in text and MORE_THAN_HALF.lower() not in text


@pytest.mark.parametrize("persona", ["coordinator", "supervisor"])
def test_the_care_team_reads_gad7_and_phq2_results(
    world: Any, api_as: Any, behavioral: dict[str, ScreeningResponse], persona: str
) -> None:
    api = api_as(getattr(world, persona))
    rows = api.get(f"/people/{world.person.pk}/screenings").json()
    assert {r["instrument"]: r["scores"] for r in rows} == {
        "gad-7": [{"name": "total", "value": 17, "band": "severe", "items_missing": 0}],
        "phq-2": [{"name": "total", "value": 4, "band": "positive", "items_missing": 0}],
    }
    items = api.get(f"/screenings/{behavioral['gad-7'].pk}/fhir").json()["item"]
    assert [i["answer"][0]["valueCoding"]["code"] for i in items][:2] == [NEARLY, NEARLY]
