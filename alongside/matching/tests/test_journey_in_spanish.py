"""A merge's and its undoing's journey entries and history lines, stored in English,
are read in Spanish by a Spanish-preferring admin; the names and the reasons given are
kept as written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from alongside.matching.services import person_merge, person_merge_undo
from conftest import signed_in_in_spanish

from .conftest import pair_of

pytestmark = pytest.mark.django_db


def test_it_shows_a_merge_and_its_undoing_in_spanish(client: Client, twins: Any) -> None:
    world, survivor, merged = twins.world, twins.person, twins.twin
    pair_of(survivor, merged)
    record = person_merge(
        actor=world.admin, survivor=survivor, merged=merged, reason="Same person: she said so."
    )
    person_merge_undo(actor=world.admin, merge_record=record, reason="Not the same: two sisters.")
    named = f"Lupe Hernandez (registro n.º {merged.pk})"

    spanish = signed_in_in_spanish(client, world.admin)
    journey = spanish.get(reverse("people:timeline", args=[survivor.pk])).content.decode()
    assert f"Fusionado con {named}" in journey and f"Fusión con {named} deshecha" in journey
    assert "Same person: she said so." in journey and "two sisters" in journey
    assert "Merged with" not in journey and "undone" not in journey and "record #" not in journey

    history = spanish.get(reverse("people:history", args=[survivor.pk])).content.decode()
    assert "Fusionado aquí</strong>" in history and named in history
    assert f"(record #{merged.pk})" not in history and "Merged in" not in history
