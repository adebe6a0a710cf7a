"""What a task's history and journey entries store in English (`lib.english.in_english`),
said again in the reader's language where they are shown (`lib.stored_words`)."""

from __future__ import annotations

from functools import cache

from django.utils import translation
from django.utils.translation import gettext_noop

from alongside.lib.stored_words import Sentence, Sentences, choice_label, moment
from alongside.tasks.models import Task, TaskEvent
from alongside.tasks.presenting import NEUTRAL_TITLES


@cache
def _neutral_titles() -> Sentences:
    with translation.override("en"):
        return Sentences(Sentence(str(title)) for title in NEUTRAL_TITLES.values())


def said_summary(summary: str) -> str:
    """A timeline entry's summary: a sensitive task's neutral title in the reader's
    language (others carry the task's own title, kept as written)."""
    return _neutral_titles().say(summary)


# A history line's values, note and who acted when it was the system.
HISTORY_WORDS = Sentences(
    [
        Sentence(gettext_noop("team queue")),
        Sentence(gettext_noop("Closed by rule: the condition was met.")),
        # The time as the English formats store it, said in the reader's format.
        Sentence(gettext_noop("Closed by rule: contacted on %(when)s."), {"when": moment}),
        Sentence(gettext_noop("Follow-up rules")),
    ]
)
_status = choice_label(Task.Status)


def said_resolution(resolution: str) -> str:
    """How the task was closed: a rule's closing note in the reader's language (a
    worker's reason for cancelling stays as written)."""
    return HISTORY_WORDS.say(resolution)


def said_event(event: TaskEvent) -> TaskEvent:
    """The history line in the reader's language (in memory: never saved)."""
    if event.kind == TaskEvent.Kind.STATUS:
        event.old, event.new = _status(event.old) or event.old, _status(event.new) or event.new
    else:
        event.old, event.new = HISTORY_WORDS.say(event.old), HISTORY_WORDS.say(event.new)
    event.note = HISTORY_WORDS.say(event.note)
    event.actor_label = HISTORY_WORDS.say(event.actor_label)
    return event
