"""What in a screening is sensitive, decided here and nowhere else, and applied through
the one sensitivity rule (`people.sensitivity`).

Sensitive content is self-harm, trauma, safety, behavioral health and substance use.
In a screening that is:

- **items** an instrument marks `sensitive` (PHQ-9 item 9 on self-harm, the AHC
  interpersonal-safety questions); a builder's instrument marks its own;
- **scores** that add up a sensitive item (the PHQ-9 total, the AHC safety score): they
  give its answer away. Each `Score` row carries this fact from the moment it is scored;
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

from alongside.intake.models import Answer, Need, Score, ScreeningResponse, UrgentFlag
from alongside.people.sensitivity import RESTRICTED, disclosure_for, sees_sensitive

# Safety, and behavioral health (mood, anxiety).
SENSITIVE_NEED_KINDS = frozenset(
    {Need.Kind.UNSAFE_RELATIONSHIP, Need.Kind.DEPRESSION, Need.Kind.ANXIETY}
)


def sensitive_items(definition: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(e["link_id"] for e in definition["items"] if e.get("sensitive"))


def sensitive_scores(definition: Mapping[str, Any]) -> frozenset[str]:
    """Scores that add up a sensitive item: they say what its answer was."""
    items = sensitive_items(definition)
    return frozenset(s["name"] for s in definition.get("scores", []) if items & set(s["items"]))


def is_sensitive_need(kind: str) -> bool:
    return kind in SENSITIVE_NEED_KINDS


# ---------------------------------------------------------------- in queries


def visible_scores(user: Any) -> Q:
    """Scores the user may see, as a condition on `Score`."""
    return Q(sensitive=False) | Q(sees_sensitive(user, "response__person_id"))


def visible_needs(user: Any, person_ref: str = "person_id") -> Q:
    """Needs the user may see, as a condition on `Need`."""
    return ~Q(kind__in=SENSITIVE_NEED_KINDS) | Q(sees_sensitive(user, person_ref))


def scores_prefetch(user: Any) -> Prefetch:
    return Prefetch("scores", queryset=Score.objects.filter(visible_scores(user)))


# ---------------------------------------------------------------- on loaded screenings


def shows_sensitive(response: ScreeningResponse, user: Any) -> bool:
    """Whether `user` may see this screening's sensitive details: the `shows_sensitive`
    the selectors annotate every response with, or else the rule asked directly."""
    annotated = getattr(response, "shows_sensitive", None)
    if annotated is not None:
        return bool(annotated)
    return disclosure_for(user, response.person).sensitive


def restricted_scores(response: ScreeningResponse, user: Any) -> list[str]:
    """Names of the scores of a completed screening left out for this reader."""
    if not response.is_completed or shows_sensitive(response, user):
        return []
    return sorted(sensitive_scores(response.definition))


def withheld_items(response: ScreeningResponse, user: Any) -> frozenset[str]:
    """Sensitive items whose answers this reader may not see."""
    if shows_sensitive(response, user):
        return frozenset()
    return sensitive_items(response.definition)


def answers_prefetch(response: ScreeningResponse, user: Any) -> Prefetch:
    """The answers, without those to withheld items: they are never loaded."""
    answers = Answer.objects.order_by("id")
    withheld = withheld_items(response, user)
    if withheld:
        answers = answers.exclude(link_id__in=withheld)
    return Prefetch("answers", queryset=answers)


def flags_prefetch(response: ScreeningResponse, user: Any) -> Prefetch:
    flags = UrgentFlag.objects.select_related("acknowledged_by")
    if not shows_sensitive(response, user):
        flags = flags.defer("reason", "guidance")
    return Prefetch("urgent_flags", queryset=flags)


def restrict_flag(flag: UrgentFlag) -> UrgentFlag:
    """A flag whose reason and guidance the reader may not see: they say so instead.
    (Loaded deferred, so the words were never read; acknowledging re-reads the flag.)"""
    flag.reason = RESTRICTED
    flag.guidance = RESTRICTED
    return flag


@dataclass(frozen=True)
class RestrictedNeed:
    """A need the reader may not see: only that there is one, and its status."""

    id: int
    status: str

    restricted = True
    reason = RESTRICTED
