"""What an appointment's journey entries store in English (`common.record`, the
waitlist's, a group seat's, a reminder's answer), said again in the reader's language on
the timeline (`lib.stored_words`). The type's name, the staff member's and a person's or
worker's own words are kept as stored."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from alongside.lib.stored_words import Sentence, Sentences, choice_label, moment, said_in
from alongside.scheduling.models import Modality


def _kind(value: str) -> str:
    """A type's name as stored; a sensitive type's neutral "Appointment" said again."""
    return gettext("Appointment") if value == "Appointment" else value


def _a_kind(value: str) -> str:
    return gettext("an appointment") if value == "an appointment" else value


# "Check-in with Casey Nguyen, 7 Dec 2026, 10:00 AM (Phone)" (`common.summary`).
APPOINTMENT = Sentence(
    gettext_noop("%(kind)s with %(staff)s, %(time)s (%(way)s)"),
    {"kind": _kind, "time": moment, "way": choice_label(Modality)},
)
_APPOINTMENT = said_in([APPOINTMENT])

# What happened, before the appointment's line: "Cancelled: Check-in with …".
_HAPPENED = said_in(
    [
        Sentence(gettext_noop("Cancelled")),
        Sentence(gettext_noop("Cancelled by the person")),
        Sentence(gettext_noop("Cancelled late")),
        Sentence(gettext_noop("Arrived")),
        Sentence(gettext_noop("Attended")),
        Sentence(gettext_noop("Did not come")),
        Sentence(gettext_noop("Seat given up")),
        Sentence(gettext_noop("Moved from %(old)s"), {"old": moment}),
    ]
)

SCHEDULING_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("Offered a freed slot: %(what)s"), {"what": _APPOINTMENT}),
        # The same in every language but for what happened and the appointment's line.
        Sentence(
            "%(happened)s: %(appointment)s", {"happened": _HAPPENED, "appointment": _APPOINTMENT}
        ),
        APPOINTMENT,
        Sentence(gettext_noop("Joined the waitlist for %(kind)s"), {"kind": _a_kind}),
        Sentence(gettext_noop("Accepted an offered slot")),
        Sentence(gettext_noop("Declined an offered slot")),
        Sentence(gettext_noop("Left the waitlist")),
        # A reminder's answer (`reply_links.ANSWER_WORDS`).
        Sentence(gettext_noop("Confirmed the appointment")),
        Sentence(gettext_noop("Cancelled the appointment")),
        Sentence(gettext_noop("Asked for another time for the appointment")),
    ]
)
said_summary = SCHEDULING_SENTENCES.say

# An entry's details: a worker's reason (kept), or why the system cancelled.
DETAIL_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("Moved to a sooner slot from the waitlist")),
        Sentence(gettext_noop("Cancelled by the person from a reminder")),
        Sentence(gettext_noop("Cancelled by the person from a reminder: %(note)s")),
    ]
)
said_details = DETAIL_SENTENCES.say


def _status(value: str) -> str | None:
    """An appointment's status as `reminders.still_wanted` stores it ("late cancelled")."""
    from alongside.scheduling.models import Appointment

    found = next((s for s in Appointment.Status if s.value.replace("_", " ") == value), None)
    return str(found.label).lower() if found is not None else None


# Why a reminder or an offer is no longer wanted, and what a reply to one did (lower
# case: after "Replied C: "), as their purposes store them.
PURPOSE_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("not a reminder this app made")),
        Sentence(gettext_noop("the appointment no longer exists")),
        Sentence(gettext_noop("the appointment is %(status)s"), {"status": _status}),
        Sentence(gettext_noop("the appointment was moved (its new time has its own reminders)")),
        Sentence(gettext_noop("nothing to confirm")),
        Sentence(gettext_noop("nothing to answer: the appointment is gone")),
        Sentence(gettext_noop("nothing done: the appointment was moved or cancelled since")),
        Sentence(gettext_noop("confirmed the appointment")),
        Sentence(gettext_noop("cancelled the appointment")),
        Sentence(gettext_noop("asked for another time for the appointment")),
        Sentence(gettext_noop("the offer is no longer open")),
        Sentence(gettext_noop("the offer expired")),
        Sentence(gettext_noop("no offer to answer")),
        Sentence(gettext_noop("took the offered slot")),
        Sentence(gettext_noop("the offered slot was already theirs")),
        Sentence(gettext_noop("let the offered slot go")),
        Sentence(
            gettext_noop(
                "the offer was no longer open (expired, taken or answered); nothing changed"
            )
        ),
    ]
)
said_by_purpose = said_in(PURPOSE_SENTENCES.sentences)
