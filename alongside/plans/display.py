"""A snapshot (plans/snapshot.py) made ready to read: labels for its codes, dates as
dates, overdue steps marked, the latest readiness, the balance between what is
important to and important for the person, and the GAS T-score of each review. The plan
page and a past version's page both read through this, so they look alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language, gettext

from alongside.lib.kept import kept
from alongside.plans import gas
from alongside.plans.models import LINKABLE_PROFILE_FIELDS, Agreement, Goal, Plan, Step
from alongside.plans.snapshot import Snapshot, owner_words


def _date(value: str | None) -> dt.date | None:
    return parse_date(value) if value else None


def _datetime(value: str | None) -> dt.datetime | None:
    return parse_datetime(value) if value else None


def _before(value: str | None, day: dt.date) -> bool:
    """Whether an ISO date is set and before `day`."""
    found = _date(value)
    return found is not None and found < day


# (day, language) → the day as the `date` filter draws it: steps' due and done days,
# drawn on every plan page. Bounded: past this many the cache starts again.
_DAYS: dict[tuple[dt.date, str | None], str] = {}
_DAYS_LIMIT = 4096


def _day_text(day: dt.date, language: str | None) -> str:
    return kept(_DAYS, (day, language), lambda: formats.date_format(day), _DAYS_LIMIT)


def _dated(message: str, day: dt.date | None, language: str | None) -> str | None:
    """`message` (translated, with `%(day)s`) about `day`, as
    `{% blocktranslate with day=value|date %}` renders it: the date in the active
    language's format (`language`: its date formats show the day alone, so a time is
    taken to its day in the current time zone first). Computed here once a step rather
    than by a template tag in the plan page's busiest loop; plain text, the template
    escapes it."""
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        day = (timezone.localtime(day) if timezone.is_aware(day) else day).date()
    return message % {"day": _day_text(day, language)}


# (choices, value, language) → label: a handful of entries, read on every plan page.
_LABELS: dict[tuple[Any, str, str | None], str] = {}


def _label(choices: Any, value: str, language: str | None = None) -> str:
    key = (choices, value, language or get_language())
    found = _LABELS.get(key)
    if found is None:
        found = _LABELS[key] = str(choices(value).label) if value in choices.values else ""
    return found


# The words each goal and step of a plan repeats, per language (`goal_words`).
_WORDS: dict[str | None, dict[str, str]] = {}


def goal_words() -> dict[str, str]:
    """The words every goal and step of a plan page repeats (plans/_goal.html),
    translated once per language rather than by a template tag in each goal and step
    (the same message ids, escaped by the template as `{% translate %}` escapes them)."""
    language = get_language()
    found = _WORDS.get(language)
    if found is None:
        found = _WORDS[language] = {
            "restricted_goal": gettext("A goal about health or safety."),
            "care_team_only": gettext("Care team only"),
            "staff_restatement": gettext("Staff restatement"),
            "status": gettext("Status"),
            "progress": gettext("Progress"),
            "target": gettext("Target"),
            "why_not_lower": gettext("why not lower"),
            "not_measured": gettext("Readiness not measured yet."),
            "levels": gettext("What each level of progress would look like"),
            "steps": gettext("Steps"),
            "no_steps": gettext("No steps yet."),
            "overdue": gettext("overdue"),
            "undone": gettext("Not done after all"),
            "mark_done": gettext("Mark done"),
            "change_goal": gettext("Change the goal"),
            "add_step": gettext("Add a step"),
            "record_readiness": gettext("Record readiness"),
        }
    return found


@dataclass
class Balance:
    """How the plan's current goals split between important to and important for."""

    to: int = 0
    both: int = 0
    for_only: list[dict[str, Any]] = field(default_factory=list)
    no_goal_named: bool = False
    unserved: list[tuple[str, str]] = field(default_factory=list)  # (section, their words)

    @property
    def total(self) -> int:
        return self.to + self.both + len(self.for_only)


def balance(goals: list[dict[str, Any]], profile: dict[str, str]) -> Balance:
    current = [g for g in goals if g["current"]]
    found = Balance(
        to=sum(1 for g in current if g["importance"] == Goal.Importance.TO),
        both=sum(1 for g in current if g["importance"] == Goal.Importance.BOTH),
        for_only=[g for g in current if g["importance"] == Goal.Importance.FOR],
    )
    found.no_goal_named = bool(current) and found.to + found.both == 0
    served = {g.get("profile_link") for g in current}
    found.unserved = [
        (_label(Goal.ProfileLink, name), profile.get(name, ""))
        for name in LINKABLE_PROFILE_FIELDS
        if profile.get(name, "").strip() and name not in served
    ]
    return found


def _goal(
    goal: dict[str, Any], today: dt.date, profile: dict[str, str], language: str | None
) -> dict[str, Any]:
    # As `{% blocktranslate with n=g.priority %}Goal {{ n }}{% endblocktranslate %}` renders.
    heading = gettext("Goal %(n)s") % {"n": goal.get("priority", "")}
    if goal.get("restricted"):
        return {
            **goal,
            "heading": heading,
            "importance_label": _label(Goal.Importance, goal["importance"], language),
        }
    due, done = gettext("due %(day)s"), gettext("done %(day)s")
    steps = []
    for s in goal["steps"]:
        due_on, done_at = _date(s["due_on"]), _datetime(s["done_at"])
        owner = owner_words(s["owner"])
        steps.append(
            {
                **s,
                "due_on": due_on,
                "done_at": done_at,
                "due_text": _dated(due, due_on, language),
                "done_text": _dated(done, done_at, language),
                "overdue": s["done_at"] is None and due_on is not None and due_on < today,
                "owner": owner,
                "owner_label": owner or _label(Step.Owner, s["owner_kind"], language),
            }
        )
    readiness = [{**r, "measured_at": _datetime(r["measured_at"])} for r in goal["readiness"]]
    latest = readiness[-1] if readiness else None
    link = goal.get("profile_link") or ""
    section = _label(Goal.ProfileLink, link, language)
    return {
        **goal,
        "heading": heading,
        "domain_label": _label(Goal.Domain, goal["domain"], language),
        "importance_label": _label(Goal.Importance, goal["importance"], language),
        "lifecycle_label": _label(Goal.Lifecycle, goal["lifecycle"], language),
        "achievement_label": _label(Goal.Achievement, goal["achievement"], language),
        "profile_link_label": section,
        # As `{% blocktranslate with section=… %}` renders it (plain text: the template
        # escapes it).
        "serves_text": link and gettext("Serves “%(section)s”") % {"section": section},
        "profile_words": profile.get(link, ""),
        "target_date": _date(goal["target_date"]),
        "steps": steps,
        "readiness": readiness,
        "latest_readiness": latest,
        "readiness_text": latest
        and gettext("Readiness: importance %(i)s/10, confidence %(c)s/10")
        % {"i": latest["importance"], "c": latest["confidence"]},
        "gas": [(f"{level:+d}" if level else "0", text) for level, text in goal["gas"]],
        "has_gas": any(text for _, text in goal["gas"]),
    }


@dataclass(frozen=True)
class ReviewScore:
    held_on: dt.date
    t_score: float | None
    rated: int


def review_scores(snapshot: Snapshot) -> list[ReviewScore]:
    """Each review's GAS T-score, from its ratings and the goals' weights (read from the
    whole snapshot: a score is a number about the plan, not about one goal)."""
    weights = {g["id"]: g["weight"] for g in snapshot["goals"]}
    scores = []
    for review in snapshot["reviews"]:
        pairs = [(x["level"], weights.get(x["goal_id"], 1)) for x in review["ratings"]]
        held_on = _date(review["held_on"])
        assert held_on is not None
        scores.append(ReviewScore(held_on, gas.t_score(pairs), len(pairs)))
    return scores


def readable(snapshot: Snapshot, shown: Snapshot, today: dt.date) -> dict[str, Any]:
    """`shown` (the snapshot as the viewer may read it) made ready for the templates;
    `snapshot` (whole) gives the T-scores. The profile's words are the snapshot's, as
    they were when it was taken."""
    profile: dict[str, str] = shown.get("profile", {})
    language = get_language()
    goals = [_goal(g, today, profile, language) for g in shown["goals"]]
    names = {g["id"]: g for g in goals}
    reviews = [
        {
            **r,
            "held_on": _date(r["held_on"]),
            "ratings": [
                {
                    **x,
                    "goal": names.get(x["goal_id"]),
                    "level_label": f"{x['level']:+d}" if x["level"] else "0",
                }
                for x in r["ratings"]
            ],
        }
        for r in shown["reviews"]
    ]
    agreements = [
        {
            **a,
            "recorded_at": _datetime(a["recorded_at"]),
            "method_label": _label(Agreement.Method, a["method"]),
        }
        for a in shown["agreements"]
    ]
    return {
        "status": shown["status"],
        "status_label": _label(Plan.Status, shown["status"]),
        "ended_reason": shown["ended_reason"],
        "version": shown["version"],
        "started_on": _date(shown["started_on"]),
        "next_review_on": _date(shown["next_review_on"]),
        "review_overdue": shown["status"] in Plan.IN_FORCE
        and _before(shown["next_review_on"], today),
        "approved_at": _datetime(shown["approved_at"]),
        "goals": goals,
        "current_goals": [g for g in goals if g["current"]],
        "set_aside_goals": [g for g in goals if not g["current"]],
        "reviews": reviews,
        "agreements": agreements,
        "agreement": agreements[-1] if agreements else None,
        "balance": balance(goals, profile),
        "scores": review_scores(snapshot),
        "words": goal_words(),
    }
