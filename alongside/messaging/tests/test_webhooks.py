"""Twilio's webhooks: only signed requests are heard; STOP stops texts at once and is never
undone automatically; C or YES confirms; delivery statuses reach the timeline."""

import pytest
from django.urls import reverse

from alongside.lib.errors import NotPermitted
from alongside.messaging import inbound
from alongside.messaging.models import InboundMessage, OutboundMessage, TextOptOut
from alongside.messaging.services import deliver
from alongside.messaging.signatures import signature
from alongside.messaging.tests.test_sending import AFTERNOON, kinds, phone, send

PUBLIC = "https://alongside.example.org"


def test_the_signature_is_twilios():
    # The example in Twilio's documentation (docs/usage/security).
    params = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+12349013030"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("To", "+18005551212"),
    ]
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def post_signed(client, name, data, token="test-auth-token"):  # noqa: S107
    path = reverse(f"messaging:{name}")
    sig = signature(token, PUBLIC + path, list(data.items()))
    return client.post(path, data, HTTP_X_TWILIO_SIGNATURE=sig)


def reply(client, body, sid="SM1", **extra):
    data = {"MessageSid": sid, "From": "+17185550142", "To": "+15005550006", "Body": body}
    return post_signed(client, "twilio-inbound", data | extra)


def test_an_unsigned_or_forged_request_is_refused(client, world, twilio):
    path = reverse("messaging:twilio-inbound")
    data = {"MessageSid": "SM1", "From": "+17185550142", "Body": "STOP"}
    assert client.post(path, data).status_code == 403
    assert post_signed(client, "twilio-inbound", data, token="not-ours").status_code == 403
    tampered = signature("test-auth-token", PUBLIC + path, list(data.items()))
    assert (
        client.post(path, data | {"Body": "YES"}, HTTP_X_TWILIO_SIGNATURE=tampered).status_code
        == 403
    )
    assert not TextOptOut.objects.exists() and not InboundMessage.objects.exists()


@pytest.mark.parametrize(
    "body", ["STOP", " stop ", "Stop.", "STOPALL", "unsubscribe", "CANCEL", "end", "Quit"]
)
def test_stop_words_stop_texts_at_once(client, world, twilio, test_purpose, body):
    phone(world, may_text=True)
    waiting = send(world, key="before-stop")
    response = reply(client, body)
    assert response.status_code == 200 and b"<Response>" in response.content
    assert TextOptOut.objects.get(number="+17185550142").active
    assert deliver(waiting.pk, AFTERNOON) == "blocked"  # queued before: not sent either
    assert send(world, key="after-stop").status == "blocked"
    assert twilio.requests == []
    assert "messaging.opted_out" in kinds(world)


def test_nothing_undoes_stop_but_staff_at_the_persons_request(client, world, twilio, test_purpose):
    contact = phone(world, may_text=True)
    reply(client, "STOP", sid="SM1")
    reply(client, "START", sid="SM2")  # asking again by text does not turn texts on
    assert TextOptOut.objects.get().active
    assert send(world, key="k1").status == "blocked"
    with pytest.raises(NotPermitted, match="Only staff"):
        inbound.end_text_opt_out(
            actor=world.outsider, person=world.person, contact=contact, note="x"
        )
    inbound.end_text_opt_out(
        actor=world.coordinator,
        person=world.person,
        contact=contact,
        note="Lupe asked in person on 3 March to get texts again.",
    )
    assert send(world, key="k2").status == "queued"
    assert "messaging.opted_in" in kinds(world)


def test_yes_confirms_through_the_purpose_of_the_text_it_answers(
    client, world, twilio, test_purpose
):
    phone(world, may_text=True)
    message = send(world)
    deliver(message.pk, AFTERNOON)
    assert reply(client, " yes ").status_code == 200
    assert InboundMessage.objects.get().meaning == "confirm"
    assert InboundMessage.objects.get().in_reply_to_id == message.pk
    reply(client, "YES")  # the provider retrying the same webhook: taken once
    assert InboundMessage.objects.count() == 1


def test_a_yes_from_a_number_no_longer_the_persons_is_kept_for_staff(
    client, world, twilio, test_purpose
):
    """The number was given up, and is now someone else's: the YES acts for nobody."""
    from alongside.people import services as people_services
    from alongside.people.models import TimelineEntry
    from conftest import make_person

    contact = phone(world, may_text=True)
    deliver(send(world).pk, AFTERNOON)
    people_services.contact_point_delete(actor=world.coordinator, contact=contact)
    assert reply(client, "YES", sid="SM1").status_code == 200
    assert InboundMessage.objects.get(provider_id="SM1").meaning == ""
    now_theirs = make_person(world.coordinator, world.housing, legal_given_name="Noor")
    people_services.contact_point_create(
        actor=world.coordinator, person=now_theirs, data={"kind": "phone", "value": "7185550142"}
    )
    reply(client, "YES", sid="SM2")
    kept = InboundMessage.objects.get(provider_id="SM2")
    assert (kept.meaning, kept.person) == ("", now_theirs)  # for staff, on the new owner's
    assert TimelineEntry.objects.filter(
        person=now_theirs, summary="Replied to a text message"
    ).exists()
    assert not TimelineEntry.objects.filter(
        person=world.person, kind="messaging.reply_received"
    ).exists()


def test_delivery_status_reaches_the_timeline(client, world, twilio, test_purpose):
    phone(world, may_text=True)
    message = send(world)
    deliver(message.pk, AFTERNOON)
    message.refresh_from_db()
    data = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    assert post_signed(client, "twilio-status", data).status_code == 204
    assert OutboundMessage.objects.get().status == "delivered"
    failed = {
        "MessageSid": message.provider_id,
        "MessageStatus": "undelivered",
        "ErrorCode": "30005",
    }
    post_signed(client, "twilio-status", failed)
    assert OutboundMessage.objects.get().status == "delivered"  # a final status stays
    assert "messaging.message_delivered" in kinds(world)


def test_without_a_public_url_the_request_address_is_signed(client, settings, world, twilio):
    settings.MESSAGING_PUBLIC_URL = ""
    path = reverse("messaging:twilio-status")
    data = {"MessageSid": "SMnothing", "MessageStatus": "delivered"}
    sig = signature("test-auth-token", "http://testserver" + path, list(data.items()))
    assert client.post(path, data, HTTP_X_TWILIO_SIGNATURE=sig).status_code == 204


def test_a_text_holding_a_nul_is_kept_without_it(client, world, twilio, test_purpose):
    """Pages refuse a NUL with a 400; a provider's webhook must not lose the message."""
    phone(world, may_text=True)
    response = reply(client, "Running late\x00, see you at 3", sid="SM9")
    assert response.status_code == 200 and b"<Response>" in response.content
    assert InboundMessage.objects.get(provider_id="SM9").body == "Running late, see you at 3"
