"""What an enrollment's journey entries store in English (`enrollment_services`), said
again in the reader's language on the timeline (`lib.stored_words`)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from alongside.lib.stored_words import Sentence, Sentences, choice_label
from alongside.people.models import Enrollment

_STATUSES = {"status": choice_label(Enrollment.Status)}
_CHANGES = {
    "before": choice_label(Enrollment.Status),
    "after": choice_label(Enrollment.Status),
    "reason": choice_label(Enrollment.ClosureReason),
}

ENROLLMENT_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("%(program)s: primary coordinator is now %(who)s")),
        Sentence(gettext_noop("%(program)s: no primary coordinator")),
        # Stored as "Housing: Active → Closed (Moved away)"; the same in every language
        # but for the statuses and the reason.
        Sentence("%(program)s: %(before)s → %(after)s (%(reason)s)", _CHANGES),
        Sentence("%(program)s: %(before)s → %(after)s", _CHANGES),
        Sentence("%(program)s: %(status)s", _STATUSES),
    ]
)
said_summary = ENROLLMENT_SENTENCES.say

# The closure note a merge writes on the enrollment it closes (`matching.clash_rules`);
# a note a worker wrote is shown as written.
MERGE_CLOSURE = Sentence(
    gettext_noop(
        "Closed when two records of %(name)s were merged (record #%(merged)s into "
        "#%(survivor)s): a second open enrollment in the same program."
    )
)
said_closure_note = Sentences([MERGE_CLOSURE]).say
