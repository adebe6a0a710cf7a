"""What a message's journey entries store in English (`services`, `inbound`): their
summaries and why a message was not sent (the person's safe-contact rules), said again
in the reader's language on the timeline and the worklist (`lib.stored_words`). A
number, an address, a reply's words and a worker's reason for a rule are kept as
stored; a purpose says its own stored words (`Purpose.said`)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from alongside.lib.stored_words import Sentence, Sentences, choice_label, said_in
from alongside.messaging.purposes import purposes
from alongside.people.models import ContactPoint

# A channel as `Channel`'s labels store it (a label of the model, kept out of the
# catalog there so that no migration follows a translation).
CHANNELS = {"Text message": gettext_noop("Text message"), "Email": gettext_noop("Email")}
CHANNELS_INSIDE = {english.lower(): words for english, words in CHANNELS.items()}


def _channel(value: str) -> str | None:
    """A channel first in a sentence ("Text message appointment reminder sent")."""
    found = CHANNELS.get(value)
    return gettext(found).lower() if found else None


def _channel_lower(value: str) -> str | None:
    """A channel inside a sentence ("text message to +1 555 …")."""
    found = CHANNELS_INSIDE.get(value)
    return gettext(found).lower() if found else None


def _purpose(value: str) -> str | None:
    """A purpose by its label, as stored lower-cased (or capitalised, first)."""
    for purpose in purposes:
        with translation.override("en"):
            english = str(purpose.label)
        if value.lower() == english.lower():
            return str(purpose.label).lower()
    return None


def _purpose_said(value: str) -> str | None:
    """What a purpose stored in English (why it is no longer wanted, what a reply did)."""
    for purpose in purposes:
        said = purpose.said(value) if purpose.said else None
        if said is not None:
            return said
    return None


_SUMMARY = {"channel": _channel, "purpose": _purpose}
SUMMARIES = {
    "queued": gettext_noop("%(channel)s %(purpose)s waiting to be sent"),
    "sent": gettext_noop("%(channel)s %(purpose)s sent"),
    "delivered": gettext_noop("%(channel)s %(purpose)s delivered"),
    "failed": gettext_noop("%(channel)s %(purpose)s could not be delivered"),
    "blocked": gettext_noop("%(purpose)s not sent: not safe"),
}
# What a rule says against a way (`safety`).
_OBSTACLE = [
    Sentence(
        gettext_noop("a %(kind)s cannot take %(channel)s"),
        {"kind": choice_label(ContactPoint.Kind, lower=True)},
    ),
    # Stored as "no texts: <the worker's reason>"; the reason is kept.
    Sentence(
        "%(said)s: %(why)s",
        {
            "said": said_in(
                Sentence(gettext_noop(words))
                for words in ("no texts", "no emails", "no calls", "not allowed")
            )
        },
    ),
    Sentence(gettext_noop("no texts")),
    Sentence(gettext_noop("no emails")),
    Sentence(gettext_noop("no calls")),
    Sentence(gettext_noop("not allowed")),
    Sentence(gettext_noop("the person replied STOP to texts")),
    Sentence(gettext_noop("outside the person's safe hours")),
    Sentence(gettext_noop("outside the hours the person allows for this channel")),
    Sentence(gettext_noop("quiet hours overnight")),
    Sentence(gettext_noop("the person's windows never open")),
]
REASON_SENTENCES = Sentences(
    [
        Sentence(
            gettext_noop("%(channel)s to %(contact)s: %(why)s"),
            {"channel": _channel_lower, "why": said_in(_OBSTACLE)},
        ),
        *_OBSTACLE,
        Sentence(gettext_noop("no phone or email the person may be reached at")),
        Sentence(gettext_noop("the contact point was removed")),
        Sentence(gettext_noop("the number changed since it was queued")),
        Sentence(gettext_noop("too late: it had to go by %(time)s")),
        Sentence("%(said)s", {"said": _purpose_said}),
    ]
)
REASONS_APART = "; "


def said_reason(reason: str) -> str:
    """Why a message was not sent, each way's reason in the reader's language."""
    return REASONS_APART.join(REASON_SENTENCES.say(part) for part in reason.split(REASONS_APART))


SUMMARY_SENTENCES = Sentences(
    [
        *(Sentence(message, _SUMMARY) for message in SUMMARIES.values()),
        Sentence(gettext_noop("Replied START: asked for texts again (staff turn texts back on)")),
        Sentence(gettext_noop("Replied to a text message")),
        Sentence(gettext_noop("Replied %(word)s: no more texts to %(number)s")),
        Sentence(gettext_noop("Texts to %(contact)s turned back on at the person's request")),
        # The reply's words kept; what it did said by its message's purpose.
        Sentence(gettext_noop("Replied %(reply)s: %(done)s"), {"done": _purpose_said}),
    ]
)


def said_summary(summary: str) -> str:
    said = SUMMARY_SENTENCES.say(summary)
    return said[:1].upper() + said[1:]
