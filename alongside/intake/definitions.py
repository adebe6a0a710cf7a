"""Screening instrument definitions as data: their shape, their validation, skip logic
and scoring. Plain functions over plain dicts; nothing here touches the database.

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

ITEM_TYPES = ("choice", "integer", "boolean", "text")
OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "exists")
NEED_KINDS = (
    "food_insecurity",
    "housing_instability",
    "unsafe_relationship",
    "utilities",
    "transportation",
    "depression",
    "anxiety",
)
LOINC = "http://loinc.org"
# Languages a definition may carry translations into (English is the language it is
# written in). Keep in step with ScreeningResponse.Language, which stores the language a
# screening was asked in.
TRANSLATION_LANGUAGES = ("es",)
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

BASE_LANGUAGE = "en"


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


# ---------------------------------------------------------------- validation


def validate_definition(data: Any) -> list[str]:  # noqa: C901, PLR0912 - one check per rule of the definition format
    """Every problem with a definition, each naming the item or rule it is about.
    An empty list means the definition can be used."""
    if not isinstance(data, Mapping):
        return ["The definition must be a JSON object."]
    problems: list[str] = []
    items = data.get("items")
    if not isinstance(items, list) or not items:
        return ["The definition needs a non-empty list of 'items'."]
    if "sensitive" in data and not isinstance(data["sensitive"], bool):
        problems.append("'sensitive' must be true or false (every answer is sensitive, or not).")
    seen: dict[str, Mapping[str, Any]] = {}
    for index, item in enumerate(items):
        problems += _item_problems(index, item, seen, data)
        if isinstance(item, Mapping) and isinstance(item.get("link_id"), str):
            seen.setdefault(item["link_id"], item)
    score_names: set[str] = set()
    for index, score in enumerate(_list(data, "scores", problems)):
        problems += _score_problems(index, score, seen, score_names)
        if isinstance(score, Mapping):
            score_names.add(str(score.get("name")))
    for index, need in enumerate(_list(data, "needs", problems)):
        where = f"needs[{index}]"
        if not isinstance(need, Mapping):
            problems.append(f"{where} must be an object.")
            continue
        if need.get("kind") not in NEED_KINDS:
            problems.append(
                f"{where}: unknown need kind {need.get('kind')!r}; "
                f"use one of {', '.join(NEED_KINDS)}."
            )
        problems += _conditions_problems(where, need.get("any"), seen, score_names)
    for index, rule in enumerate(_list(data, "urgent", problems)):
        where = f"urgent[{index}]"
        if not isinstance(rule, Mapping):
            problems.append(f"{where} must be an object.")
            continue
        for key in ("reason", "guidance"):
            if not isinstance(rule.get(key), str) or not rule[key].strip():
                problems.append(f"{where} needs a '{key}' text.")
        problems += _conditions_problems(where, rule.get("any"), seen, score_names)
    problems += _translations_problems(data.get("translations", {}), seen)
    return problems


def _list(data: Mapping[str, Any], key: str, problems: list[str]) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        problems.append(f"'{key}' must be a list.")
        return []
    return value


def _item_problems(  # noqa: C901, PLR0912 - one check per rule of the definition format
    index: int, item: Any, seen: Mapping[str, Any], data: Mapping[str, Any]
) -> list[str]:
    if not isinstance(item, Mapping):
        return [f"items[{index}] must be an object."]
    link_id = item.get("link_id")
    if not isinstance(link_id, str) or not link_id.strip():
        return [f"items[{index}] needs a 'link_id'."]
    where = f"item {link_id!r}"
    problems: list[str] = []
    if link_id in seen:
        problems.append(f"{where}: link_id is used by more than one item.")
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        problems.append(f"{where} needs a 'text'.")
    kind = item.get("type")
    if kind not in ITEM_TYPES:
        problems.append(f"{where}: type {kind!r} is not one of {', '.join(ITEM_TYPES)}.")
    options = item.get("options", [])
    if kind == "choice":
        if not isinstance(options, list) or not options:
            problems.append(f"{where}: a choice item needs 'options'.")
        else:
            codes: set[str] = set()
            for position, option in enumerate(options):
                problems += _option_problems(f"{where} option {position + 1}", option, codes)
    elif options:
        problems.append(f"{where}: only choice items have 'options'.")
    for bound in ("min", "max"):
        if bound in item and (kind != "integer" or not isinstance(item[bound], int)):
            problems.append(f"{where}: '{bound}' must be a whole number on an integer item.")
    if item.get("allow_decline") and data.get("allow_decline") is False:
        problems.append(f"{where}: the instrument forbids declining, so the item cannot allow it.")
    behavior = item.get("enable_behavior", "all")
    if behavior not in ("all", "any"):
        problems.append(f"{where}: enable_behavior must be 'all' or 'any'.")
    conditions = item.get("enable_when", [])
    if not isinstance(conditions, list):
        problems.append(f"{where}: enable_when must be a list.")
        conditions = []
    for condition in conditions:
        problems += _enable_when_problems(where, condition, seen)
    return problems


def _option_problems(where: str, option: Any, codes: set[str]) -> list[str]:
    if not isinstance(option, Mapping):
        return [f"{where} must be an object."]
    problems = []
    code = option.get("code")
    if not isinstance(code, str) or not code:
        problems.append(f"{where} needs a 'code'.")
    elif code in codes:
        problems.append(f"{where}: code {code!r} appears twice.")
    else:
        codes.add(code)
    if not isinstance(option.get("display"), str) or not option["display"]:
        problems.append(f"{where} needs a 'display'.")
    value = option.get("value")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        problems.append(f"{where}: 'value' must be a whole number.")
    return problems


def _enable_when_problems(where: str, condition: Any, seen: Mapping[str, Any]) -> list[str]:
    if not isinstance(condition, Mapping):
        return [f"{where}: each enable_when condition must be an object."]
    question = condition.get("question")
    if question not in seen:
        return [
            f"{where}: enable_when refers to {question!r}, which is not an earlier item "
            "(skip logic may only depend on questions asked before)."
        ]
    if condition.get("operator") not in OPERATORS:
        return [f"{where}: enable_when operator {condition.get('operator')!r} is not known."]
    if "answer" not in condition:
        return [f"{where}: enable_when needs an 'answer' to compare with."]
    return []


def _score_problems(  # noqa: C901 - one check per rule of the definition format
    index: int, score: Any, items: Mapping[str, Mapping[str, Any]], names: set[str]
) -> list[str]:
    if not isinstance(score, Mapping) or not isinstance(score.get("name"), str):
        return [f"scores[{index}] needs a 'name'."]
    where = f"score {score['name']!r}"
    problems = []
    if score["name"] in names:
        problems.append(f"{where}: the name is used twice.")
    members = score.get("items")
    if not isinstance(members, list) or not members:
        return [*problems, f"{where} needs a list of 'items' to add up."]
    for link_id in members:
        item = items.get(link_id)
        if item is None:
            problems.append(f"{where} adds up {link_id!r}, which is not an item.")
        elif item.get("type") == "choice" and any(
            o.get("value") is None for o in item.get("options", [])
        ):
            problems.append(f"{where} adds up {link_id!r}, but not all its options have a value.")
        elif item.get("type") not in ("choice", "integer"):
            problems.append(f"{where} adds up {link_id!r}, which is not a choice or integer.")
    bands = score.get("bands", [])
    previous_max: int | None = None
    for position, band in enumerate(bands if isinstance(bands, list) else []):
        bound = f"{where} band {position + 1}"
        if not isinstance(band, Mapping) or not isinstance(band.get("label"), str):
            problems.append(f"{bound} needs a 'label'.")
            continue
        low, high = band.get("min"), band.get("max")
        if not isinstance(low, int) or not isinstance(high, int) or low > high:
            problems.append(f"{bound} ({band['label']}) needs whole-number min ≤ max.")
            continue
        if previous_max is not None and low != previous_max + 1:
            problems.append(
                f"{bound} ({band['label']}) starts at {low}; bands must follow on from "
                f"{previous_max} without gaps or overlaps."
            )
        previous_max = high
    return problems


def _conditions_problems(  # noqa: C901 - one check per kind of condition the format has
    where: str, conditions: Any, items: Mapping[str, Any], scores: set[str]
) -> list[str]:
    if not isinstance(conditions, list) or not conditions:
        return [f"{where} needs a non-empty 'any' list of conditions."]
    problems = []
    for condition in conditions:
        if not isinstance(condition, Mapping):
            problems.append(f"{where}: each condition must be an object.")
        elif "score" in condition:
            if condition["score"] not in scores:
                problems.append(f"{where} refers to score {condition['score']!r}, not defined.")
            if not isinstance(condition.get("at_least"), int):
                problems.append(f"{where}: a score condition needs 'at_least'.")
        elif "item" in condition:
            if condition["item"] not in items:
                problems.append(f"{where} refers to item {condition['item']!r}, not defined.")
            elif "codes" in condition:
                known = {o.get("code") for o in items[condition["item"]].get("options", [])}
                unknown = [c for c in condition["codes"] if c not in known]
                if unknown:
                    problems.append(
                        f"{where}: item {condition['item']!r} has no option {unknown[0]!r}."
                    )
            elif not isinstance(condition.get("at_least"), int):
                problems.append(f"{where}: an item condition needs 'codes' or 'at_least'.")
        else:
            problems.append(f"{where}: a condition names an 'item' or a 'score'.")
    return problems


def _text_problem(where: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{where}: {key!r} must be a non-empty text."]
    return []


def _translations_problems(translations: Any, items: Mapping[str, Mapping[str, Any]]) -> list[str]:  # noqa: C901 - one check per rule of the definition format
    if not isinstance(translations, Mapping):
        return ["'translations' must be an object keyed by language code, like {\"es\": {…}}."]
    problems: list[str] = []
    for language, words in translations.items():
        where = f"translations {language!r}"
        if language == BASE_LANGUAGE:
            problems.append(
                f"{where}: English is the language the definition is written in, not a translation."
            )
            continue
        if language not in TRANSLATION_LANGUAGES:
            problems.append(
                f"{where}: not a language Alongside can show; "
                f"use one of {', '.join(TRANSLATION_LANGUAGES)}."
            )
            continue
        if not isinstance(words, Mapping):
            problems.append(f"{where} must be an object with a 'title' and 'items'.")
            continue
        for key in words:
            if key not in ("title", "items"):
                problems.append(f"{where}: unknown key {key!r}; use 'title' and 'items'.")
        if "title" in words:
            problems += _text_problem(where, "title", words["title"])
        texts = words.get("items", {})
        if not isinstance(texts, Mapping):
            problems.append(f"{where}: 'items' must be an object keyed by link_id.")
            continue
        if not words.get("title") and not texts:
            problems.append(f"{where} translates nothing; give a 'title' or 'items'.")
        for link_id, own in texts.items():
            problems += _item_translation_problems(
                f"{where} item {link_id!r}", own, items.get(link_id)
            )
    return problems


def _item_translation_problems(where: str, own: Any, entry: Mapping[str, Any] | None) -> list[str]:
    if entry is None:
        return [f"{where}: not an item of this definition."]
    if not isinstance(own, Mapping):
        return [f"{where} must be an object with a 'text' and/or 'options'."]
    problems = [
        f"{where}: unknown key {key!r}; use 'text' and 'options'."
        for key in own
        if key not in ("text", "options")
    ]
    if "text" in own:
        problems += _text_problem(where, "text", own["text"])
    options = own.get("options", {})
    if not isinstance(options, Mapping):
        return [*problems, f"{where}: 'options' must be an object keyed by option code."]
    if "text" not in own and not options:
        problems.append(f"{where} translates nothing; give a 'text' or 'options'.")
    choices = entry.get("options")
    choices = choices if isinstance(choices, list) else []
    known = {o.get("code") for o in choices if isinstance(o, Mapping)}
    for code, display in options.items():
        if code not in known:
            problems.append(f"{where}: option {code!r} is not an option of this item.")
        elif not isinstance(display, str) or not display.strip():
            problems.append(f"{where}: option {code!r} must be a non-empty text.")
    return problems


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
