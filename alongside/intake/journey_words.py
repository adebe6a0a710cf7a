"""What a screening's journey entries store in English (`services.journey`), said again
in the reader's language on the timeline (`lib.stored_words`). An instrument's title is
kept as stored."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from alongside.lib.stored_words import Sentence, Sentences

JOURNEY_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("Urgent screening result raised")),
        Sentence(gettext_noop("Urgent screening result acted on")),
        Sentence(gettext_noop("Urgent screening result: attempt recorded")),
        Sentence(gettext_noop("Screening completed: %(title)s")),
    ]
)
said_summary = JOURNEY_SENTENCES.say
