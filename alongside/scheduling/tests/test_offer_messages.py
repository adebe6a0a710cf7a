"""A waitlist offer is told to the waiting person through send_to_person, in the
reminders' neutral words: never the kind of appointment (a sensitive one above all),
never the program; in their language; not sent once the offer is closed."""

from __future__ import annotations

import pytest

from alongside.messaging.models import OutboundMessage
from alongside.people import services as people_services
from alongside.people.models import PersonLanguage, TimelineEntry
from alongside.scheduling import booking, changes, offer_messages, waitlist
from alongside.scheduling.models import Offer
from alongside.scheduling.tests.services_helpers import NOW, bookable, choice
from conftest import make_person


@pytest.fixture
def ana(world):
    person = make_person(world.coordinator, world.housing, legal_given_name="Ana")
    people_services.contact_point_create(
        actor=world.coordinator,
        person=person,
        data={"kind": "phone", "value": "(718) 555-0142", "may_text": True},
    )
    return person


def freed_offer(world, ana) -> Offer:
    kind = bookable(world, name="Substance use counselling", sensitive=True)
    waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    taken = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind), now=NOW
    )
    changes.cancel(actor=world.coordinator, appointment=taken, reason="moved away", now=NOW)
    return Offer.objects.get(entry__person=ana)


def test_the_offer_is_told_without_the_kind_or_program(world, ana):
    offer = freed_offer(world, ana)
    message = OutboundMessage.objects.get(purpose=offer_messages.PURPOSE)
    assert message.person == ana and message.source_key == f"offer:{offer.pk}"
    assert message.send_by == offer.expires_at
    assert "Hi Ana, an earlier appointment is free on" in message.body
    assert "(by phone)" in message.body
    for secret in ("Substance", "counselling", "Housing"):
        assert secret not in message.body and secret not in message.subject
    # Nor does the journey timeline's summary, which everyone who sees her reads.
    for entry in TimelineEntry.objects.filter(person=ana):
        assert "Substance" not in entry.summary


def test_the_offer_is_told_in_the_persons_language(world, ana):
    PersonLanguage.objects.create(person=ana, language="es", is_preferred=True)
    freed_offer(world, ana)
    message = OutboundMessage.objects.get(purpose=offer_messages.PURPOSE)
    assert message.language == "es"
    assert "Hola Ana, hay una cita antes libre el" in message.body
    assert "por teléfono" in message.body


def test_a_closed_offer_is_no_longer_wanted(world, ana):
    offer = freed_offer(world, ana)
    message = OutboundMessage.objects.get(purpose=offer_messages.PURPOSE)
    assert offer_messages.still_wanted(message) == ""
    waitlist.decline(actor=world.coordinator, offer=offer, now=NOW)
    assert offer_messages.still_wanted(message) == "the offer is no longer open"
