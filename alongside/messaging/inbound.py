"""What comes back from the SMS provider: delivery statuses, and texts the person sends.

STOP (and STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, in any case and spacing) stops texts
to that number at once, and nothing here ever starts them again: only staff, recording
that the person asked (`end_text_opt_out`). C, YES, Y or SÍ says yes, and NO or N says
no, to the latest text sent to that number whose purpose takes that word (it has
`on_confirm` or `on_decline`, and the word is among its `yes_words` or `no_words`): that
text, not an older one, decides whether a YES confirms a reminder or takes an offered
slot, and a "C" (the reminders' word) never takes an offered slot. It acts only while
the number is still one of that text's person's phones (and theirs alone, for a purpose
with `sole_number`); otherwise the reply is kept for staff, as any other reply is.
Punctuation, spaces and accents do not change a word ("¡Sí!" is SI)."""

from __future__ import annotations

import datetime as dt
import string
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from alongside.accounts.models import User
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.messaging.models import InboundMessage, OutboundMessage, TextOptOut
from alongside.messaging.purposes import NO_WORDS, YES_WORDS, purposes
from alongside.messaging.services import SYSTEM, Status, save_status
from alongside.people.models import ContactPoint, Person
from alongside.people.normalize import normalize_phone
from alongside.people.timeline import add_entry

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})
# Twilio's MessageStatus, as ours; "queued"/"sending"/"accepted" change nothing.
PROVIDER_STATUS = {
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "undelivered": Status.FAILED,
    "failed": Status.FAILED,
}
FINAL = (Status.DELIVERED, Status.FAILED, Status.BLOCKED)


def _shown(body: str) -> str:
    """A one-word reply in capitals, without spaces or punctuation: "¡Sí!" is "SÍ"."""
    return unicodedata.normalize("NFC", "".join(body.split()).upper()).strip(
        string.punctuation + "¡¿"
    )


def word_of(body: str) -> str:
    """A one-word reply as the word lists spell it: "¡Sí!", "si," and "S I" are all "SI"."""
    letters = unicodedata.normalize("NFKD", _shown(body))
    return "".join(c for c in letters if not unicodedata.combining(c))


@transaction.atomic
def record_status(*, provider_id: str, provider_status: str, error_code: str = "") -> bool:
    """A delivery status for a text we sent; False when it names no message of ours."""
    new = PROVIDER_STATUS.get(provider_status.lower())
    message = (
        OutboundMessage.objects.select_for_update()
        .select_related("person")
        .filter(provider_id=provider_id)
        .first()
        if provider_id
        else None
    )
    if message is None:
        return False
    if new is None or message.status in FINAL or message.status == new:
        return True
    now = timezone.now()
    message.status, message.status_at = new, now
    if new == Status.FAILED:
        message.reason = f"the provider reports {provider_status} {error_code}".strip()[:300]
    save_status(message, ["reason"])
    return True


def _latest_text(number: str, word: str) -> OutboundMessage | None:
    """The latest text sent to the number; for a yes or a no, the latest whose purpose
    takes that word (a "C" answers a reminder, never an offer that asked for YES)."""
    sent = OutboundMessage.objects.filter(
        to=number, channel="text", status__in=(Status.SENT, Status.DELIVERED)
    )
    if word in YES_WORDS | NO_WORDS:
        sent = sent.filter(purpose__in=[p.key for p in purposes if p.takes(word)])
    return sent.select_related("person").order_by("-sent_at", "-id").first()


def _people_at(number: str) -> list[Person]:
    ids = ContactPoint.objects.filter(kind="phone", normalized=number).values("person_id")
    return list(Person.objects.filter(pk__in=ids, merged_into__isnull=True))


def _still_theirs(answered: OutboundMessage, people: list[Person], sole: bool) -> bool:
    """Whether a reply may act on the text it answers: the number is still one of that
    text's person's phones (not given up, nor passed on to someone else), and theirs
    alone when the purpose asks it (`sole_number`)."""
    at = {person.pk for person in people}
    return answered.person_id in at and (not sole or len(at) == 1)


@transaction.atomic
def receive_text(*, provider_id: str, from_number: str, to_number: str, body: str) -> str:
    """Take in a text from a person; answer what it meant ("opt_out", "confirm", ...)."""
    if InboundMessage.objects.filter(provider_id=provider_id).exists():
        return "duplicate"  # the provider retried its webhook
    number = normalize_phone(from_number) or from_number.strip()[:32]
    now = timezone.now()
    word = word_of(body)
    people = _people_at(number)
    answered = _latest_text(number, word)
    inbound = InboundMessage.objects.create(
        from_number=number,
        to_number=to_number[:32],
        body=body[:1600],
        provider_id=provider_id[:64],
        received_at=now,
        person=people[0] if len(people) == 1 else None,
        in_reply_to=answered,
    )
    if word in OPT_OUT_WORDS:
        inbound.meaning = "opt_out"
        _opt_out(number, word, now, people)
    elif word in OPT_IN_WORDS:
        inbound.meaning = "opt_in_request"
        for person in people:
            _note(
                person,
                now,
                gettext_noop("Replied START: asked for texts again (staff turn texts back on)"),
            )
    elif (
        answered is not None
        and (purpose := purposes.get(answered.purpose)) is not None
        and _still_theirs(answered, people, purpose.sole_number)
    ):
        meaning, act = (
            ("confirm", purpose.on_confirm)
            if word in purpose.yes_words
            else ("decline", purpose.on_decline if word in purpose.no_words else None)
        )
        if act is not None:
            inbound.meaning = meaning
            done = act(answered)
            _note(
                answered.person,
                now,
                gettext_noop("Replied %(reply)s: %(done)s")
                % {"reply": _shown(body)[:40], "done": done},
            )
    if not inbound.meaning:
        for person in people:
            _note(person, now, gettext_noop("Replied to a text message"), details=body[:1000])
    inbound.save(update_fields=["meaning"])
    return inbound.meaning or "reply"


def _opt_out(number: str, word: str, now: dt.datetime, people: list[Person]) -> None:
    stop, created = TextOptOut.objects.select_for_update().get_or_create(
        number=number, defaults={"word": word, "opted_out_at": now}
    )
    if not created and stop.ended_at is not None:  # STOP again after staff turned texts on
        stop.word, stop.opted_out_at, stop.ended_at, stop.ended_by = word, now, None, None
        stop.ended_note = ""
        stop.save()
    for person in people:
        audit.record_for_person(
            actor=SYSTEM, action=Action.UPDATE, person=person, obj=stop, fields=["opted_out_at"]
        )
        _note(
            person,
            now,
            gettext_noop("Replied %(word)s: no more texts to %(number)s")
            % {"word": word, "number": number},
            kind="messaging.opted_out",
        )


def _note(
    person: Person,
    now: dt.datetime,
    summary: str,
    *,
    details: str = "",
    kind: str = "messaging.reply_received",
) -> None:
    add_entry(
        person=person, kind=kind, occurred_at=now, summary=summary, details=details, actor=SYSTEM
    )


@transaction.atomic
def end_text_opt_out(
    *, actor: User, person: Person, contact: ContactPoint, note: str
) -> TextOptOut:
    """Staff turn texts back on for a number that said STOP, recording the person's own
    request (`note`: when and how they asked). Only a signed-in user, never the system."""
    if (
        not isinstance(actor, User)
        or not Person.objects.visible_to(actor).filter(pk=person.pk).exists()
    ):
        raise NotPermitted("Only staff, at the person's request, turn texts back on.")
    if not note.strip():
        from django.core.exceptions import ValidationError

        raise ValidationError({"note": "Say when and how the person asked for texts again."})
    stop = TextOptOut.objects.select_for_update().get(
        number=contact.normalized, ended_at__isnull=True
    )
    now = timezone.now()
    stop.ended_at, stop.ended_by, stop.ended_note = now, actor, note.strip()[:300]
    stop.save()
    audit.record_for_person(
        actor=actor,
        action=Action.UPDATE,
        person=person,
        obj=stop,
        fields=["ended_at", "ended_note"],
    )
    add_entry(
        person=person,
        kind="messaging.opted_in",
        occurred_at=now,
        summary=gettext_noop("Texts to %(contact)s turned back on at the person's request")
        % {"contact": contact.value},
        details=stop.ended_note,
        actor=actor,
    )
    return stop
