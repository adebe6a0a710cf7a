"""Note template definitions as data, like screening instruments: plain dicts checked
here, nothing touching the database.

    {"title": "DAP note",
     "sensitive": false,
     "sections": [{"key": "data", "title": "Data", "prompt": "What you saw and heard",
                   "required": true}]}
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).parent / "note_templates"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_SECTION_TEXT = 20_000


def problems(definition: Any) -> list[str]:
    """What is wrong with a definition (empty when it can be used)."""
    if not isinstance(definition, Mapping):
        return ["A template definition is an object."]
    found = []
    if not str(definition.get("title", "")).strip():
        found.append("A template needs a title.")
    sections = definition.get("sections")
    if not isinstance(sections, list) or not sections:
        return [*found, "A template needs at least one section."]
    seen: set[str] = set()
    for n, section in enumerate(sections, 1):
        if not isinstance(section, Mapping):
            found.append(f"Section {n} is not an object.")
            continue
        key = section.get("key", "")
        if not isinstance(key, str) or not KEY.match(key):
            found.append(f"Section {n}: the key must be lower-case letters, digits and _.")
        elif key in seen:
            found.append(f"Section {n}: the key {key!r} is used twice.")
        seen.add(str(key))
        if not str(section.get("title", "")).strip():
            found.append(f"Section {n} needs a title.")
    return found


def shipped() -> list[tuple[str, dict[str, Any]]]:
    """The templates shipped with Alongside, as (slug, definition)."""
    return [(path.stem, json.loads(path.read_text())) for path in sorted(SHIPPED.glob("*.json"))]


def content_problems(definition: Mapping[str, Any], content: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with a note's content for its template, by section key."""
    keys = {s["key"] for s in definition["sections"]}
    found = {
        k: "This section is not part of the note's template." for k in content if k not in keys
    }
    for key, text in content.items():
        if key in keys and not isinstance(text, str):
            found[key] = "A section's text must be text."
        elif key in keys and len(text) > MAX_SECTION_TEXT:
            found[key] = f"Keep a section under {MAX_SECTION_TEXT} characters."
    return found


def missing_required(definition: Mapping[str, Any], content: Mapping[str, Any]) -> dict[str, str]:
    """Required sections left empty: a note cannot be signed without them."""
    return {
        s["key"]: "Write this section before signing."
        for s in definition["sections"]
        if s.get("required") and not str(content.get(s["key"], "")).strip()
    }
