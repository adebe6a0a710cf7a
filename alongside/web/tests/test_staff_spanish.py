"""A staff member who chooses Spanish gets the staff pages in Spanish: the coordinator's
start page, a person's page and the form to record an encounter, drawn with
Accept-Language es, say the catalog's Spanish and not its English
(alongside/locale/es/LC_MESSAGES/django.po; docs/translation-glossary.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alongside.people import services
from alongside.people.models import TimelineEntry
from tests.language import texts

# (English, Spanish) as each page shows them.
START_PAGE = [
    ("Hello, Casey", "Hola, Casey"),
    ("Who needs attention today", "Quién necesita atención hoy"),
    ("Worklist", "Lista de trabajo"),
    ("Snooze", "Posponer"),
    ("People I coordinate", "Personas que coordino"),  # the organization's word, translated
    ("Your whole caseload, with filters", "Todas las personas a su cargo, con filtros"),
]
PERSON_PAGE = [
    ("How to reach Lupe safely", "Cómo comunicarse con Lupe de forma segura"),
    ("Journey with us", "Recorrido con nosotros"),
    ("Record an encounter", "Registrar un encuentro"),
    ("Open tasks", "Tareas abiertas"),
    ("History of changes", "Historial de cambios"),
    ("About this record", "Sobre este registro"),  # the nav's label, no longer "Record"
]


def drawn(client: Client, user: Any, url: str, language: str) -> list[str]:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return texts(response.content.decode())


@pytest.mark.parametrize("which", ["start", "person"])
def test_a_staff_page_is_in_spanish_for_a_spanish_reader(client, world, which):
    url, phrases = {
        "start": (reverse("home"), START_PAGE),
        "person": (reverse("people:detail", args=[world.person.pk]), PERSON_PAGE),
    }[which]
    english = drawn(client, world.coordinator, url, "en")
    spanish = drawn(client, world.coordinator, url, "es")
    for in_english, in_spanish in phrases:
        assert in_english in english and in_spanish not in english
        assert in_spanish in spanish and in_english not in spanish
    assert "Record" not in spanish


def test_record_as_a_verb_has_its_own_translation(client, world):
    url = reverse("encounters:create", args=[world.person.pk])
    assert "Record" in drawn(client, world.coordinator, url, "en")
    spanish = drawn(client, world.coordinator, url, "es")
    assert "Registrar" in spanish and "Record" not in spanish


def test_the_person_record_says_its_choices_in_spanish(client, world):
    enrollment = world.person.enrollments.get()
    url = reverse("people:enrollment-edit", args=[world.person.pk, enrollment.pk])
    english = drawn(client, world.coordinator, url, "en")
    spanish = drawn(client, world.coordinator, url, "es")
    for in_english, in_spanish in [
        ("Referred", "Remitida"),
        ("Closure reason", "Motivo del cierre"),
        ("Moved away", "Se mudó"),
        ("Primary coordinator", "Coordinador/a principal"),
    ]:
        assert in_english in english and in_spanish not in english
        assert in_spanish in spanish and in_english not in spanish


def test_a_journey_summary_is_stored_in_english_whoever_writes_it(world):
    enrollment = world.person.enrollments.get()
    with translation.override("es"):
        services.enrollment_update(
            actor=world.coordinator,
            enrollment=enrollment,
            data={"status": "closed", "closure_reason": "moved"},
            version=None,
        )
    entry = TimelineEntry.objects.filter(kind="people.enrollment_status_changed").get()
    assert entry.summary == "Housing Navigation: Referred → Closed (Moved away)"
