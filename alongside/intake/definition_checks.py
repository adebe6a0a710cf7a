"""Checking a screening instrument definition before it is used: every rule of the
format (docs/intake.md), each problem named by the item or rule it is about. The
format's vocabularies (item types, operators, need kinds, languages) are here, as what
these checks hold definitions to; `definitions` reads, skips and scores checked ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
# Languages a definition may carry translations into (English is the language it is
# written in). Keep in step with ScreeningResponse.Language, which stores the language a
# screening was asked in.
TRANSLATION_LANGUAGES = ("es",)
BASE_LANGUAGE = "en"  # the language definitions are written in


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
