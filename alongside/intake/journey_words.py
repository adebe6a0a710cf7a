"""What a screening's journey entries store in English (`services.journey`), said again
in the reader's language on the timeline (`lib.stored_words`). An instrument's title is
kept as stored, and so is the note a worker wrote about an urgent result."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from alongside.intake.models import UrgentFlagAction
from alongside.lib.stored_words import Sentence, Sentences, choice_label

JOURNEY_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("Urgent screening result raised")),
        Sentence(gettext_noop("Urgent screening result acted on")),
        Sentence(gettext_noop("Urgent screening result: attempt recorded")),
        Sentence(gettext_noop("Screening completed: %(title)s")),
    ]
)
said_summary = JOURNEY_SENTENCES.say

# What was done about an urgent result, as its journey entry's details store it: the
# action's label, then the worker's note when there is one ("Tried, but could not reach
# them. No answer."). Only the label is said again: these are not catalog messages.
_ACTION = {"action": choice_label(UrgentFlagAction.Kind)}
ACTION_DETAILS = Sentences(
    [Sentence("%(action)s", _ACTION), Sentence("%(action)s. %(note)s", _ACTION)]
)
said_action = ACTION_DETAILS.say
