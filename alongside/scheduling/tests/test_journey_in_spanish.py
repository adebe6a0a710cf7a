"""An appointment's journey entries (booked, moved, cancelled, attended, the waitlist),
stored in English, are read in Spanish by a Spanish-preferring coordinator; the type's
name, the staff member's and the worker's reason are kept as written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alongside.scheduling import attendance, booking, changes, journey_words, waitlist
from alongside.scheduling.tests.factories import make_type
from alongside.scheduling.tests.services_helpers import NOW, TEN, bookable, choice
from conftest import signed_in_in_spanish

pytestmark = pytest.mark.django_db
TUESDAY = TEN + dt.timedelta(days=1)
LINE = "Check-in con Casey Nguyen, %s, 10:00 (Teléfono)"


def test_it_shows_an_appointments_journey_in_spanish(client: Client, world: Any) -> None:
    kind = bookable(world)
    private = make_type(world, name="Counseling", sensitive=True, modalities=["phone"])
    first = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )
    moved = changes.reschedule(
        actor=world.coordinator,
        appointment=first,
        choice=choice(world, kind, TUESDAY),
        reason="she works Mondays",
        now=NOW,
    )
    changes.cancel(actor=world.coordinator, appointment=moved, reason="she is away", now=NOW)
    kept = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, private), now=NOW
    )
    after = TEN + dt.timedelta(hours=2)
    attendance.mark(actor=world.coordinator, appointment=kept, status="completed", now=after)
    waitlist.join(actor=world.coordinator, person=world.person, kind=kind)

    spanish = signed_in_in_spanish(client, world.coordinator)
    journey = spanish.get(reverse("people:timeline", args=[world.person.pk])).content.decode()
    assert f'<p class="timeline-summary">{LINE % "7 dic 2026"}</p>' in journey
    assert f"Cambiada de hora (antes: 7 dic 2026, 10:00): {LINE % '8 dic 2026'}" in journey
    assert f"Cancelada: {LINE % '8 dic 2026'}" in journey
    assert "Asistió: Cita con Casey Nguyen, 7 dic 2026, 10:00 (Teléfono)" in journey
    assert "Se anotó en la lista de espera para Check-in" in journey
    for english in ("Moved", "Cancelled", "Attended", "Phone", " with ", "Joined", " AM"):
        assert english not in journey, english
    # The worker's reason is kept as written, and the sensitive type's name is not shown.
    assert "she is away" in journey and "Counseling" not in journey


def test_it_says_what_the_system_stored_and_keeps_the_persons_words() -> None:
    with translation.override("es"):
        assert journey_words.said_details("Moved to a sooner slot from the waitlist") == (
            "Se pasó a un horario más próximo desde la lista de espera"
        )
        assert journey_words.said_details(
            "Cancelled by the person from a reminder: sick today"
        ) == ("Cancelada por la persona desde un recordatorio: sick today")
        assert journey_words.said_summary("Confirmed the appointment") == "Confirmó la cita"
        assert journey_words.said_by_purpose("the appointment is late cancelled") == (
            "la cita ya no está reservada (cancelada tarde)"
        )
        assert journey_words.said_details("she is away") == "she is away"


def test_the_worklist_says_why_a_reminder_was_not_sent_in_spanish() -> None:
    from django.utils import timezone

    from alongside.scheduling import reminders

    row = {
        "pk": 1,
        "person_id": 1,
        "reason": "text message to (718) 555-0142: no texts: Partner reads her texts",
        "created_at": timezone.now(),
    }
    with translation.override("es"):
        [item] = reminders.blocked_reminders(None, [row], timezone.now())
    assert item.text == (
        "El recordatorio no se pudo enviar de forma segura: mensaje de texto a (718) 555-0142: "
        "sin mensajes de texto: Partner reads her texts"
    )
