"""Why a merge set a value, as the merge record stores it in English (`MergeWork.change`:
"filled from the merged record"), said again in the reader's language on the merge's
page (`lib.stored_words`). The write sites use these same messages, so what is stored is
what is recognised; merges recorded before read the same way."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from alongside.lib.stored_words import Sentence, Sentences

FILLED = gettext_noop("filled from the merged record")
FILLED_PROFILE = gettext_noop("filled from the merged record's profile")
PAIR_MERGED = gettext_noop("the two records were merged")
PREFERRED_STAYS = gettext_noop("the survivor's preferred language stays")
NEEDS_INTERPRETER = gettext_noop("the merged record needs an interpreter")
OPEN_ENROLLMENT = gettext_noop("the survivor already had an open enrollment in this program")
NEED_RESOLVED = gettext_noop(
    "resolved by the merge: the survivor has an open need of the same kind"
)
SAFE_HOURS = gettext_noop("the merged record's copy has safe hours")
# Where the survivor's copy of a contact takes on the merged copy's more careful rules, by
# the field it takes.
CAREFUL = {
    "may_leave_voicemail": gettext_noop("the merged record's copy says no voicemail"),
    "may_text": gettext_noop("the merged record's copy says no text messages"),
    "may_call": gettext_noop("the merged record's copy says no calls"),
    "may_email": gettext_noop("the merged record's copy says no emails"),
    "safety_note": gettext_noop("the merged record's copy says its safety note"),
    "never_contact_times": gettext_noop("the merged record's copy says when never to contact"),
    "best_times": gettext_noop("the merged record's copy says the best times"),
}

WHY_SENTENCES = Sentences(
    Sentence(why)
    for why in (
        FILLED,
        FILLED_PROFILE,
        PAIR_MERGED,
        PREFERRED_STAYS,
        NEEDS_INTERPRETER,
        OPEN_ENROLLMENT,
        NEED_RESOLVED,
        SAFE_HOURS,
        *CAREFUL.values(),
    )
)
said_why = WHY_SENTENCES.say
