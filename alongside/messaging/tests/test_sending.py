"""send_to_person and deliver: the person's rules, quiet hours and STOP are obeyed, and a
retry never sends twice. Texts go to the test gateway on 127.0.0.1 (tests/twilio_server)."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import translation

from alongside.messaging import services
from alongside.messaging.models import OutboundMessage, TextOptOut
from alongside.messaging.services import Draft, deliver, send_to_person
from alongside.people import services as people_services
from alongside.people.models import TimelineEntry

NY = zoneinfo.ZoneInfo("America/New_York")
AFTERNOON = dt.datetime(2026, 3, 2, 15, 0, tzinfo=NY)
LATE = dt.datetime(2026, 3, 2, 23, 0, tzinfo=NY)


def phone(world, **rules):
    return people_services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "phone", "value": "(718) 555-0142", "is_preferred": True} | rules,
    )


def send(world, key="hello:1", now=AFTERNOON, **extra):
    return send_to_person(
        actor=world.coordinator,
        person=world.person,
        purpose="tests.hello",
        source_key=key,
        render=lambda: Draft(body="Hello from your care team.", subject="Hello"),
        now=now,
        **extra,
    )


def kinds(world):
    return list(TimelineEntry.objects.filter(person=world.person).values_list("kind", flat=True))


def test_it_texts_through_twilio_when_texts_are_allowed(world, twilio, test_purpose):
    phone(world, may_text=True)
    message = send(world)
    assert (message.status, message.channel, message.to) == ("queued", "text", "+17185550142")
    assert deliver(message.pk, AFTERNOON) == "sent"
    [request] = twilio.requests
    assert request.form == {
        "To": "+17185550142",
        "From": "+15005550006",
        "Body": "Hello from your care team.",
        "StatusCallback": "https://alongside.example.org/messages/twilio/status",
    }
    assert (request.account, request.password) == ("AC" + "0" * 32, "test-auth-token")
    message.refresh_from_db()
    assert message.provider_id.startswith("SM") and message.status == "sent"
    assert "messaging.message_sent" in kinds(world)


def test_a_retry_never_sends_twice(world, twilio, test_purpose):
    phone(world, may_text=True)
    message = send(world)
    assert deliver(message.pk, AFTERNOON) == "sent"
    assert deliver(message.pk, AFTERNOON) == "sent"  # the task ran again
    assert send(world).pk == message.pk  # asked again: the same message
    assert len(twilio.requests) == 1
    assert OutboundMessage.objects.count() == 1


def test_it_never_texts_where_texts_are_not_allowed(world, twilio, test_purpose):
    phone(world, may_text=False, text_reason="Partner reads her texts")
    message = send(world)
    assert message.status == "blocked"
    assert "no texts: Partner reads her texts" in message.reason
    assert deliver(message.pk, AFTERNOON) == "blocked"
    assert twilio.requests == []
    assert kinds(world).count("messaging.message_blocked") == 1


def test_with_no_way_to_reach_the_person_it_is_blocked_and_says_so(world, test_purpose):
    message = send(world)
    assert (message.status, message.reason) == (
        "blocked",
        "no phone or email the person may be reached at",
    )


def test_quiet_hours_hold_a_message_until_morning(world, twilio, test_purpose):
    phone(world, may_text=True)
    message = send(world, now=LATE)
    assert message.status == "queued"
    assert message.send_after == dt.datetime(2026, 3, 3, 8, 0, tzinfo=NY)
    assert deliver(message.pk, LATE) == "waiting"
    assert services.due_message_ids(LATE) == []
    morning = dt.datetime(2026, 3, 3, 8, 0, tzinfo=NY)
    assert services.due_message_ids(morning) == [message.pk]
    assert deliver(message.pk, morning) == "sent"
    assert len(twilio.requests) == 1


def test_a_message_that_cannot_wait_past_the_quiet_hours_is_blocked(world, twilio, test_purpose):
    phone(world, may_text=True)
    message = send(world, now=LATE, send_by=dt.datetime(2026, 3, 3, 7, 0, tzinfo=NY))
    assert (message.status, message.reason) == (
        "blocked",
        "text message to (718) 555-0142: quiet hours overnight",
    )


def test_texts_only_inside_the_persons_window(world, twilio, test_purpose):
    phone(world, may_text=True, text_from=dt.time(18), text_until=dt.time(20))
    message = send(world)
    assert message.send_after == dt.datetime(2026, 3, 2, 18, 0, tzinfo=NY)
    assert "outside the hours the person allows" in message.reason


def test_windows_are_read_in_the_persons_time_zone(world, twilio, test_purpose):
    phone(world, may_text=True)
    world.person.time_zone = "America/Los_Angeles"
    world.person.save()
    at = dt.datetime(2026, 3, 2, 8, 30, tzinfo=NY)  # 05:30 in Los Angeles
    message = send(world, now=at)
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    assert message.send_after == dt.datetime(2026, 3, 2, 8, 0, tzinfo=la)


def test_rules_changed_after_queueing_are_obeyed_at_send_time(world, twilio, test_purpose):
    contact = phone(world, may_text=True)
    message = send(world)
    people_services.contact_point_update(
        actor=world.coordinator, contact=contact, data={"may_text": False}, version=None
    )
    assert deliver(message.pk, AFTERNOON) == "blocked"
    assert twilio.requests == []


def test_a_number_changed_after_queueing_is_not_texted(world, twilio, test_purpose):
    contact = phone(world, may_text=True)
    message = send(world)
    people_services.contact_point_update(
        actor=world.coordinator, contact=contact, data={"value": "(718) 555-0199"}, version=None
    )
    assert deliver(message.pk, AFTERNOON) == "blocked"
    message.refresh_from_db()
    assert message.reason == "the number changed since it was queued"
    assert twilio.requests == []


def test_a_refused_text_is_failed_with_twilios_reason(world, twilio, test_purpose):
    contact = phone(world, may_text=True)
    message = send(world)
    # Twilio's magic invalid number, on both the message and the contact point.
    OutboundMessage.objects.filter(pk=message.pk).update(to="+15005550001")
    type(contact).objects.filter(pk=contact.pk).update(normalized="+15005550001")
    assert deliver(message.pk, AFTERNOON) == "failed"
    message.refresh_from_db()
    assert "21211" in message.reason and "not a valid phone number" in message.reason
    assert deliver(message.pk, AFTERNOON) == "failed"  # not tried again
    assert len(twilio.requests) == 1


def test_emails_go_through_djangos_email(world, test_purpose):
    people_services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "email", "value": "lupe@example.org", "may_email": True},
    )
    message = send(world)
    assert deliver(message.pk, AFTERNOON) == "sent"
    [email] = mail.outbox
    assert (email.to, email.subject, email.body) == (
        ["lupe@example.org"],
        "Hello",
        "Hello from your care team.",
    )


def test_a_stopped_number_gets_no_texts(world, twilio, test_purpose):
    phone(world, may_text=True)
    TextOptOut.objects.create(number="+17185550142", word="STOP", opted_out_at=AFTERNOON)
    message = send(world)
    assert (message.status, message.reason) == (
        "blocked",
        "text message to (718) 555-0142: the person replied STOP to texts",
    )
    assert twilio.requests == []


def test_it_refuses_an_unregistered_purpose(world):
    with pytest.raises(ValueError, match="not registered"):
        send(world)


def test_a_blocked_messages_reason_is_stored_in_english(world, test_purpose):
    phone(world, may_text=False, text_reason="Partner reads her texts")
    with translation.override("es"):
        message = send(world)
    assert message.status == "blocked"
    assert message.reason == "text message to (718) 555-0142: no texts: Partner reads her texts"
    entry = TimelineEntry.objects.get(person=world.person, kind="messaging.message_blocked")
    assert entry.summary == "Test message not sent: not safe"
