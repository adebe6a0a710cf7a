"""Why a merge set a value, as the merge record stores it in English (`MergeWork.change`:
"filled from the merged record"), and what its undoing could not put back
(`MergeRecord.undo_notes`), said again in the reader's language on the merge's page
(`lib.stored_words`). The write sites use these same messages, so what is stored is what
is recognised; merges recorded before read the same way."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.apps import apps
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

from alongside.lib.stored_words import Sentence, Sentences
from alongside.people.history_words import field_name

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


# What an undo could not put back, each naming a row ("contact point #12") or the rows of
# one kind, by the model's English names, and a field by its name ("gender_identity").
ROW = gettext_noop("%(kind)s #%(number)s")
UNDO_GONE = gettext_noop("%(what)s was removed after the merge; its %(field)s is gone.")
UNDO_KEPT = gettext_noop(
    "%(what)s: %(field)s was changed after the merge and was left as it is now."
)
UNDO_ROWS_GONE = gettext_noop(
    "%(count)s of the %(kinds)s moved by the merge were removed after it."
)


def _pattern(message: str, values: dict[str, str]) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", message)
    return re.compile(
        "".join(re.escape(part) if n % 2 == 0 else values[part] for n, part in enumerate(parts))
    )


_WHAT = _pattern(ROW, {"kind": "(?P<kind>.+?)", "number": "(?P<number>[0-9]+)"}).pattern
_NOTES = {
    message: _pattern(message, values)
    for message, values in (
        (UNDO_GONE, {"what": _WHAT, "field": "(?P<field>\\w+)"}),
        (UNDO_KEPT, {"what": _WHAT, "field": "(?P<field>\\w+)"}),
        (UNDO_ROWS_GONE, {"count": "(?P<count>[0-9]+)", "kinds": "(?P<kinds>.+?)"}),
    )
}


@cache
def _models_by_english_name() -> dict[str, Any]:
    """Each model by its English name, one and many ("contact point", "contact points")."""
    found: dict[str, Any] = {}
    with translation.override("en"):
        for model in apps.get_models():
            found.setdefault(str(model._meta.verbose_name), model)
            found.setdefault(str(model._meta.verbose_name_plural), model)
    return found


def said_undo_note(note: str) -> str:
    """A note of what an undo could not put back in the reader's language (the kinds and
    the fields named as the merge's page names them); as stored when it is not one."""
    if translation.get_language() in (None, "en"):
        return note
    for message, pattern in _NOTES.items():
        found = pattern.fullmatch(note)
        if found is None:
            continue
        values = found.groupdict()
        model = _models_by_english_name().get(values.get("kind") or values.get("kinds") or "")
        if model is None:
            return note
        meta = model._meta
        if message == UNDO_ROWS_GONE:
            kinds = capfirst(str(meta.verbose_name_plural))
            return gettext(message) % {"count": values["count"], "kinds": kinds}
        kind = capfirst(str(meta.verbose_name))
        what = gettext(ROW) % {"kind": kind, "number": values["number"]}
        return gettext(message) % {"what": what, "field": field_name(model, values["field"])}
    return note
