"""Finding English left on a page that should be all in another language.

Two checks, as a reader would notice: text with a word of English interface copy ("your",
"the", "question"...), and text identical to text of the same page drawn in English. Text
that must not be translated (`translate="no"`: the product's name) is left out, and so is
text without letters (numbers, "·"), the buttons that switch to another language ("View
in English"), and whatever the test allows (the person's own name). English marked
`lang="en"` still counts: the person still cannot read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser

from django.conf import settings
from django.utils import translation

# Words of English interface copy that are not also Spanish words.
ENGLISH_WORDS = re.compile(
    r"\b(the|your|you|and|of|with|this|that|please|question|questions|answer|answers|"
    r"save|saved|back|staff|password|link|thank|thanks|skip|main|content|check|send|change|"
    r"hand|device|not|over the last|how often|bothered|prefer|care team|language)\b",
    re.IGNORECASE,
)
# Attributes a reader meets as text (a screen reader reads them out; a tooltip shows them).
TEXT_ATTRIBUTES = ("aria-label", "alt", "placeholder", "title")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
HIDDEN = {"script", "style", "template"}
SHARED_WORDS = {"No"}  # Spanish and English alike


@cache
def _always_allowed() -> frozenset[str]:
    """Words both languages share, and each language's "View in ..." switch."""
    switches = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            switches.add(translation.pgettext("switch to this language", "View in English"))
    return frozenset(SHARED_WORDS | switches)


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, left out)
        self.texts: list[str] = []

    def _left_out(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page_language = given.get("lang", "")
        left_out = self._left_out() or tag in HIDDEN or given.get("translate") == "no"
        if not left_out:
            self.texts.extend(given[name] for name in TEXT_ATTRIBUTES if given.get(name))
            if tag == "input" and given.get("type") in ("submit", "button") and given.get("value"):
                self.texts.append(given["value"])
        if tag not in VOID:
            self.stack.append((tag, left_out))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self._left_out():
            self.texts.append(data)


def page_language(html: str) -> str:
    parser = _Texts()
    parser.feed(html)
    return parser.page_language


def texts(html: str) -> list[str]:
    """The page's text as a reader meets it, one entry per text node, spaces collapsed;
    only entries with letters in them."""
    parser = _Texts()
    parser.feed(html)
    collapsed = (" ".join(text.split()) for text in parser.texts)
    return [text for text in collapsed if any(c.isalpha() for c in text)]


def english_left(html: str, english_html: str = "", *, allowed: Iterable[str] = ()) -> list[str]:
    """The text of `html` (a page meant to be in another language) that is English: with
    a word of English copy in it, or the same as text of `english_html`, the same page
    drawn in English. Empty when the page is all in its language."""
    ok = _always_allowed() | {" ".join(text.split()) for text in allowed}
    english = set(texts(english_html)) if english_html else set()
    return [
        text
        for text in texts(html)
        if text not in ok and (ENGLISH_WORDS.search(text) or text in english)
    ]
