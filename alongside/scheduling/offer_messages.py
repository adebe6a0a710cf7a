"""Telling a waiting person about a freed slot offered to them: one message per offer,
through `messaging.send_to_person` (their preferred way, in their language, never where
their safe-contact rules forbid, waiting for their window until the offer expires).

The wording is the reminders' neutral wording: no program, no service and no kind of
appointment, whether or not the kind is sensitive (a text can be read by someone else);
the day, time and way to meet only. The message carries a signed link to a page where
the person accepts or declines (offer_links); their coordinator can still do it for them
on the person's scheduling page.

By text, the person can also reply YES (Y, SÍ) to take the slot or NO to let it go
(`messaging.inbound` hands the reply to the offer whose text was the latest one to that
number expecting a reply, and only while that number is the person's alone: a phone a
household shares, or one passed on, takes no slot): the same services as the link, and
an answer by text, in the person's language, saying what came of it (taken, let go, or
no longer available)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.accounts.actors import Actor
from alongside.messaging.models import OutboundMessage
from alongside.messaging.purposes import YES_WORDS, Purpose, purposes
from alongside.messaging.services import SYSTEM, Draft, send_to_person
from alongside.scheduling import journey_words, offer_links
from alongside.scheduling.models import Offer
from alongside.scheduling.reminders import appointment_zone, how_words, when_words

PURPOSE = "scheduling.waitlist_offer"
ANSWER_PURPOSE = "scheduling.waitlist_offer_answer"
# An answer by text waits for the person's window (quiet hours) at most this long.
ANSWER_WITHIN = dt.timedelta(hours=12)
# For the person's timeline: what a YES or NO by text did.
DONE = {
    "accepted": "took the offered slot",
    "already": "the offered slot was already theirs",
    "declined": "let the offered slot go",
    "gone": "the offer was no longer open (expired, taken or answered); nothing changed",
}


def source_key(offer: Offer) -> str:
    return f"offer:{offer.pk}"


def render_offer(offer: Offer) -> Draft:
    """The message, in the active language (send_to_person sets the person's)."""
    hold, person = offer.hold, offer.entry.person
    day, time = when_words(hold, person)
    until = formats.date_format(
        timezone.localtime(offer.expires_at, appointment_zone(hold, person)),
        "SHORT_DATETIME_FORMAT",
    )
    words = {
        "name": person.first_name,
        "day": day,
        "time": time,
        "how": how_words(hold),
        "until": until,
        "link": offer_links.link(offer),
    }
    body = (
        _(
            "Hi %(name)s, an earlier appointment is free on %(day)s at %(time)s (%(how)s). "
            "It is kept for you until %(until)s. To take it or say no: %(link)s"
        )
        % words
    )
    by_text = (
        _(
            "Hi %(name)s, an earlier appointment is free on %(day)s at %(time)s (%(how)s). "
            "It is kept for you until %(until)s. Reply YES to take it or NO to say no, "
            "or use: %(link)s"
        )
        % words
    )
    return Draft(body=body, subject=_("An earlier appointment is free"), text_body=by_text)


def _offer_of(message: OutboundMessage) -> Offer | None:
    _kind, _sep, pk = message.source_key.partition(":")
    return (
        Offer.objects.select_related(
            "entry__person__organization", "hold__location", "hold__appointment_type"
        )
        .prefetch_related("entry__person__languages", "entry__person__contact_points")
        .filter(pk=int(pk) if pk.isdigit() else 0, entry__person__merged_into__isnull=True)
        .first()
    )


def still_wanted(message: OutboundMessage) -> str:
    """At send time: "" while the offer is open and has not expired."""
    offer = _offer_of(message)
    if offer is None or offer.status != Offer.Status.OPEN:
        return "the offer is no longer open"
    if offer.expires_at <= timezone.now():
        return "the offer expired"
    return ""


def tell(*, actor: Actor, offer: Offer) -> OutboundMessage:
    """Ask for the offer's message (once per offer), sent by the time it expires or not
    at all."""
    return send_to_person(
        actor=actor,
        person=offer.entry.person,
        purpose=PURPOSE,
        source_key=source_key(offer),
        render=lambda: render_offer(offer),
        send_by=offer.expires_at,
    )


def accept_by_text(message: OutboundMessage) -> str:
    """YES to the offer's text: take the slot, as the link's accept."""
    return _answer_by_text(message, accept=True)


def decline_by_text(message: OutboundMessage) -> str:
    """NO to the offer's text: let the slot go, as the link's decline."""
    return _answer_by_text(message, accept=False)


def _answer_by_text(message: OutboundMessage, *, accept: bool) -> str:
    offer = _offer_of(message)
    if offer is None:
        return "no offer to answer"
    now = timezone.now()
    if offer.status == Offer.Status.OPEN and offer.expires_at > now:
        done = offer_links.answer(offer=offer, accept=accept, now=now).done
    elif accept and offer.status == Offer.Status.ACCEPTED:
        done = "already"
    else:
        done = "gone"
    if done == "gone" and accept:
        # The link may have taken it between the check above and the answer's lock.
        offer.refresh_from_db(fields=["status"])
        if offer.status == Offer.Status.ACCEPTED:
            done = "already"
    _answer(offer, done, now)
    return DONE[done]


def _answer(offer: Offer, done: str, now: dt.datetime) -> OutboundMessage:
    """Tell the person, by their way and in their language, what came of their reply:
    once per offer and outcome (a second YES to a slot already theirs says nothing)."""
    said = "accepted" if done == "already" else done
    return send_to_person(
        actor=SYSTEM,
        person=offer.entry.person,
        purpose=ANSWER_PURPOSE,
        source_key=f"offer-answer:{offer.pk}:{said}",
        render=lambda: render_answer(offer, said),
        send_by=now + ANSWER_WITHIN,
        now=now,
    )


def render_answer(offer: Offer, said: str) -> Draft:
    hold, person = offer.hold, offer.entry.person
    day, time = when_words(hold, person)
    words = {"name": person.first_name, "day": day, "time": time, "how": how_words(hold)}
    if said == "accepted":
        body = _("Thank you, %(name)s: the appointment on %(day)s at %(time)s (%(how)s) is yours.")
    elif said == "declined":
        body = _(
            "Thank you, %(name)s: we will offer this time to someone else. "
            "You stay on the waiting list."
        )
    else:
        body = _(
            "Sorry, %(name)s: the appointment on %(day)s at %(time)s is no longer "
            "available (it was taken, the offer expired, or it was already answered). "
            "Nothing was changed. Please contact your care team."
        )
    return Draft(body=body % words, subject=_("Your answer about an earlier appointment"))


def register() -> None:
    """Called from SchedulingConfig.ready()."""
    purposes.register(
        Purpose(
            key=PURPOSE,
            label=gettext_lazy("Waitlist offer"),
            still_wanted=still_wanted,
            on_confirm=accept_by_text,
            on_decline=decline_by_text,
            sole_number=True,
            said=journey_words.said_by_purpose,
            # The offer asks for YES or NO: a "C" is the reminders' word, so it never
            # takes a slot (it answers the latest reminder instead).
            yes_words=YES_WORDS - {"C"},
        )
    )
    purposes.register(
        Purpose(key=ANSWER_PURPOSE, label=gettext_lazy("Answer about a waitlist offer"))
    )
