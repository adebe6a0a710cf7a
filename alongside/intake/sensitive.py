"""What in a screening is sensitive, decided here and nowhere else, and applied through
the one sensitivity rule (`people.sensitivity`).

Sensitive content is self-harm, trauma, safety, behavioral health and substance use.
In a screening that is:

- **items** an instrument marks `sensitive` (the AHC interpersonal-safety questions); a
  builder's instrument marks its own;
- **every item of an instrument that is sensitive as a whole** (`sensitive_as_a_whole`):
  behavioral-health instruments, whose every answer says something about the person's
  mental health and whose answers add up to the total. A definition says so with a
  top-level `"sensitive": true` (the builder's "Every answer is sensitive"); the shipped
  ones (PHQ-2, PHQ-9, GAD-7) are known by their LOINC panel code
  (`BEHAVIORAL_HEALTH_PANELS`), so their loaded versions did not have to change, and a
  copy or an import of one carrying its code is sensitive too;
- **scores** that add up a sensitive item (the PHQ-9 and GAD-7 totals, the AHC safety
  score): they give its answer away. Each `Score` row carries this fact from the moment
  it is scored;
- **needs** about safety or behavioral health;
- the **reason and guidance of an urgent flag**, which name what was answered.

Who may see them is `Disclosure.sensitive`, or in a query `sees_sensitive`. The
selectors load screenings through the helpers below, so what a reader may not see is
taken out in the database or replaced before a selector returns: pages, the API and the
FHIR export get redacted data, and say "restricted" where something was left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from alongside.accounts.actors import Actor
from alongside.intake.definitions import LOINC
from alongside.intake.models import (
    Answer,
    Need,
    Score,
    ScreeningResponse,
    UrgentFlag,
    UrgentFlagAction,
)
from alongside.people.sensitivity import RESTRICTED, disclosure_for, sees_sensitive

# Safety, and behavioral health (mood, anxiety).
SENSITIVE_NEED_KINDS = frozenset(
    {Need.Kind.UNSAFE_RELATIONSHIP, Need.Kind.DEPRESSION, Need.Kind.ANXIETY}
)


# Behavioral-health instruments shipped with Alongside, by their LOINC panel code: every
# answer and score is sensitive. From the code rather than their definitions, because a
# loaded version never changes (`alongside load_instruments` refuses a changed definition
# under a loaded label, docs/intake.md), and responses already point at these versions.
# The readiness ruler and the Hunger Vital Sign are not behavioral health; the AHC core
# questions mark their safety items one by one.
BEHAVIORAL_HEALTH_PANELS = frozenset(
    {
        (LOINC, "55757-9"),  # PHQ-2
        (LOINC, "44249-1"),  # PHQ-9
        (LOINC, "69737-5"),  # GAD-7
    }
)


def is_behavioral_health_panel(definition: Mapping[str, Any]) -> bool:
    """Whether the definition carries the LOINC panel code of a shipped behavioral-health
    instrument (so it is sensitive as a whole whatever its own flag says)."""
    code = definition.get("code")
    if not isinstance(code, Mapping):
        return False
    return (code.get("system") or LOINC, code.get("code")) in BEHAVIORAL_HEALTH_PANELS


def sensitive_as_a_whole(definition: Mapping[str, Any]) -> bool:
    """Whether every answer and score of the instrument is sensitive: the definition says
    so (`"sensitive": true`), or it is a behavioral-health instrument Alongside ships."""
    return definition.get("sensitive") is True or is_behavioral_health_panel(definition)


def sensitive_items(definition: Mapping[str, Any]) -> frozenset[str]:
    """Items whose answers only the care team sees: all of them in an instrument that is
    sensitive as a whole, otherwise those marked `sensitive`."""
    whole = sensitive_as_a_whole(definition)
    return frozenset(e["link_id"] for e in definition["items"] if whole or e.get("sensitive"))


def sensitive_scores(definition: Mapping[str, Any]) -> frozenset[str]:
    """Scores that add up a sensitive item: they say what its answer was."""
    items = sensitive_items(definition)
    return frozenset(s["name"] for s in definition.get("scores", []) if items & set(s["items"]))


def is_sensitive_need(kind: str) -> bool:
    return kind in SENSITIVE_NEED_KINDS


# ---------------------------------------------------------------- in queries


def visible_scores(user: Actor) -> Q:
    """Scores the user may see, as a condition on `Score`."""
    return Q(sensitive=False) | Q(sees_sensitive(user, "response__person_id"))


def visible_needs(user: Actor, person_ref: str = "person_id") -> Q:
    """Needs the user may see, as a condition on `Need`."""
    return ~Q(kind__in=SENSITIVE_NEED_KINDS) | Q(sees_sensitive(user, person_ref))


def scores_prefetch(user: Actor) -> Prefetch:
    return Prefetch("scores", queryset=Score.objects.filter(visible_scores(user)))


# ---------------------------------------------------------------- on loaded screenings


def shows_sensitive(response: ScreeningResponse, user: Actor) -> bool:
    """Whether `user` may see this screening's sensitive details: the `shows_sensitive`
    the selectors annotate every response with, or else the rule asked directly."""
    annotated = getattr(response, "shows_sensitive", None)
    if annotated is not None:
        return bool(annotated)
    return disclosure_for(user, response.person).sensitive


def restricted_scores(response: ScreeningResponse, user: Actor) -> list[str]:
    """Names of the scores of a completed screening left out for this reader."""
    if not response.is_completed or shows_sensitive(response, user):
        return []
    return sorted(sensitive_scores(response.definition))


def withheld_items(response: ScreeningResponse, user: Actor) -> frozenset[str]:
    """Sensitive items whose answers this reader may not see."""
    if shows_sensitive(response, user):
        return frozenset()
    return sensitive_items(response.definition)


def answers_prefetch(response: ScreeningResponse, user: Actor) -> Prefetch:
    """The answers, without those to withheld items: they are never loaded."""
    answers = Answer.objects.order_by("id")
    withheld = withheld_items(response, user)
    if withheld:
        answers = answers.exclude(link_id__in=withheld)
    return Prefetch("answers", queryset=answers)


def flags_prefetch(response: ScreeningResponse, user: Actor) -> Prefetch:
    """A response's flags; with their history (what was done, by whom, with its note)
    only for readers who may see their details, since what was done says what they
    were about."""
    flags = UrgentFlag.objects.select_related("acknowledged_by")
    if not shows_sensitive(response, user):
        return Prefetch("urgent_flags", queryset=flags.defer("reason", "guidance"))
    return Prefetch("urgent_flags", queryset=flags.prefetch_related(actions_prefetch()))


def actions_prefetch() -> Prefetch:
    """A flag's history, oldest first, with who took each action."""
    return Prefetch(
        "actions",
        queryset=UrgentFlagAction.objects.select_related("taken_by").order_by("taken_at", "id"),
    )


def restrict_flag(flag: UrgentFlag) -> UrgentFlag:
    """A flag whose reason and guidance the reader may not see: they say so instead.
    (Loaded deferred, so the words were never read; acknowledging re-reads the flag.)"""
    flag.reason = flag.guidance = str(RESTRICTED)
    return flag


@dataclass(frozen=True)
class RestrictedNeed:
    """A need the reader may not see: only that there is one, and its status."""

    id: int
    status: str

    restricted = True
    reason = RESTRICTED
