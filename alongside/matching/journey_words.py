"""What a merge's and its undoing's journey entries store in English (`merge`, `undo`),
said again in the reader's language on the timeline (`lib.stored_words`). The names are
kept as stored, and the reason given for the merge is the worker's own."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from alongside.lib.stored_words import Sentence, Sentences, said_in
from alongside.people.history_words import RECORD

_RECORD = {"record": said_in([RECORD])}

MERGE_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("Merged with %(record)s"), _RECORD),
        Sentence(gettext_noop("Merge with %(record)s undone"), _RECORD),
    ]
)
said_summary = MERGE_SENTENCES.say
