"""An encounter's and a signed note's journey entries, stored in English, are read in
Spanish by a Spanish-preferring coordinator."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from alongside.encounters.tests.factories import signed_note
from conftest import signed_in_in_spanish


def test_it_shows_an_encounter_and_its_signed_note_in_spanish(client: Client, world: Any) -> None:
    note = signed_note(world)
    name = note.template_version.template.name
    spanish = signed_in_in_spanish(client, world.coordinator)
    journey = spanish.get(reverse("people:timeline", args=[world.person.pk])).content.decode()
    assert "Visita a domicilio (45 min)" in journey and f"{name}: firmada" in journey
    assert "Home visit" not in journey and f"{name} signed" not in journey
