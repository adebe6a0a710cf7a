"""Edits to a draft instrument definition, as the instrument builder makes them: pure
functions from a definition to a new definition, which never change their argument.

They do not validate: the service that saves a draft runs the whole result through
`definitions.validate_definition` and refuses it if anything is wrong, so an edit that
breaks a reference (removing a question a score adds up) is reported, never half-saved.
Translations follow the items: the Spanish words for a removed question or option go
with it."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from django.utils.text import slugify

SPANISH = "es"
RULE_KINDS = ("needs", "urgent")
LINK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

Definition = dict[str, Any]


def blank_item(text: str = "", kind: str = "boolean") -> dict[str, Any]:
    return {"link_id": "", "text": text, "type": kind}


def new_link_id(definition: Mapping[str, Any]) -> str:
    """The first free q1, q2, … ."""
    taken = {i.get("link_id") for i in definition.get("items", [])}
    number = len(taken) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


def new_option_code(display: str, taken: set[str]) -> str:
    """A code for an option from its words (“Often true” → often-true), unique in the item."""
    base = slugify(display)[:40].strip("-") or "option"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


def translation(definition: Mapping[str, Any], language: str = SPANISH) -> dict[str, Any]:
    return dict((definition.get("translations") or {}).get(language) or {})


def item_translation(
    definition: Mapping[str, Any], link_id: str, language: str = SPANISH
) -> dict[str, Any]:
    return dict(translation(definition, language).get("items", {}).get(link_id) or {})


def _words(definition: Definition, language: str) -> dict[str, Any]:
    """One language's words, to edit. Edited, they are the organization's own wording, no
    longer the authors' published one: the translation stops being marked validated."""
    translations = definition.setdefault("translations", {})
    words: dict[str, Any] = translations.setdefault(language, {})
    words.pop("validated", None)
    return words


def _prune(definition: Definition) -> Definition:
    """Drop translations of questions and options that no longer exist, and empty ones."""
    items = {i["link_id"]: i for i in definition.get("items", []) if isinstance(i, Mapping)}
    translations = definition.get("translations")
    if not isinstance(translations, dict):
        return definition
    for language in list(translations):
        words = translations[language]
        if not isinstance(words, dict):
            continue
        if isinstance(words.get("items"), dict):
            _prune_items(words["items"], items)
            if not words["items"]:
                del words["items"]
        if not words.get("title"):
            words.pop("title", None)
        if not words.get("title") and not words.get("items"):
            del translations[language]
    if not translations:
        del definition["translations"]
    return definition


def _prune_items(texts: dict[str, Any], items: Mapping[str, Mapping[str, Any]]) -> None:
    """Keep one language's words of the questions `items` has, and of their options."""
    for link_id in list(texts):
        entry, own = texts[link_id], items.get(link_id)
        if own is None or not isinstance(entry, dict):
            del texts[link_id]
            continue
        codes = {o.get("code") for o in own.get("options", [])}
        options = {c: w for c, w in (entry.get("options") or {}).items() if c in codes and w}
        entry.pop("options", None)
        if options:
            entry["options"] = options
        if not entry.get("text"):
            entry.pop("text", None)
        if not entry:
            del texts[link_id]


def put_item(
    definition: Mapping[str, Any],
    item: Mapping[str, Any],
    *,
    replacing: str | None = None,
    text_es: str = "",
    options_es: Mapping[str, str] | None = None,
) -> Definition:
    """Add the item at the end, or put it in place of the item `replacing`, with its
    Spanish words. Raises LookupError when the item to replace is gone."""
    result = copy.deepcopy(dict(definition))
    items: list[dict[str, Any]] = result.setdefault("items", [])
    new = copy.deepcopy(dict(item))
    if replacing is None:
        items.append(new)
    else:
        index = _index(items, replacing)
        items[index] = new
    texts = _words(result, SPANISH).setdefault("items", {})
    texts[new["link_id"]] = {"text": text_es.strip(), "options": dict(options_es or {})}
    return _prune(result)


def _index(items: list[dict[str, Any]], link_id: str) -> int:
    for index, entry in enumerate(items):
        if entry.get("link_id") == link_id:
            return index
    raise LookupError(f"Question {link_id!r} is no longer in this draft.")


def remove_item(definition: Mapping[str, Any], link_id: str) -> Definition:
    result = copy.deepcopy(dict(definition))
    items = result.get("items", [])
    del items[_index(items, link_id)]
    return _prune(result)


def move_item(definition: Mapping[str, Any], link_id: str, offset: int) -> Definition:
    """Move a question up (-1) or down (+1); at either end it stays where it is."""
    result = copy.deepcopy(dict(definition))
    items = result.get("items", [])
    index = _index(items, link_id)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return result


def _rules(result: Definition, kind: str) -> list[dict[str, Any]]:
    if kind not in ("scores", *RULE_KINDS):
        raise LookupError(f"Unknown kind of rule {kind!r}.")
    rules = result.setdefault(kind, [])
    if not isinstance(rules, list):
        raise LookupError(f"'{kind}' is not a list.")
    return rules


def put_rule(
    definition: Mapping[str, Any], kind: str, rule: Mapping[str, Any], index: int | None
) -> Definition:
    """Add (index None) or replace a score ("scores"), need rule ("needs") or urgent
    rule ("urgent")."""
    result = copy.deepcopy(dict(definition))
    rules = _rules(result, kind)
    if index is None:
        rules.append(copy.deepcopy(dict(rule)))
    elif 0 <= index < len(rules):
        rules[index] = copy.deepcopy(dict(rule))
    else:
        raise LookupError("That rule is no longer in this draft.")
    return result


def remove_rule(definition: Mapping[str, Any], kind: str, index: int) -> Definition:
    result = copy.deepcopy(dict(definition))
    rules = _rules(result, kind)
    if not 0 <= index < len(rules):
        raise LookupError("That rule is no longer in this draft.")
    del rules[index]
    if not rules:
        del result[kind]
    return result


def set_title(definition: Mapping[str, Any], title_es: str) -> Definition:
    result = copy.deepcopy(dict(definition))
    _words(result, SPANISH)["title"] = title_es.strip()
    return _prune(result)


def set_sensitive(definition: Mapping[str, Any], sensitive: bool) -> Definition:
    """Every answer sensitive, or not (then only the items marked so are)."""
    result = copy.deepcopy(dict(definition))
    if sensitive:
        result["sensitive"] = True
    else:
        result.pop("sensitive", None)
    return result
