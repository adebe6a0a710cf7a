"""A Spanish-preferring admin's management pages label their fields in Spanish."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alongside.audit.models import AuditEvent
from conftest import signed_in_in_spanish


@pytest.fixture
def spanish(client: Client, world: Any) -> Client:
    return signed_in_in_spanish(client, world.admin)


def test_it_labels_a_new_account_in_spanish(spanish: Client, world: Any) -> None:
    page = spanish.get(reverse("manage:staff-add", args=[world.org.pk])).content.decode()
    assert "Primera función" in page and "Nombre que ven los demás" in page
    assert "trabaja con las personas del programa y coordina su atención" in page
    assert "First role" not in page and "Name shown to others" not in page
    assert "coordinates their care" not in page


def test_it_labels_the_organizations_settings_in_spanish(spanish: Client, world: Any) -> None:
    page = spanish.get(reverse("manage:settings", args=[world.org.pk])).content.decode()
    assert "Nombre de la organización" in page and "Organization name" not in page


def test_it_names_how_an_audit_event_came_in_in_spanish() -> None:
    with translation.override("es"):
        assert AuditEvent(channel="command").channel_name == "comando"
        assert AuditEvent(channel="task").channel_name == "tarea programada"
    assert AuditEvent(channel="command").channel_name == "command"
