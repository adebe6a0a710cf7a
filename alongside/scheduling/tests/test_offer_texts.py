"""A waitlist offer answered by text: YES (Y, SÍ) takes the slot and NO lets it go, through
the provider's webhook and the test gateway on 127.0.0.1 that speaks its API; the text
the reply answers is the latest one to that number expecting a reply (an offer or a
reminder); an answer too late is told so in the person's language; STOP still comes
first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.messaging.models import InboundMessage, OutboundMessage, TextOptOut
from alongside.messaging.services import deliver
from alongside.messaging.signatures import signature
from alongside.messaging.tests.conftest import twilio  # noqa: F401 (a fixture)
from alongside.people.models import Person, PersonLanguage, TimelineEntry
from alongside.scheduling import booking, changes, offer_messages, reminders, waitlist
from alongside.scheduling.models import Appointment, Offer, ReminderReply, WaitlistEntry
from alongside.scheduling.tests.services_helpers import bookable, choice
from alongside.scheduling.tests.test_offer_links import coming_weekday
from alongside.scheduling.tests.test_offer_messages import ana  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
NUMBER = "+17185550142"


@pytest.fixture
def kind(world):
    return bookable(world, name="Substance use counselling", sensitive=True)


def sent_offer(world, kind, twilio, *waiting: Person) -> Offer:  # noqa: F811
    """`waiting` join the waitlist, in turn; then a slot freed now is offered to the first
    person waiting, and its text sent."""
    for person in waiting:
        waitlist.join(actor=world.coordinator, person=person, kind=kind)
    start, now = coming_weekday(), timezone.now()
    taken = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind, start), now=now
    )
    changes.cancel(actor=world.coordinator, appointment=taken, reason="moved away", now=now)
    offer = Offer.objects.get(status="open")
    send(offer_messages.source_key(offer))
    return offer


def send(source_key: str) -> OutboundMessage:
    """Deliver the message asked for, when the person's window lets it go."""
    message = OutboundMessage.objects.get(source_key__startswith=source_key)
    assert deliver(message.pk, max(message.send_after, timezone.now())) == "sent"
    message.refresh_from_db()
    return message


def reply(client, body, sid):
    path = reverse("messaging:twilio-inbound")
    data = {"MessageSid": sid, "From": NUMBER, "To": "+15005550006", "Body": body}
    sig = signature("test-auth-token", "https://alongside.example.org" + path, list(data.items()))
    response = client.post(path, data, HTTP_X_TWILIO_SIGNATURE=sig)
    assert response.status_code == 200
    return InboundMessage.objects.get(provider_id=sid)


def reminded(world, person, kind) -> tuple[Appointment, OutboundMessage]:
    """An appointment a week on, booked now, and its reminder sent: a text expecting a
    reply."""
    later = coming_weekday() + dt.timedelta(days=7, hours=2)
    booked = booking.book(
        actor=world.coordinator,
        person=person,
        choice=choice(world, kind, later),
        now=timezone.now(),
    )
    reminders.sweep_reminders(booked.starts_at - dt.timedelta(days=1))
    return booked, send(f"reminder:{booked.pk}:")


def answers(offer: Offer) -> list[str]:
    rows = OutboundMessage.objects.filter(source_key__startswith=f"offer-answer:{offer.pk}:")
    return sorted(rows.values_list("source_key", flat=True))


@pytest.mark.parametrize("word", ["YES", " y ", "Sí", "si!"])
def test_yes_by_text_takes_the_offered_slot(client, world, ana, kind, twilio, word):  # noqa: F811
    offer = sent_offer(world, kind, twilio, ana)
    text = twilio.requests[-1].form["Body"]
    assert "Reply YES to take it or NO to say no" in text and "Substance" not in text
    inbound = reply(client, word, "SMyes")
    assert (inbound.meaning, inbound.in_reply_to.source_key) == (
        "confirm",
        offer_messages.source_key(offer),
    )
    offer.refresh_from_db()
    hold = Appointment.objects.get(pk=offer.hold_id)
    assert (offer.status, hold.status, hold.person) == ("accepted", "booked", ana)
    assert WaitlistEntry.objects.get(person=ana).status == WaitlistEntry.Status.BOOKED
    said = TimelineEntry.objects.get(person=ana, kind="messaging.reply_received")
    assert said.summary == f"Replied {word.strip().upper().strip('!')}: took the offered slot"
    # The answer goes back through the gateway.
    send(f"offer-answer:{offer.pk}:accepted")
    assert twilio.requests[-1].form["To"] == NUMBER
    assert "is yours" in twilio.requests[-1].form["Body"]
    # Saying it again books nothing more and sends nothing more.
    reply(client, "YES", "SMyes-again")
    assert Appointment.objects.filter(person=ana, status="booked").count() == 1
    assert answers(offer) == [f"offer-answer:{offer.pk}:accepted"]


def test_no_by_text_offers_the_slot_to_the_next_person(client, world, ana, bea, kind, twilio):  # noqa: F811
    offer = sent_offer(world, kind, twilio, ana, bea)
    assert reply(client, "no", "SMno").meaning == "decline"
    assert Offer.objects.get(pk=offer.pk).status == "declined"
    assert Offer.objects.get(status="open").entry.person == bea
    assert WaitlistEntry.objects.get(person=ana).status == WaitlistEntry.Status.WAITING
    assert TimelineEntry.objects.filter(
        person=ana, summary="Replied NO: let the offered slot go"
    ).exists()
    assert answers(offer) == [f"offer-answer:{offer.pk}:declined"]


def test_a_late_yes_is_told_in_the_persons_language(client, world, ana, kind, twilio):  # noqa: F811
    PersonLanguage.objects.create(person=ana, language="es", is_preferred=True)
    offer = sent_offer(world, kind, twilio, ana)
    assert "Responda SÍ para tomarla o NO" in twilio.requests[-1].form["Body"]
    waitlist.expire_offers(actor=world.coordinator, now=offer.expires_at)
    reply(client, "SÍ", "SMlate")
    offer.refresh_from_db()
    assert offer.status == "expired"
    assert not Appointment.objects.filter(person=ana, status="booked").exists()
    said = send(f"offer-answer:{offer.pk}:gone")
    assert said.language == "es" and "ya no está disponible" in said.body
    assert twilio.requests[-1].form["Body"] == said.body
    assert TimelineEntry.objects.filter(
        person=ana, summary__startswith="Replied SÍ: the offer was no longer open"
    ).exists()


def test_the_latest_text_expecting_a_reply_decides(client, world, ana, kind, twilio):  # noqa: F811
    """An offer text, then a reminder: YES confirms the reminder, not the offer."""
    offer = sent_offer(world, kind, twilio, ana)
    later, _reminder = reminded(world, ana, kind)
    inbound = reply(client, "YES", "SMboth")
    assert inbound.in_reply_to.purpose == reminders.PURPOSE
    assert ReminderReply.objects.get().appointment == later
    assert Offer.objects.get(pk=offer.pk).status == "open"


def test_stop_comes_first(client, world, ana, kind, twilio):  # noqa: F811
    offer = sent_offer(world, kind, twilio, ana)
    assert reply(client, "STOP", "SMstop").meaning == "opt_out"
    assert TextOptOut.objects.get(number=NUMBER).active
    assert Offer.objects.get(pk=offer.pk).status == "open"


def test_a_yes_from_a_household_phone_takes_no_slot(client, world, ana, bea, kind, twilio):  # noqa: F811
    """Bea shares Ana's number: the YES may be anyone's, so it is kept for staff."""
    from alongside.people import services as people_services

    people_services.contact_point_create(
        actor=world.coordinator, person=bea, data={"kind": "phone", "value": "(718) 555-0142"}
    )
    offer = sent_offer(world, kind, twilio, ana)
    inbound = reply(client, "YES", "SMshared")
    assert (inbound.meaning, inbound.person) == ("", None)
    assert Offer.objects.get(pk=offer.pk).status == "open"
    assert answers(offer) == []
    for person in (ana, bea):
        assert TimelineEntry.objects.filter(
            person=person, summary="Replied to a text message"
        ).exists()


def test_a_yes_from_a_number_given_up_takes_no_slot(client, world, ana, kind, twilio):  # noqa: F811
    from alongside.people import services as people_services

    offer = sent_offer(world, kind, twilio, ana)
    people_services.contact_point_delete(actor=world.coordinator, contact=ana.contact_points.get())
    assert reply(client, "YES", "SMgone").meaning == ""
    assert Offer.objects.get(pk=offer.pk).status == "open"
    assert answers(offer) == []


def test_a_yes_after_the_link_took_the_slot_meanwhile_says_it_is_theirs(
    world,
    ana,  # noqa: F811
    kind,
    twilio,  # noqa: F811
    monkeypatch,
):
    """The text's check saw the offer open; the link accepted before the text's lock."""
    from alongside.scheduling import offer_links

    offer = sent_offer(world, kind, twilio, ana)
    message = OutboundMessage.objects.get(source_key=offer_messages.source_key(offer))
    seen = offer_messages._offer_of(message)
    assert seen is not None and seen.status == "open"
    offer_links.answer(offer=Offer.objects.get(pk=offer.pk), accept=True)
    monkeypatch.setattr(offer_messages, "_offer_of", lambda message: seen)
    assert offer_messages.accept_by_text(message) == offer_messages.DONE["already"]
    assert answers(offer) == [f"offer-answer:{offer.pk}:accepted"]


def test_a_c_meant_for_an_earlier_reminder_never_takes_the_offered_slot(
    client,
    world,
    ana,  # noqa: F811
    kind,
    twilio,  # noqa: F811
):
    """A reminder ("reply C to confirm"), then an offer ("reply YES"): C confirms the
    reminder, and the offer stays open."""
    waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    mine, reminder = reminded(world, ana, kind)
    OutboundMessage.objects.filter(pk=reminder.pk).update(
        sent_at=timezone.now() - dt.timedelta(hours=2)
    )
    offer = sent_offer(world, kind, twilio)
    inbound = reply(client, "C", "SMc")
    assert inbound.in_reply_to.purpose == reminders.PURPOSE
    assert ReminderReply.objects.get().appointment == mine
    assert Offer.objects.get(pk=offer.pk).status == "open"
    assert Appointment.objects.get(pk=mine.pk).status == "booked"


@pytest.mark.parametrize(
    ("body", "word"),
    [("¡Sí!", "SI"), ("si,", "SI"), ("Si\u0301", "SI"), ("No.", "NO"), (" s t o p ", "STOP")],
)
def test_a_reply_is_read_as_its_word_whatever_its_punctuation_and_accents(body, word):
    from alongside.messaging.inbound import word_of

    assert word_of(body) == word
