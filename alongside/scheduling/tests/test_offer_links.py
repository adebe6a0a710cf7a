"""The person accepts or declines a waitlist offer by the signed link in its message,
without an account, in their language: accepting books the slot and closes their entry,
declining offers it to the next person; a used, expired or forged link opens a clear
page and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.messaging.models import OutboundMessage
from alongside.people.models import PersonLanguage, TimelineEntry
from alongside.scheduling import (
    booking,
    changes,
    offer_links,
    offer_messages,
    reply_links,
    waitlist,
)
from alongside.scheduling.models import Appointment, Offer, WaitlistEntry
from alongside.scheduling.tests.services_helpers import NY, bookable, choice
from conftest import make_person

pytestmark = pytest.mark.django_db


def coming_weekday() -> dt.datetime:
    """10:00 in New York on a weekday at least three days from now (the real now: the
    link's page answers at the time it is opened)."""
    day = (timezone.now() + dt.timedelta(days=3)).astimezone(NY).date()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=NY)


@pytest.fixture
def kind(world):
    return bookable(world, name="Substance use counselling", sensitive=True)


def free_a_slot(world, kind, start):
    now = timezone.now()
    taken = booking.book(
        actor=world.coordinator, person=world.person, choice=choice(world, kind, start), now=now
    )
    changes.cancel(actor=world.coordinator, appointment=taken, reason="moved away", now=now)


def page(offer: Offer) -> str:
    return reverse("scheduling-reply:offer", args=[offer_links.make_token(offer)])


def test_the_message_carries_the_link(client, world, ana, kind, settings):
    waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    free_a_slot(world, kind, coming_weekday())
    body = OutboundMessage.objects.get(purpose=offer_messages.PURPOSE).body
    prefix = "To take it or say no: " + settings.SITE_URL.rstrip("/")
    assert prefix in body
    address = body.split(prefix)[1]
    assert address.startswith("/r/o/")
    assert "Yes, book this time for me" in client.get(address).content.decode()


def test_accepting_books_the_slot_and_closes_the_entry(client, world, ana, kind):
    start = coming_weekday()
    later = booking.book(
        actor=world.coordinator,
        person=ana,
        choice=choice(world, kind, start + dt.timedelta(days=7)),
        now=timezone.now(),
    )
    entry = waitlist.join(actor=world.coordinator, person=ana, kind=kind, current=later)
    free_a_slot(world, kind, start)
    offer = Offer.objects.get(entry=entry)
    shown = client.get(page(offer)).content.decode()
    assert "An earlier appointment is free" in shown and "Yes, book this time for me" in shown
    for secret in ("Substance", "counselling", "Housing", "Ana"):
        assert secret not in shown  # a link can be seen by someone else
    done = client.post(page(offer), {"answer": "accept"})
    assert done.status_code == 200
    assert "your appointment is booked" in done.content.decode()
    offer.refresh_from_db()
    entry.refresh_from_db()
    later.refresh_from_db()
    hold = Appointment.objects.get(pk=offer.hold_id)
    assert (offer.status, entry.status) == ("accepted", WaitlistEntry.Status.BOOKED)
    assert (hold.status, hold.person, hold.starts_at) == ("booked", ana, start)
    assert later.status == "cancelled"  # the one she waited to bring forward
    accepted = TimelineEntry.objects.get(person=ana, summary="Accepted an offered slot")
    assert accepted.actor is None  # the person, not a staff account
    by_person = AuditEvent.objects.filter(actor_label=reply_links.PERSON.username, actor_id=None)
    assert by_person.filter(object_type__icontains="waitlist").exists()
    assert by_person.filter(object_type__icontains="appointment").exists()
    # Used: the link opens nothing now.
    again = client.post(page(offer), {"answer": "decline"})
    assert again.status_code == 404
    assert "This offer is no longer available" in again.content.decode()
    offer.refresh_from_db()
    assert offer.status == "accepted"


def test_declining_offers_the_slot_to_the_next_person(client, world, ana, kind):
    bea = make_person(world.coordinator, world.housing, legal_given_name="Bea")
    first = waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    second = waitlist.join(actor=world.coordinator, person=bea, kind=kind)
    free_a_slot(world, kind, coming_weekday())
    offer = Offer.objects.get(status="open")
    assert offer.entry == first
    done = client.post(page(offer), {"answer": "decline"})
    assert "we will offer this time to someone else" in done.content.decode()
    first.refresh_from_db()
    assert first.status == WaitlistEntry.Status.WAITING
    assert Offer.objects.get(status="open").entry == second
    assert Offer.objects.get(pk=offer.pk).status == "declined"
    assert TimelineEntry.objects.filter(person=ana, summary="Declined an offered slot").exists()
    assert client.get(page(offer)).status_code == 404


def test_expired_forged_and_foreign_links_open_a_clear_page(client, world, ana, kind, settings):
    waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    free_a_slot(world, kind, coming_weekday())
    offer = Offer.objects.get()
    token = offer_links.make_token(offer)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    foreign = signing.dumps({"o": offer.pk}, salt=reply_links.SALT)
    for bad in (forged, foreign, "x" * 900, "not-a-real-token"):
        response = client.get(reverse("scheduling-reply:offer", args=[bad]))
        assert response.status_code == 404
        assert "This offer is no longer available" in response.content.decode()
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = client.post(page(offer), {"answer": "accept"})
    assert expired.status_code == 404 and "Ana" not in expired.content.decode()
    assert Offer.objects.get(pk=offer.pk).status == "open"  # the sweep closes it
    assert Appointment.objects.get(pk=offer.hold_id).status == "held"


def test_a_slot_taken_meanwhile_is_said_kindly_and_nothing_is_written(client, world, ana, kind):
    start = coming_weekday()
    entry = waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    free_a_slot(world, kind, start)
    offer = Offer.objects.get()
    # The hold lapsed and someone else booked the time.
    Appointment.objects.filter(pk=offer.hold_id).update(status=Appointment.Status.EXPIRED)
    other = make_person(world.coordinator, world.housing, legal_given_name="Cy")
    booking.book(
        actor=world.coordinator, person=other, choice=choice(world, kind, start), now=timezone.now()
    )
    timeline_before = TimelineEntry.objects.filter(person=ana).count()
    response = client.post(page(offer), {"answer": "accept"})
    assert response.status_code == 409
    assert "This offer is no longer available" in response.content.decode()
    entry.refresh_from_db()
    assert (Offer.objects.get(pk=offer.pk).status, entry.status) == ("open", "offered")
    assert Appointment.objects.get(pk=offer.hold_id).status == "expired"
    assert TimelineEntry.objects.filter(person=ana).count() == timeline_before


def test_an_unknown_answer_is_refused(client, world, ana, kind):
    waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    free_a_slot(world, kind, coming_weekday())
    offer = Offer.objects.get()
    assert client.post(page(offer), {"answer": "both"}).status_code == 422
    assert Offer.objects.get(pk=offer.pk).status == "open"


def test_the_page_is_in_the_persons_language(client, world, ana, kind):
    PersonLanguage.objects.create(person=ana, language="es", is_preferred=True)
    waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    free_a_slot(world, kind, coming_weekday())
    offer = Offer.objects.get()
    shown = client.get(page(offer)).content.decode()
    assert '<html lang="es">' in shown
    assert "<h1>Hay una cita antes libre</h1>" in shown and "Sí, resérveme esta hora" in shown
    done = client.post(page(offer), {"answer": "accept"}).content.decode()
    assert "Gracias: su cita está reservada" in done


def test_staff_cannot_answer_through_the_persons_path(world, ana, kind):
    from alongside.lib.errors import NotPermitted

    waitlist.join(actor=world.coordinator, person=ana, kind=kind)
    free_a_slot(world, kind, coming_weekday())
    offer = Offer.objects.get()
    with pytest.raises(NotPermitted, match="Only the system itself"):
        waitlist.accept_from_link(actor=world.coordinator, offer=offer, now=timezone.now())
