"""Screening instrument definitions as data: their shape, skip logic and scoring (their
validation is `definition_checks`). Plain functions over plain dicts; nothing here
touches the database.

A definition looks like (see docs/intake.md for every field)::

    {
      "code": {"system": "http://loinc.org", "code": "44249-1", "display": "PHQ-9"},
      "allow_decline": true,
      "sensitive": false,
      "items": [{"link_id": "44250-9", "text": "...", "type": "choice",
                 "options": [{"code": "LA6568-5", "display": "Not at all", "value": 0}],
                 "required": true, "sensitive": false, "enable_when": []}],
      "scores": [{"name": "total", "items": ["44250-9"],
                  "bands": [{"min": 0, "max": 4, "label": "minimal"}]}],
      "needs": [{"kind": "depression", "any": [{"score": "total", "at_least": 10}]}],
      "urgent": [{"reason": "...", "guidance": "...",
                  "any": [{"item": "44260-8", "at_least": 1}]}],
      "translations": {"es": {"title": "...", "items": {"44250-9": {
          "text": "...", "options": {"LA6568-5": "Para nada"}}}}}
    }
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# The format's vocabularies and its checks are in definition_checks; importers find them
# here too.
from alongside.intake.definition_checks import BASE_LANGUAGE as BASE_LANGUAGE
from alongside.intake.definition_checks import NEED_KINDS as NEED_KINDS
from alongside.intake.definition_checks import TRANSLATION_LANGUAGES as TRANSLATION_LANGUAGES
from alongside.intake.definition_checks import validate_definition as validate_definition

LOINC = "http://loinc.org"
COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "=": op.eq,
    "!=": op.ne,
    ">": op.gt,
    ">=": op.ge,
    "<": op.lt,
    "<=": op.le,
}


@dataclass(frozen=True)
class Given:
    """One item's answer as scoring sees it: a value, or declined."""

    value: Any = None
    declined: bool = False


@dataclass
class Outcome:
    """What a completed response yields."""

    scores: dict[str, ScoreResult] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)
    urgent: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ScoreResult:
    name: str
    value: int
    band: str
    items_missing: int


# ---------------------------------------------------------------- normalizing


def normalize(definition: Mapping[str, Any]) -> dict[str, Any]:
    """The definition with every default spelled out, so two definitions that mean the
    same thing compare equal (used by the FHIR round trip)."""
    allow_decline = bool(definition.get("allow_decline", True))
    items = []
    for item in definition.get("items", []):
        normal = {
            "link_id": item["link_id"],
            "text": item["text"],
            "type": item["type"],
            "code": _code(item.get("code")),
            "required": bool(item.get("required", False)),
            "sensitive": bool(item.get("sensitive", False)),
            "allow_decline": bool(item.get("allow_decline", allow_decline)),
            "enable_when": [dict(c) for c in item.get("enable_when", [])],
            "enable_behavior": item.get("enable_behavior", "all"),
            "options": [
                {
                    "code": o["code"],
                    "system": o.get("system", ""),
                    "display": o["display"],
                    "value": o.get("value"),
                }
                for o in item.get("options", [])
            ],
        }
        for bound in ("min", "max"):
            if item.get(bound) is not None:
                normal[bound] = item[bound]
        items.append(normal)
    return {
        "code": _code(definition.get("code")),
        "allow_decline": allow_decline,
        "sensitive": bool(definition.get("sensitive", False)),
        "items": items,
        "scores": [
            {
                "name": s["name"],
                "code": _code(s.get("code")),
                "items": list(s["items"]),
                "bands": [dict(b) for b in s.get("bands", [])],
            }
            for s in definition.get("scores", [])
        ],
        "needs": [
            {"kind": n["kind"], "any": [dict(c) for c in n["any"]]}
            for n in definition.get("needs", [])
        ],
        "urgent": [
            {"reason": u["reason"], "guidance": u["guidance"], "any": [dict(c) for c in u["any"]]}
            for u in definition.get("urgent", [])
        ],
        "translations": _normal_translations(definition.get("translations") or {}),
    }


def _normal_translations(translations: Mapping[str, Any]) -> dict[str, Any]:
    """Translations with empty parts left out, so an export that cannot carry an empty
    entry still compares equal."""
    result: dict[str, Any] = {}
    for language, words in translations.items():
        items: dict[str, Any] = {}
        for link_id, own in (words.get("items") or {}).items():
            entry: dict[str, Any] = {}
            if own.get("text"):
                entry["text"] = own["text"]
            if own.get("options"):
                entry["options"] = dict(own["options"])
            if entry:
                items[link_id] = entry
        normal: dict[str, Any] = {"items": items}
        if words.get("title"):
            normal["title"] = words["title"]
        result[language] = normal
    return result


def _code(code: Any) -> dict[str, str] | None:
    if not code:
        return None
    return {
        "system": code.get("system", LOINC),
        "code": code["code"],
        "display": code.get("display", ""),
    }


# ---------------------------------------------------------------- languages


def languages(definition: Mapping[str, Any]) -> list[str]:
    """The languages the instrument can be shown in: English, then its translations."""
    return [BASE_LANGUAGE, *sorted((definition.get("translations") or {}).keys())]


def localized(definition: Mapping[str, Any], language: str) -> dict[str, Any]:
    """A copy of the definition with item texts and option displays in `language`, where
    translated; anything untranslated stays in English. Codes, values and rules are
    untouched, so answers and scoring do not depend on the language asked in."""
    result = dict(definition)
    words = (definition.get("translations") or {}).get(language)
    if not words:
        return result
    texts = words.get("items", {})
    items = []
    for entry in definition.get("items", []):
        own = texts.get(entry["link_id"], {})
        options = own.get("options", {})
        items.append(
            {
                **entry,
                "text": own.get("text", entry["text"]),
                "options": [
                    {**o, "display": options.get(o["code"], o["display"])}
                    for o in entry.get("options", [])
                ],
            }
        )
    result["items"] = items
    return result


# ---------------------------------------------------------------- skip logic


def item(definition: Mapping[str, Any], link_id: str) -> dict[str, Any] | None:
    for candidate in definition["items"]:
        if candidate["link_id"] == link_id:
            return dict(candidate)
    return None


def can_decline(definition: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    if definition.get("allow_decline", True) is False:
        return False
    return bool(entry.get("allow_decline", True))


def is_enabled(entry: Mapping[str, Any], answers: Mapping[str, Given]) -> bool:
    conditions = entry.get("enable_when", [])
    if not conditions:
        return True
    results = [_holds(c, answers.get(c["question"])) for c in conditions]
    return any(results) if entry.get("enable_behavior", "all") == "any" else all(results)


def _holds(condition: Mapping[str, Any], given: Given | None) -> bool:
    operator, expected = condition["operator"], condition["answer"]
    answered = given is not None and not given.declined and given.value is not None
    if operator == "exists":
        return answered == bool(expected)
    if not answered:
        return False
    assert given is not None
    actual = given.value
    compare = COMPARISONS.get(operator)
    try:
        return compare is not None and bool(compare(actual, expected))
    except TypeError:  # e.g. a number compared with a code
        return False


def enabled_items(
    definition: Mapping[str, Any], answers: Mapping[str, Given]
) -> list[dict[str, Any]]:
    """The items that are asked, given the answers so far."""
    return [dict(i) for i in definition["items"] if is_enabled(i, answers)]


def check_value(entry: Mapping[str, Any], value: Any) -> str | None:
    """Why a value does not fit the item, or None when it does."""
    # In the interface language: the person answering on their own reads these.
    kind = entry["type"]
    if kind == "choice":
        codes = [o["code"] for o in entry.get("options", [])]
        return None if value in codes else _("Choose one of the listed answers.")
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return _("Enter a whole number.")
        low, high = entry.get("min"), entry.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            return _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return None
    if kind == "boolean":
        return None if isinstance(value, bool) else _("Answer yes or no.")
    return None if isinstance(value, str) else _("Enter text.")


# ---------------------------------------------------------------- scoring


def _numeric(entry: Mapping[str, Any], given: Given | None) -> int | None:
    if given is None or given.declined or given.value is None:
        return None
    if entry["type"] == "integer":
        return int(given.value)
    for option in entry.get("options", []):
        if option["code"] == given.value:
            return option.get("value")
    return None


def score(definition: Mapping[str, Any], answers: Mapping[str, Given]) -> Outcome:
    """Scores, needs and urgent flags for a set of answers. Declined and skipped items
    add nothing and are counted as missing; they never count as a 'no'."""
    items = {i["link_id"]: i for i in definition["items"]}
    outcome = Outcome()
    for rule in definition.get("scores", []):
        values = [_numeric(items[link_id], answers.get(link_id)) for link_id in rule["items"]]
        total = sum(v for v in values if v is not None)
        band = next(
            (b["label"] for b in rule.get("bands", []) if b["min"] <= total <= b["max"]), ""
        )
        missing = sum(1 for v in values if v is None)
        outcome.scores[rule["name"]] = ScoreResult(rule["name"], total, band, missing)

    def holds(condition: Mapping[str, Any]) -> bool:
        if "score" in condition:
            result = outcome.scores.get(condition["score"])
            return result is not None and result.value >= condition["at_least"]
        given = answers.get(condition["item"])
        if given is None or given.declined:
            return False
        if "codes" in condition:
            return given.value in condition["codes"]
        number = _numeric(items[condition["item"]], given)
        return number is not None and number >= condition["at_least"]

    for need in definition.get("needs", []):
        if any(holds(c) for c in need["any"]) and need["kind"] not in outcome.needs:
            outcome.needs.append(need["kind"])
    for rule in definition.get("urgent", []):
        if any(holds(c) for c in rule["any"]):
            outcome.urgent.append({"reason": rule["reason"], "guidance": rule["guidance"]})
    return outcome
