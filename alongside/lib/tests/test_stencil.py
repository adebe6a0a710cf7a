"""A stencil filled in gives what rendering its template with the same values gives: the
same markup, the same escaping, in the active language and under the script prefix."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import set_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe

from alongside.lib import stencil
from alongside.lib.stencil import Stencils, fill
from alongside.people.templatetags.people_rows import LANGUAGE, ROW
from alongside.worklist.templatetags.worklist_forms import FORM, REASON
from alongside.worklist.templatetags.worklist_forms import ROW as WORKLIST_ROW

HOSTILE = '<b>O\'Brien & "Sons"</b>'

# Each stencil with its slots and its flags (each flag true and false).
STENCILS = [
    ("people/_person_row.html", ROW, ("legal", "has_pronouns", "born", "has_languages")),
    ("people/_person_language.html", LANGUAGE, ("interpreter",)),
    ("worklist/_row.html", WORKLIST_ROW, ("urgent", "has_pronouns", "care_note")),
    ("worklist/_reason.html", REASON, ("urgent", "linked", "care_team")),
    ("worklist/_reason_form.html", FORM, ("covering",)),
]
CASES = [
    (name, slots, dict(zip(flags, values, strict=True)))
    for name, slots, flags in STENCILS
    for values in itertools.product((True, False), repeat=len(flags))
]


def _values(slots: tuple[str, ...]) -> list[Any]:
    """A hostile text, a number and a text already safe, in turn."""
    kinds = [HOSTILE, 4096, mark_safe("<i>safe</i>")]  # noqa: S308 (a test's own markup)
    return [kinds[i % 3] for i in range(len(slots))]


@pytest.mark.parametrize(("name", "slots", "flags"), CASES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_filled_stencil_is_the_template_rendered(
    name: str, slots: tuple[str, ...], flags: dict[str, bool], language: str
) -> None:
    values = _values(slots)
    with translation.override(language):
        rendered = render_to_string(name, {**dict(zip(slots, values, strict=True)), **flags})
        filled = fill(Stencils()(name, slots, **flags), values)
    assert filled == rendered.removesuffix("\n")
    assert HOSTILE not in filled


def test_a_value_is_escaped_as_the_template_escapes_it() -> None:
    flags = {"legal": True, "has_pronouns": True, "born": False, "has_languages": False}
    values = [7, HOSTILE, HOSTILE, "they/them", "", ""]
    filled = fill(Stencils()("people/_person_row.html", ROW, **flags), values)
    assert filled.count("&lt;b&gt;O&#x27;Brien &amp; &quot;Sons&quot;&lt;/b&gt;") == 2
    assert 'href="/people/7/"' in filled and HOSTILE not in filled


def test_it_follows_the_script_prefix() -> None:
    flags = {"legal": False, "has_pronouns": False, "born": False, "has_languages": False}
    values = [1, "Ana", "", "", "", ""]
    english = fill(Stencils()("people/_person_row.html", ROW, **flags), values)
    set_script_prefix("/care/")
    try:
        prefixed = fill(Stencils()("people/_person_row.html", ROW, **flags), values)
    finally:
        set_script_prefix("/")
    assert 'href="/people/1/"' in english and 'href="/care/people/1/"' in prefixed


def test_a_stencil_is_rendered_once_a_language(monkeypatch: pytest.MonkeyPatch) -> None:
    stencil._cut.clear()
    renders: list[str] = []

    def counting(name: str, context: dict[str, Any]) -> str:
        renders.append(name)
        return render_to_string(name, context)

    monkeypatch.setattr(stencil, "render_to_string", counting)
    for language in ("en", "es", "en", "es"):
        with translation.override(language):
            stencils = Stencils()
            for _ in range(2):
                stencils("people/_person_language.html", LANGUAGE, interpreter=True)
    # Once a language: each language's words are its own.
    assert renders == ["people/_person_language.html"] * 2


def test_a_flag_named_as_a_slot_is_refused() -> None:
    flags = {"legal": True, "has_pronouns": True, "born": False, "has_languages": False}
    with pytest.raises(ValueError, match=r"_person_row\.html: \['born'\] both slots and flags"):
        Stencils()("people/_person_row.html", (*ROW, "born"), **flags)
