"""A merge's page, read by a Spanish-preferring admin, is all in Spanish: what moved
counted by the models' own names ("2 datos de contacto"), the fields named as the
person's history names them, why the merge set each value, the pair's status and the
undo form. Names, the reason given and the person's own words stay as written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from alongside.matching.services import person_merge
from conftest import signed_in_in_spanish
from tests.language import english_left

from .conftest import pair_of

pytestmark = pytest.mark.django_db

REASON = "Same person: she said so."


def _main(html: str) -> str:
    return html[html.index("<main") :]


def test_a_merges_page_is_all_in_spanish(client: Client, twins: Any) -> None:
    world, survivor, merged = twins.world, twins.person, twins.twin
    pair_of(survivor, merged)
    record = person_merge(actor=world.admin, survivor=survivor, merged=merged, reason=REASON)
    address = reverse("matching:merge-detail", args=[record.pk])
    client.force_login(world.admin)
    english = client.get(address).content.decode()
    assert "2 contact points" in english and "the two records were merged" in english

    page = signed_in_in_spanish(client, world.admin).get(address).content.decode()
    # What moved, counted: the models' names, one or many.
    for moved in ("2 datos de contacto", "2 inscripciones", "1 idioma", "1 persona importante"):
        assert f"<li>{moved}</li>" in page, moved
    assert "1 alerta urgente" in page and "2 evaluaciones" in page
    # The fields, as the history and the forms name them; why each value was set.
    for field in ("Identidad de género", "Nota de cierre", "Motivo del cierre", "Estado"):
        assert f"<td>{field}</td>" in page, field
    assert "<td>Persona: Lupe Hernández</td>" in page
    assert "<td>completado con el registro fusionado</td>" in page
    assert "el registro que se quedó ya tenía una inscripción abierta en este programa" in page
    assert "Cerrada al fusionarse dos registros de Lupe Hernández" in page  # the closure note
    # The duplicate pair's review.
    assert "<td>Sin revisar todavía</td><td>Fusionado</td>" in page
    assert "<td>Revisado por</td>" in page and "se fusionaron los dos registros" in page
    assert "¿Por qué deshacer esta fusión?" in page
    for english_words in (
        "contact points",
        "Gender identity",
        "Closure note",
        "filled from the merged record",
        "Not reviewed yet",
        "the two records were merged",
        "Why undo this merge?",
    ):
        assert english_words not in page, english_words

    both = (survivor, merged)
    names = [
        *(p.display_name for p in both),
        *(p.legal_given_name for p in both),
        *(p.legal_family_name for p in both),
        f"{world.admin},",
        str(world.admin),
    ]
    theirs = [REASON, merged.gender_identity, merged.profile.important_to, merged.profile.hopes]
    # "no" is the same word in both languages.
    assert english_left(_main(page), _main(english), allowed=[*names, *theirs, "no"]) == []
    assert "Same person: she said so." in page and "A place with a garden." in page
