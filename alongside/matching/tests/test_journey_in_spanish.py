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
    assert "Merged in" not in history and "record #" not in history
    # The note on the enrollment the merge closed, also on the person's page.
    closed = f"Cerrada al fusionarse dos registros de Lupe Hernández (el registro n.º {merged.pk}"
    assert closed in history and "Closed when" not in history


def test_the_person_page_says_a_merges_closure_note_in_spanish(client: Client, twins: Any) -> None:
    pair_of(twins.person, twins.twin)
    person_merge(actor=twins.world.admin, survivor=twins.person, merged=twins.twin, reason="Same.")
    spanish = signed_in_in_spanish(client, twins.world.admin)
    page = spanish.get(reverse("people:detail", args=[twins.person.pk])).content.decode()
    assert "— Cerrada al fusionarse dos registros de Lupe Hernández" in page
    assert "Closed when" not in page
