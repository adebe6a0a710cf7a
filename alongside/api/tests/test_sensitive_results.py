"""Sensitive screening results over the API (issue 7, defect 1): a PHQ-9 total that adds
up the self-harm item, and safety and behavioral-health needs, reach only those the one
sensitivity rule allows, and everyone else gets an explicit restricted marker."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

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
    assert set(need) == {"id", "status", "restricted", "reason"}


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
    assert (need["kind"], need["label"]) == ("depression", "Depression")
    assert need["source_screening_id"] == phq.pk
