"""A message's journey entries and why one was not sent (the person's safe-contact
rules), stored in English, are read in Spanish by a Spanish-preferring coordinator; the
worker's reason for a rule and the number are kept as written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from alongside.messaging import journey_words
from alongside.messaging.purposes import Purpose, purposes
from alongside.messaging.services import deliver
from alongside.messaging.tests.test_sending import AFTERNOON, send
from alongside.people import services as people_services
from conftest import signed_in_in_spanish

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder() -> Iterator[Purpose]:
    # Under the key `test_sending.send` asks for, with a label in the catalog.
    purpose = Purpose(key="tests.hello", label=gettext_lazy("Appointment reminder"))
    purposes.register(purpose)
    try:
        yield purpose
    finally:
        purposes.unregister(purpose.key)


def contact(world: Any, **data: Any) -> None:
    people_services.contact_point_create(actor=world.coordinator, person=world.person, data=data)


def test_it_shows_a_blocked_and_a_sent_message_in_spanish(
    client: Client, world: Any, reminder: Purpose
) -> None:
    contact(
        world,
        kind="phone",
        value="(718) 555-0142",
        may_text=False,
        text_reason="Partner reads her texts",
    )
    assert send(world, "one").status == "blocked"
    contact(world, kind="email", value="lupe@example.org", may_email=True)
    assert deliver(send(world, "two").pk, AFTERNOON) == "sent"

    spanish = signed_in_in_spanish(client, world.coordinator)
    journey = spanish.get(reverse("people:timeline", args=[world.person.pk])).content.decode()
    assert "Mensaje no enviado: no era seguro" in journey
    assert "Recordatorio de cita: no se envió porque no era seguro" in journey
    assert (
        "mensaje de texto a (718) 555-0142: sin mensajes de texto: Partner reads her texts"
        in journey
    )
    assert "Recordatorio de cita por correo electrónico: se envió" in journey
    assert "Mensaje enviado" in journey
    for english in ("not sent", "not safe", "Message", "text message to", "no texts", " sent<"):
        assert english not in journey, english


def test_it_says_each_ways_reason_and_keeps_what_it_does_not_know() -> None:
    stored = (
        "text message to (718) 555-0142: outside the person's safe hours; "
        "email to lupe@example.org: the person's windows never open"
    )
    with translation.override("es"):
        assert journey_words.said_reason(stored) == (
            "mensaje de texto a (718) 555-0142: fuera del horario seguro de la persona; "
            "correo electrónico a lupe@example.org: los horarios de la persona nunca se abren"
        )
        assert journey_words.said_reason("Twilio error 21610") == "Twilio error 21610"
        assert journey_words.said_summary("Replied STOP: no more texts to +17185550142") == (
            "Respondió STOP: no más mensajes de texto a +17185550142"
        )
