"""What an encounter's and a note's journey entries store in English (`services`), said
again in the reader's language on the timeline (`lib.stored_words`). A note template's
name is kept as stored."""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from alongside.encounters.models import Encounter
from alongside.lib.stored_words import Sentence, Sentences, choice_label


def _minutes(value: str) -> str | None:
    return value if re.fullmatch(r"\d+", value) else None


_KIND = choice_label(Encounter.Kind)

ENCOUNTER_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("%(kind)s (%(minutes)s min)"), {"kind": _KIND, "minutes": _minutes}),
        # An encounter without a duration is stored as its kind alone.
        Sentence("%(kind)s", {"kind": _KIND}),
    ]
)
NOTE_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("%(note)s co-signed")),
        Sentence(gettext_noop("%(note)s signed")),
        Sentence(gettext_noop("Addendum to the %(note)s")),
    ]
)
