"""Where screening details are hidden from a viewer, the page says "details restricted
to the care team", never that there is nothing (issue 7, defect 2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from alongside.intake.models import Need, ScreeningResponse
from alongside.intake.tests.test_responses import MORE_THAN_HALF, phq9

RESTRICTED = "Details restricted to the care team."


@pytest.fixture
def low_mood(screen: Any) -> ScreeningResponse:
    """A PHQ-9 of 16 with item 9 "not at all": a depression need (behavioral health) and
    a total that adds up the self-harm item, and nothing else."""
    return screen("phq-9", phq9(MORE_THAN_HALF, **{"44260-8": "LA6568-5"}))


def test_a_scheduler_is_told_a_need_is_restricted_not_that_there_is_none(
    client: Client, world: Any, low_mood: ScreeningResponse
) -> None:
    client.force_login(world.scheduler)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Nothing from screenings yet" not in page
    assert RESTRICTED in page
    assert "Mood" not in page and "how they have been feeling" not in page


def test_the_results_and_history_say_restricted_where_they_hide(
    client: Client, world: Any, low_mood: ScreeningResponse
) -> None:
    client.force_login(world.scheduler)
    results = client.get(reverse("intake:response", args=[low_mood.pk])).content.decode()
    assert "Nothing from this screening" not in results
    assert results.count(RESTRICTED) >= 2  # the scores and the need
    assert "16" not in results.split("Scores", 1)[1].split("Answers", 1)[0]
    history = client.get(reverse("intake:history", args=[world.person.pk])).content.decode()
    assert RESTRICTED in history and "moderately severe" not in history


def test_the_care_team_sees_what_is_restricted_for_others(
    client: Client, world: Any, low_mood: ScreeningResponse
) -> None:
    client.force_login(world.coordinator)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "<strong>Mood:</strong>" in page and RESTRICTED not in page
    results = client.get(reverse("intake:response", args=[low_mood.pk])).content.decode()
    assert "Total: 16" in results and RESTRICTED not in results


def test_a_scheduler_cannot_move_a_need_they_may_not_see(
    client: Client, world: Any, low_mood: ScreeningResponse
) -> None:
    """Moving it along would name it ("Mood: now Resolved"); the team's other needs
    stay theirs to move."""
    need = Need.objects.get(kind="depression")
    client.force_login(world.scheduler)
    url = reverse("intake:need-status", args=[need.pk])
    refused = client.post(url, {"status": "resolved", "expected": "identified"})
    assert refused.status_code == 403
    assert "Mood" not in refused.content.decode()
    need.refresh_from_db()
    assert need.status == "identified"
