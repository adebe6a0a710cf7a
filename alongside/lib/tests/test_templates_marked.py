"""Every staff-facing template's English is marked for translation (issue 9), so a
Spanish staff interface is a catalog away. A pragmatic check, not a parser: take out
what is not shown (template tags, variables, comments, scripts, styles, HTML tags) and
what is marked (translate and blocktranslate), and any letters left are bare English.
The attributes people read (aria-label, title, placeholder, alt) are checked too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[2]

# Every app's templates are checked.
NOT_YET: tuple[str, ...] = ()

# Proper nouns that read the same in every language.
ALLOWED = ("Alongside",)

_UNSHOWN = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}"
    r"|\{%\s*verbatim\s*%\}.*?\{%\s*endverbatim\s*%\}"
    r"|<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->"
    r"|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}",
    re.S,
)
_READ_ATTRIBUTE = re.compile(r'\s(?:aria-label|title|placeholder|alt)="([^"]*)"')
_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&#?\w+;")
_LETTERS = re.compile(r"[A-Za-z]")


def _words(text: str) -> bool:
    text = _ENTITY.sub(" ", text)
    for name in ALLOWED:
        text = text.replace(name, " ")
    return bool(_LETTERS.search(text))


def bare_text(source: str) -> list[str]:
    """The English in a template that is shown but not marked for translation."""
    shown = _UNSHOWN.sub(" ", source)
    found = [value for value in _READ_ATTRIBUTE.findall(shown) if _words(value)]
    found += [t.strip() for t in _TAG.split(shown) if _words(t)]
    return found


def staff_templates() -> list[Path]:
    return sorted(
        path
        for path in APPS.glob("*/templates/**/*.html")
        if path.relative_to(APPS).parts[0] not in NOT_YET
        # The person's own screens are translated already, and checked by their tests.
        and "intake/person" not in path.as_posix()
    )


def test_the_check_finds_bare_text_and_passes_marked_text() -> None:
    assert bare_text('<p title="Close">{% translate "Save" %} Back</p>') == ["Close", "Back"]
    marked = (
        '{% load i18n %}<p aria-label="{% translate "Close" %}">{% blocktranslate with n=x.y %}'
        "Row {{ n }}{% endblocktranslate %} &middot; {{ value }} Alongside</p>"
    )
    assert bare_text(marked) == []


@pytest.mark.parametrize("path", staff_templates(), ids=lambda p: str(p.relative_to(APPS)))
def test_staff_template_text_is_marked_for_translation(path: Path) -> None:
    assert bare_text(path.read_text()) == []
