"""A merge's page, read by a Spanish-preferring admin, is all in Spanish: what moved
counted by the models' own names ("2 datos de contacto"), the fields named as the
person's history names them, why the merge set each value, the pair's status and the
undo form. Names, the reason given and the person's own words stay as written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from alongside.matching.services import person_merge, person_merge_undo
from alongside.people.models import Person
from alongside.people.services import person_update
from conftest import signed_in_in_spanish
from tests.language import english_left

from .conftest import pair_of

pytestmark = pytest.mark.django_db

REASON = "Same person: she said so."


def _main(html: str) -> str:
    return html[html.index("<main") :]


def _as_written(twins: Any, *reasons: str) -> list[str]:
    """What the page shows as written: names, the reasons given, the person's words."""
    both = (twins.person, twins.twin)
    admin = twins.world.admin
    profile = twins.twin.profile
    return [
        *(p.display_name for p in both),
        *(p.legal_given_name for p in both),
        *(p.legal_family_name for p in both),
        f"{admin},",
        str(admin),
        *reasons,
        twins.twin.gender_identity,
        profile.important_to,
        profile.hopes,
        "no",  # the same word in both languages
    ]


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

    assert english_left(_main(page), _main(english), allowed=_as_written(twins, REASON)) == []
    assert "Same person: she said so." in page and "A place with a garden." in page


def test_what_an_undo_could_not_put_back_is_said_in_spanish(client: Client, twins: Any) -> None:
    """An undo's notes are stored in English; the merge's page says them in the reader's
    language, each kind of row and field named as the page names them."""
    world = twins.world
    record = person_merge(
        actor=world.admin, survivor=twins.person, merged=twins.twin, reason="Yes."
    )
    survivor = Person.objects.get(pk=twins.person.pk)
    person_update(
        actor=world.admin,
        person=survivor,
        data={"gender_identity": "female"},
        version=survivor.version,
    )
    phone = twins.person.contact_points.get(value="212-555-0199")
    phone.delete()
    person_merge_undo(actor=world.admin, merge_record=record, reason="Two sisters.")
    address = reverse("matching:merge-detail", args=[record.pk])
    client.force_login(world.admin)
    english = client.get(address).content.decode()
    assert "1 of the contact points moved by the merge were removed after it." in english
    page = signed_in_in_spanish(client, world.admin).get(address).content.decode()
    assert "Datos de contacto que movió la fusión y se eliminaron después: 1." in page
    said = (
        f"Persona n.º {survivor.pk}: «Identidad de género» cambió después de la fusión y se "
        "dejó como está ahora."
    )
    assert said in page
    assert "removed after" not in page and "was changed after the merge" not in page
    allowed = _as_written(twins, "Yes.", "Two sisters.", "female")
    left = english_left(_main(page), _main(english), allowed=allowed)
    assert left == []
