"""The sentences a plan change stores in English (a version's summary, the journey
entry's): said again in the reader's language where they are shown
(`lib.stored_words`)."""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

from alongside.lib.stored_words import Sentence, Sentences, choice_label
from alongside.plans.models import Agreement, Plan

_NUMBERED = re.compile(r"goal (\d+)")


def _goal(value: str) -> str:
    """A goal as `changes.goal_label` stores it: its words in quotes (kept), or, for a
    sensitive goal, "goal 12"."""
    numbered = _NUMBERED.fullmatch(value)
    return gettext("goal %(n)s") % {"n": numbered[1]} if numbered else value


_GOAL = {"goal": _goal}

PLAN_SENTENCES = Sentences(
    [
        Sentence(gettext_noop("Plan started")),
        Sentence(gettext_noop("Plan approved")),
        Sentence(gettext_noop("Review recorded")),
        Sentence(gettext_noop("Goal added: %(goal)s"), _GOAL),
        Sentence(gettext_noop("Goal changed: %(goal)s"), _GOAL),
        Sentence(gettext_noop("Readiness recorded for %(goal)s"), _GOAL),
        Sentence(gettext_noop("Step added to %(goal)s"), _GOAL),
        Sentence(gettext_noop("Step done for %(goal)s"), _GOAL),
        Sentence(gettext_noop("Step reopened for %(goal)s"), _GOAL),
        Sentence(
            gettext_noop("Agreement recorded: %(how)s"),
            {"how": choice_label(Agreement.Method, lower=True)},
        ),
        Sentence(
            gettext_noop("Plan %(status)s"), {"status": choice_label(Plan.Status, lower=True)}
        ),
    ]
)
say = PLAN_SENTENCES.say
