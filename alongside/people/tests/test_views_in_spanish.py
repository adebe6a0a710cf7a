"""A Spanish-preferring coordinator's confirmations, history of changes and language names
are in Spanish, not in English."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from alongside.accounts.tokens import token_create
from alongside.people.models import ContactPoint, PersonLanguage
from conftest import signed_in_in_spanish


@pytest.fixture
def spanish(client: Client, world: Any) -> Client:
    return signed_in_in_spanish(client, world.coordinator)


def test_it_confirms_a_save_in_spanish(spanish: Client, world: Any) -> None:
    response = spanish.post(
        reverse("people:contact-add", args=[world.person.pk]),
        {"kind": "phone", "value": "212-555-0187"},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain and "Guardado." in page
    assert "Saved." not in page


def test_it_names_the_changed_fields_in_spanish(spanish: Client, world: Any) -> None:
    contact = ContactPoint.objects.create(person=world.person, kind="phone", value="212-555-0187")
    spanish.post(
        reverse("people:contact-edit", args=[world.person.pk, contact.pk]),
        {"kind": "phone", "value": "212-555-0187", "may_text": "on", "version": contact.version},
    )
    history = spanish.get(reverse("people:history", args=[world.person.pk])).content.decode()
    assert "Cambió: dato de contacto" in history
    assert "<strong>Podemos enviar mensajes de texto</strong>: No → Sí" in history
    assert "May text" not in history and "contact point" not in history


def test_it_names_a_persons_languages_in_spanish(spanish: Client, world: Any) -> None:
    PersonLanguage.objects.create(person=world.person, language="zh")
    page = spanish.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Chino — 中文" in page and "Chinese" not in page


def test_it_says_what_is_restricted_in_spanish_and_the_api_in_english(
    client: Client, world: Any
) -> None:
    signed_in_in_spanish(client, world.scheduler)
    for name in ("profile", "history"):
        page = client.get(reverse(f"people:{name}", args=[world.person.pk])).content.decode()
        assert "Detalles reservados al equipo de atención." in page, name
        assert "Details restricted" not in page and "loud voices" not in page, name
    _, secret = token_create(user=world.scheduler, name="tests")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    body = api.get(f"/api/v1/people/{world.person.pk}/profile").json()
    assert body["approach_with_care"]["reason"] == "Details restricted to the care team."
