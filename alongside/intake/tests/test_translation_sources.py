"""Each shipped Spanish wording marked validated is its authors' published wording, word
for word: compared here with the checked-in copy of the source it was taken from
(`instruments/sources/`, where docs/intake.md says where each was found and when), so an
edit to a shipped translation cannot drift from it silently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alongside.intake import definitions

INSTRUMENTS = Path(definitions.__file__).parent / "instruments"
SOURCES = INSTRUMENTS / "sources"
SHIPPED = sorted(path.stem for path in INSTRUMENTS.glob("*.json"))
# The PHQ-2 is the PHQ-9's first two items (Kroenke 2003), so its source is the PHQ-9 form.
SOURCE_OF = {"phq-9": "phq-9.es.json", "phq-2": "phq-9.es.json"}
# No published Spanish wording of these could be found and checked (docs/intake.md).
UNVALIDATED = {"gad-7", "hunger-vital-sign", "ahc-hrsn-core", "readiness-ruler"}


def shipped(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((INSTRUMENTS / f"{slug}.json").read_text(encoding="utf-8"))
    return data


def source(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SOURCES / SOURCE_OF[slug]).read_text(encoding="utf-8"))
    return data


def test_the_validated_and_unvalidated_translations_are_the_ones_documented() -> None:
    validated = {
        s for s in SHIPPED if definitions.translation_validated(shipped(s)["definition"], "es")
    }
    assert validated == set(SOURCE_OF)
    assert set(SHIPPED) - validated == UNVALIDATED


@pytest.mark.parametrize("name", sorted(set(SOURCE_OF.values())))
def test_each_source_copy_says_where_it_comes_from_and_when_it_was_checked(name: str) -> None:
    copy = json.loads((SOURCES / name).read_text(encoding="utf-8"))
    for key in ("document", "edition", "found_at", "checked"):
        assert copy[key].strip(), key
    assert copy["checked"] == "2026-12-05"


@pytest.mark.parametrize("slug", sorted(SOURCE_OF))
def test_every_spanish_text_of_a_validated_translation_is_its_source_word_for_word(
    slug: str,
) -> None:
    definition = shipped(slug)["definition"]
    spanish = definition["translations"]["es"]
    copy = source(slug)
    # Each item is the form's stem followed by the item, as the English texts are.
    for entry in definition["items"]:
        own = spanish["items"][entry["link_id"]]
        assert own["text"] == f"{copy['stem']} {copy['items'][entry['link_id']]}", entry["link_id"]
        assert own["options"] == {o["code"]: copy["options"][o["code"]] for o in entry["options"]}
    heading = copy["title"].replace("-9 (PHQ-9)", f"-{slug[-1]} ({slug.upper()})")
    assert spanish["title"].upper() == heading
