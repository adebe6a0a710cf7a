"""Sending to a person: `send_to_person` picks the way the person prefers, writes the
text in their language, and never sends where their safe-contact rules forbid; `deliver`
(run by the background worker) sends a queued message once, checking everything again.

Every message is a row from the moment it is asked for (sent or refused), on the
person's timeline and in the audit trail, in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from alongside.accounts.actors import Actor, account_of
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.actors import SystemActor
from alongside.lib.english import in_english
from alongside.messaging.gateways import Outgoing, SendFailed, channel_for
from alongside.messaging.journey_words import REASONS_APART, SUMMARIES
from alongside.messaging.models import Channel, OutboundMessage, TextOptOut
from alongside.messaging.purposes import purposes
from alongside.messaging.safety import obstacle
from alongside.people.models import ContactPoint, Person
from alongside.people.timeline import add_entry

SYSTEM = SystemActor(username="system:messaging", name="Alongside messages")
# The channels a message can go by without a person on our side (calls are made by staff).
AUTOMATIC = {"phone": Channel.TEXT, "email": Channel.EMAIL}
Status = OutboundMessage.Status


@dataclass(frozen=True)
class Draft:
    body: str
    subject: str = ""
    # The body when the message goes by text, if it differs (a text can be answered by
    # replying YES or NO; an email cannot).
    text_body: str = ""


def person_language(person: Person) -> str:
    """The person's preferred language where the interface speaks it, else the default."""
    spoken = {code for code, _ in settings.LANGUAGES}
    for item in person.languages.all():
        if item.is_preferred and item.language in spoken:
            return str(item.language)
    for item in person.languages.all():
        if item.language in spoken:
            return str(item.language)
    return str(settings.LANGUAGE_CODE)


def opted_out_numbers(numbers: list[str]) -> set[str]:
    rows = TextOptOut.objects.filter(number__in=numbers, ended_at__isnull=True)
    return set(rows.values_list("number", flat=True))


@dataclass(frozen=True)
class _Choice:
    contact: ContactPoint | None
    channel: str
    status: str
    reason: str
    send_after: dt.datetime


def _choose(
    person: Person,
    now: dt.datetime,
    send_by: dt.datetime | None,
    channels: tuple[str, ...],
    stopped: set[str],
) -> _Choice:
    """The first way, in the person's order of preference, that is safe now or opens
    before `send_by`; otherwise blocked, with every way's reason."""
    contacts = [c for c in person.contact_points.all() if AUTOMATIC.get(c.kind) in channels]
    reasons: list[str] = []
    for contact in contacts:
        channel = AUTOMATIC[contact.kind]
        found = obstacle(
            contact, channel, now, person.zone, opted_out=contact.normalized in stopped
        )
        if found is None:
            return _Choice(contact, channel, Status.QUEUED, "", now)
        if found.opens_at is not None and (send_by is None or found.opens_at < send_by):
            return _Choice(contact, channel, Status.QUEUED, found.reason, found.opens_at)
        reasons.append(
            gettext_noop("%(channel)s to %(contact)s: %(why)s")
            % {
                "channel": Channel(channel).label.lower(),
                "contact": contact.value,
                "why": found.reason,
            }
        )
    why = REASONS_APART.join(reasons) or gettext_noop(
        "no phone or email the person may be reached at"
    )
    return _Choice(None, "", Status.BLOCKED, why[:300], now)


@dataclass(frozen=True)
class Ask:
    """One message asked for: to whom, once per `source_key`, written by `render` (in
    the person's language), and sent by `send_by` or not at all."""

    person: Person
    source_key: str
    render: Callable[[], Draft]
    send_by: dt.datetime | None = None


def send_to_person(
    *,
    actor: Actor,
    person: Person,
    purpose: str,
    source_key: str,
    render: Callable[[], Draft],
    send_by: dt.datetime | None = None,
    channels: tuple[str, ...] = (Channel.TEXT, Channel.EMAIL),
    now: dt.datetime | None = None,
) -> OutboundMessage:
    """Ask for one message to the person, for `purpose` (a registered Purpose), once per
    `source_key`: asking again returns the message already asked for. `render` is called
    in the person's language. The message goes now, waits for the person's window (if it
    opens before `send_by`), or is blocked with the reason; it is never sent where the
    rules forbid."""
    ask = Ask(person=person, source_key=source_key, render=render, send_by=send_by)
    [message] = send_many(actor=actor, purpose=purpose, asks=[ask], channels=channels, now=now)
    return message


@transaction.atomic
def send_many(
    *,
    actor: Actor,
    purpose: str,
    asks: list[Ask],
    channels: tuple[str, ...] = (Channel.TEXT, Channel.EMAIL),
    now: dt.datetime | None = None,
) -> list[OutboundMessage]:
    """`send_to_person` for many messages at once (a reminder sweep), in one transaction
    and a fixed number of queries: the messages already asked for and the numbers that
    said STOP are read once, the new rows written together with their audit events (one
    per message, appended together), and their sending is one background task."""
    if purpose not in purposes:
        raise ValueError(f"Message purpose {purpose!r} is not registered")
    now = now or timezone.now()
    known: dict[str, list[OutboundMessage]] = {}
    for row in OutboundMessage.objects.filter(source_key__in=[a.source_key for a in asks]):
        known.setdefault(row.source_key, []).append(row)
    phones = [
        c.normalized for a in asks for c in a.person.contact_points.all() if c.kind == "phone"
    ]
    stopped = opted_out_numbers(phones)
    results: list[OutboundMessage] = []
    new: list[OutboundMessage] = []
    for ask in asks:
        prior = known.setdefault(ask.source_key, [])
        # The reason is stored with the message: in English, whoever asked.
        choice = in_english(_choose, ask.person, now, ask.send_by, channels, stopped)
        same = next((m for m in prior if m.status != Status.BLOCKED), None) or next(
            (m for m in prior if m.channel == choice.channel), None
        )
        if same is None:  # never asked, or blocked before and a way has opened since
            same = _message(actor, purpose, ask, choice, now)
            new.append(same)
            prior.append(same)
        results.append(same)
    saved = _save_new(new)
    # One audit event per message, appended together (one round trip, not one each).
    audit.record_for_people(
        actor=actor,
        action=Action.CREATE,
        about=[(message.person, message) for message in saved],
        fields=["channel", "purpose", "status"],
    )
    for message in saved:
        if message.status == Status.BLOCKED or message.send_after > now:
            _on_timeline(message, actor, now)  # a message that goes now is listed once sent
    due = [m.pk for m in new if m.status == Status.QUEUED and m.send_after <= now]
    if due:
        deliver_later(due)
    return results


def _message(
    actor: Actor, purpose: str, ask: Ask, choice: _Choice, now: dt.datetime
) -> OutboundMessage:
    language = person_language(ask.person)
    with translation.override(language):
        draft = ask.render()
    return OutboundMessage(
        person=ask.person,
        contact_point=choice.contact,
        channel=choice.channel,
        purpose=purpose,
        source_key=ask.source_key[:200],
        to=choice.contact.normalized if choice.contact else "",
        language=language,
        subject=draft.subject[:200],
        body=draft.text_body if choice.channel == Channel.TEXT and draft.text_body else draft.body,
        status=choice.status,
        reason=choice.reason,
        created_at=now,
        send_after=choice.send_after,
        send_by=ask.send_by,
        status_at=now,
        created_by=account_of(actor),
    )


def _save_new(new: list[OutboundMessage]) -> list[OutboundMessage]:
    """Write the new messages together, and return them; if a key was asked for at the
    same moment elsewhere, one by one, leaving out those that lost (the other stands)."""
    try:
        with transaction.atomic():
            return OutboundMessage.objects.bulk_create(new)
    except IntegrityError:
        saved = []
        for message in new:
            try:
                with transaction.atomic():
                    message.pk = None
                    message.save()
                saved.append(message)
            except IntegrityError:
                continue
        return saved


def deliver_later(message_ids: list[int]) -> None:
    from alongside.messaging.background import deliver_messages

    transaction.on_commit(lambda: deliver_messages.enqueue(message_ids))


def deliver(message_id: int, now: dt.datetime | None = None) -> str:
    """Send one queued message, once: the row is claimed (queued to sending) before the
    provider is called, so a retry or a second worker finds it taken and sends nothing.
    Everything is checked again first: the purpose (an appointment since cancelled), the
    rules and STOP, and the time."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(of=("self",))
            .select_related("person__organization", "contact_point")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status != Status.QUEUED:
            return message.status if message else "missing"
        if message.send_after > now:
            return "waiting"
        why_not = _why_not_now(message, now)
        if why_not is not None:
            return why_not
        message.status, message.status_at = Status.SENDING, now
        message.save(update_fields=["status", "status_at"])
    outgoing = Outgoing(
        to=message.to,
        body=message.body,
        subject=message.subject,
        status_callback=_status_callback() if message.channel == Channel.TEXT else "",
    )
    try:
        provider_id, reason, status = channel_for(message.channel).send(outgoing), "", Status.SENT
    except SendFailed as error:
        provider_id, reason, status = "", str(error)[:300], Status.FAILED
    with transaction.atomic():
        message.status, message.reason, message.provider_id = status, reason, provider_id
        message.sent_at = now if status == Status.SENT else None
        message.status_at = timezone.now()
        save_status(message, ["reason", "provider_id", "sent_at"])
    return str(status)


def _why_not_now(message: OutboundMessage, now: dt.datetime) -> str | None:
    """Inside deliver's transaction: block or postpone the message if it may not go now."""
    purpose = purposes.get(message.purpose)
    reason = purpose.still_wanted(message) if purpose and purpose.still_wanted else ""
    if not reason and message.send_by is not None and now > message.send_by:
        reason = gettext_noop("too late: it had to go by %(time)s") % {
            "time": message.send_by.isoformat(timespec="minutes")
        }
    contact = message.contact_point
    if not reason and contact is None:
        reason = gettext_noop("the contact point was removed")
    if not reason and contact is not None and contact.normalized != message.to:
        # The checks below read the contact point as it is now; the message would go to
        # the number or address saved when it was queued.
        reason = gettext_noop("the number changed since it was queued")
    if not reason and contact is not None:
        stopped = bool(opted_out_numbers([contact.normalized]))
        zone = message.person.zone
        found = in_english(obstacle, contact, message.channel, now, zone, opted_out=stopped)
        if (
            found is not None
            and found.opens_at is not None
            and (message.send_by is None or found.opens_at < message.send_by)
        ):
            message.send_after = found.opens_at
            message.save(update_fields=["send_after"])
            return "waiting"
        reason = found.reason if found else ""
    if not reason:
        return None
    block(message, reason, now)
    return str(Status.BLOCKED)


def block(message: OutboundMessage, reason: str, now: dt.datetime) -> None:
    message.status, message.reason, message.status_at = Status.BLOCKED, reason[:300], now
    save_status(message, ["reason"])


def save_status(message: OutboundMessage, also: list[str]) -> None:
    """Save a message's new status (and `also`), with its audit event and timeline entry,
    in the caller's transaction."""
    message.save(update_fields=["status", "status_at", *also])
    audit.record_for_person(
        actor=SYSTEM, action=Action.UPDATE, person=message.person, obj=message, fields=["status"]
    )
    _on_timeline(message, SYSTEM, message.status_at)


def due_message_ids(now: dt.datetime, limit: int = 5000) -> list[int]:
    rows = OutboundMessage.objects.filter(status=Status.QUEUED, send_after__lte=now)
    return list(rows.order_by("send_after").values_list("pk", flat=True)[:limit])


def _status_callback() -> str:
    path = reverse("messaging:twilio-status")
    return f"{settings.MESSAGING_PUBLIC_URL}{path}" if settings.MESSAGING_PUBLIC_URL else ""


def _on_timeline(message: OutboundMessage, actor: object, at: dt.datetime) -> None:
    if message.status == Status.SENDING:
        return
    purpose = purposes.get(message.purpose)
    summary = in_english(
        lambda: (
            SUMMARIES[message.status]
            % {
                "channel": message.get_channel_display() if message.channel else "",
                "purpose": str(purpose.label).lower() if purpose else message.purpose,
            }
        ).strip()
    )
    details = message.reason if message.status in (Status.BLOCKED, Status.FAILED) else ""
    add_entry(
        person=message.person,
        kind=f"messaging.message_{message.status}",
        occurred_at=at,
        summary=summary[:1].upper() + summary[1:],
        details=details or message.body,
        actor=actor,
        subject=message,
    )
