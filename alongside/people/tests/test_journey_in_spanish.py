"""An enrollment's journey entries, stored in English, are read in Spanish by a
Spanish-preferring coordinator (entries written before this change included: they are
stored the same way)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from alongside.people import services
from conftest import signed_in_in_spanish


def test_it_shows_an_enrollments_changes_in_spanish(client: Client, world: Any) -> None:
    services.enrollment_update(
        actor=world.coordinator,
        enrollment=world.person.enrollments.get(),
        data={"status": "closed", "closure_reason": "goals_met", "primary_coordinator": None},
        version=None,
    )
    spanish = signed_in_in_spanish(client, world.coordinator)
    journey = spanish.get(reverse("people:timeline", args=[world.person.pk])).content.decode()
    assert "Housing Navigation: Remitida → Cerrada (Metas cumplidas)" in journey
    assert "Housing Navigation: Remitida</p>" in journey
    assert "Housing Navigation: sin coordinador/a principal" in journey
    assert "Referred" not in journey and "Goals met" not in journey
    assert "no primary coordinator" not in journey
