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


def test_it_filters_staff_accounts_in_spanish_agreeing_with_cuentas(
    spanish: Client, world: Any
) -> None:
    page = spanish.get(reverse("manage:staff", args=[world.org.pk])).content.decode()
    options = page[page.index('name="status"') : page.index("</select>")]
    assert all(word in options for word in (">Todas<", ">Activas<", ">Desactivadas<"))
    assert ">Activo<" not in options and ">Desactivado<" not in options


def test_the_staff_list_says_each_account_is_activa_or_desactivada(
    spanish: Client, world: Any
) -> None:
    world.supervisor.is_active = False
    world.supervisor.save(update_fields=["is_active"])
    page = spanish.get(reverse("manage:staff", args=[world.org.pk])).content.decode()
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    # The column is "Cuenta": each cell agrees with it, as the account's own page does.
    assert "<td>Activa</td>" in table and "<strong>Desactivada</strong>" in table
    assert "Activo<" not in table and "Desactivado<" not in table


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("oversees the program's staff, sees who accessed records, exports", "los registros"),
        ("The word for the people you serve", "que usted atiende"),
        ("Someone who matters", "Una persona importante"),
        ("Add someone who matters", "Añadir a una persona importante"),
    ],
)
def test_it_says_what_the_glossary_says(english: str, spanish: str) -> None:
    with translation.override("es"):
        assert spanish in translation.gettext(english)
