"""Safe-contact rules that contradict their own safety note.

A contact point says twice how the person may be reached: in its checkboxes (texts,
voicemail) and in the safety note, in the person's words. Someone in a hurry reads one of
the two. When the note forbids what a checkbox allows ("Partner checks the phone — no
texts" beside "We may send text messages"), whoever reads the checkbox can put the person
in danger, so the record is refused until the two agree, for staff and the API alike.

Refused rather than flagged: a warning can be clicked through, and the risk is the
person's, not the user's. The phrases are few on purpose, English and Spanish, matched as
whole words in any case, with straight or curly apostrophes. A phrase followed by a time
("no texts after 8 pm", "no llamar antes de las 10") limits when, not whether, and is
left alone: the contact times fields say when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

NO_TEXTS = (
    "no texts",
    "no text messages",
    "no texting",
    "do not text",
    "don't text",
    "never text",
    "no mensajes de texto",
    "no mandar mensajes",
    "no enviar mensajes",
    "sin mensajes de texto",
)
NO_VOICEMAIL = (
    "no voicemail",
    "no voicemails",
    "no voice mail",
    "do not leave a voicemail",
    "don't leave a voicemail",
    "never leave a voicemail",
    "no dejar mensajes de voz",
    "no dejar mensaje de voz",
    "sin mensajes de voz",
)
NO_CALLS = (
    "do not call",
    "don't call",
    "never call",
    "no calls",
    "no phone calls",
    "no llamar",
    "no llamen",
    "no me llamen",
    "nunca llamar",
)
NO_EMAIL = (
    "no email",
    "no emails",
    "no e-mail",
    "do not email",
    "don't email",
    "never email",
    "shared account",
    "shared email",
    "no correo",
    "no correos",
    "no mandar correos",
    "correo compartido",
    "cuenta compartida",
)
# Words that turn a ban into a limit on when: "no texts after 8 pm".
TIME_WORDS = (
    "after",
    "before",
    "until",
    "till",
    "during",
    "between",
    "past",
    "después",
    "despues",
    "antes",
    "hasta",
    "entre",
    "durante",
)


@dataclass(frozen=True)
class Rule:
    field: str  # the checkbox the note contradicts
    phrases: tuple[str, ...]
    message: str


RULES = (
    Rule(
        "may_text",
        NO_TEXTS,
        "The safety note says “{phrase}”, but text messages are allowed. Turn off text "
        "messages, or change the note.",
    ),
    Rule(
        "may_leave_voicemail",
        NO_VOICEMAIL,
        "The safety note says “{phrase}”, but voicemails are allowed. Turn off voicemails, "
        "or change the note.",
    ),
    Rule(
        "may_email",
        NO_EMAIL,
        "The safety note says “{phrase}”, but emails are allowed. Turn off emails, or "
        "change the note.",
    ),
    Rule(
        "may_leave_voicemail",
        NO_CALLS,
        "The safety note says “{phrase}”, but voicemails are allowed, and leaving one "
        "means calling. Turn off voicemails, or change the note.",
    ),
)


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p).replace("'", "['’]?") for p in phrases)
    times = "|".join(TIME_WORDS)
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)(?!\s+(?:{times})\b)", re.IGNORECASE)


_PATTERNS = {rule.phrases: _pattern(rule.phrases) for rule in RULES}


def contradictions(
    *, safety_note: str, may_text: bool, may_leave_voicemail: bool, may_email: bool = False
) -> dict[str, str]:
    """{checkbox field: why} for each checkbox the note forbids; empty when they agree."""
    allowed = {
        "may_text": may_text,
        "may_leave_voicemail": may_leave_voicemail,
        "may_email": may_email,
    }
    found: dict[str, str] = {}
    for rule in RULES:
        if not allowed[rule.field] or rule.field in found:
            continue
        match = _PATTERNS[rule.phrases].search(safety_note or "")
        if match:
            found[rule.field] = rule.message.format(phrase=match.group(1))
    return found


_ANY_CALL_BAN = re.compile(
    "(?<!\\w)(" + "|".join(re.escape(p).replace("'", "['’]?") for p in NO_CALLS) + ")(?!\\w)",
    re.IGNORECASE,
)
_AT_WORK = re.compile(
    r"^\s*(?:me\s+)?(?:at|to|on)\s+(?:my\s+|the\s+)?work\b|^\s*al\s+trabajo\b", re.IGNORECASE
)
_LIMITED = re.compile(
    "(?<!\\w)("
    + "|".join(re.escape(p).replace("'", "['’]?") for p in NO_TEXTS + NO_CALLS + NO_EMAIL)
    + ")\\s+(?:"
    + "|".join(TIME_WORDS)
    + ")\\b",
    re.IGNORECASE,
)


def warnings(contact: Any) -> list[str]:
    """Softer disagreements between a contact point's rules and its notes, shown to staff
    when saved but not refused: calls allowed where the note says not to call (also "do
    not call at work" on a work number), and times given only in words, which no
    machine obeys until the windows say them too."""
    found: list[str] = []
    note = contact.safety_note or ""
    if contact.kind == "phone" and contact.may_call:
        for match in _ANY_CALL_BAN.finditer(note):
            rest = note[match.end() :]
            if _AT_WORK.match(rest) and "work" not in (contact.label or "").lower():
                continue  # "do not call at work", and this is not the work number
            if _LIMITED.match(note, match.start()):
                continue  # "do not call after 8 pm" limits when, not whether
            found.append(
                _(
                    "The safety note says “%(phrase)s”, but calls are allowed on this "
                    "number. Turn off calls, or change the note."
                )
                % {"phrase": match.group(1)}
            )
            break
    windows = [contact.safe_hours_start] + [
        getattr(contact, f"{channel}_from") for channel in ("voice", "voicemail", "text", "email")
    ]
    limited = _LIMITED.search(note)
    if all(start is None for start in windows):
        if limited:
            found.append(
                _(
                    "The safety note limits when (“%(phrase)s”), but no safe hours or "
                    "channel windows are set, so messages would not obey it. Set the window."
                )
                % {"phrase": limited.group(0).strip()}
            )
        elif (contact.never_contact_times or "").strip():
            found.append(
                _(
                    "“Never contact at these times” is only a note: set the safe hours or a "
                    "channel's window so that reminders obey it."
                )
            )
    return found
