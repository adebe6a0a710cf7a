"""The staff pages' language: the user's own preference, else the browser's, else English."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alongside.accounts.models import User


def language_of(client: Client, **headers: str) -> str:
    return str(client.get(reverse("home"), headers=headers)["Content-Language"])


@pytest.fixture
def coordinator(client: Client, world: Any) -> User:
    client.force_login(world.coordinator)
    return world.coordinator


def test_it_uses_the_users_own_language_over_the_browsers(
    client: Client, coordinator: User
) -> None:
    coordinator.language = "es"
    coordinator.save(update_fields=["language"])
    assert language_of(client) == "es"
    assert language_of(client, accept_language="en-US,en;q=0.9") == "es"


def test_without_a_preference_it_follows_the_browser_then_english(
    client: Client, coordinator: User
) -> None:
    assert language_of(client, accept_language="es-MX,es;q=0.9") == "es"
    assert language_of(client, accept_language="fr-FR,fr;q=0.9") == "en"  # not offered
    assert language_of(client) == "en"


def test_a_preference_no_longer_offered_falls_back(
    client: Client, coordinator: User, settings: Any
) -> None:
    coordinator.language = "es"
    coordinator.save(update_fields=["language"])
    settings.LANGUAGES = [("en", "English")]
    assert language_of(client, accept_language="es") == "en"


def test_signed_out_pages_follow_the_browser(client: Client, db: Any) -> None:
    reply = client.get(reverse("login"), headers={"accept-language": "es"})
    assert reply["Content-Language"] == "es"
    assert "Accept-Language" in reply["Vary"]


def test_a_request_leaves_the_language_as_it_found_it(client: Client, coordinator: User) -> None:
    coordinator.language = "es"
    coordinator.save(update_fields=["language"])
    assert language_of(client) == "es"
    assert translation.get_language() == "en"
