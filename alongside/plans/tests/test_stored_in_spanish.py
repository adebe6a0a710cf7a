"""What a plan change stores in English (its version's summary, its journey entry) is
read in Spanish by a Spanish-preferring coordinator."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from alongside.plans.tests.factories import add_goal, start_plan
from conftest import signed_in_in_spanish


def test_it_shows_a_plans_versions_and_journey_in_spanish(client: Client, world: Any) -> None:
    plan = start_plan(world)
    add_goal(world, plan, words="Tener mi propia casa.")
    spanish = signed_in_in_spanish(client, world.coordinator)
    versions = spanish.get(reverse("plans:versions", args=[plan.pk])).content.decode()
    assert "Plan iniciado" in versions and "Meta añadida: “Tener mi propia casa.”" in versions
    assert "Plan started" not in versions and "Goal added" not in versions
    journey = spanish.get(reverse("people:timeline", args=[world.person.pk])).content.decode()
    assert "Meta añadida: “Tener mi propia casa.”" in journey and "Goal added" not in journey
