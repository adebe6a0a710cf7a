"""A template fragment rendered once with stand-ins, then filled in for each use.

A list of a hundred rows rendered by the template engine costs a score of variable
lookups, filters and tags a row, most of the start page's rendering (bench/README.md,
"Hub"). A row's fragment is its own template, rendered once per language, script prefix,
URLconf and set of `flags` (booleans and other plain values that choose its branches),
with a stand-in for each of its `slots`; the result is cut around the stand-ins, and each
row joins its own values in, escaped as `{{ }}` escapes them. The words and markup stay in
the template.

A fragment uses each slot only as `{{ slot }}` (or inside `blocktranslate`): never in a
condition or through a filter, which would act on the stand-in. Conditions are flags;
what a filter did (capfirst, a date's format) the caller does to the value.
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable, Sequence
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from alongside.lib.kept import kept

# Letters and digits: nothing escaping changes, and no template's words.
_STAND_IN = re.compile(r"stencilslot(\d+)x")
LIMIT = 1024

Parts = tuple[str | int, ...]
_cut: dict[Hashable, Parts] = {}


class Stencils:
    """The stencils of one rendering (a list's rows): the language, script prefix and
    URLconf read once, and each stencil looked up once."""

    def __init__(self) -> None:
        self._page = (get_language(), get_script_prefix(), get_urlconf())
        self._found: dict[Hashable, Parts] = {}

    def __call__(self, template_name: str, slots: Sequence[str], **flags: Hashable) -> Parts:
        """The fragment rendered with stand-ins for `slots` and `flags` as they are: its
        markup (str) and the slots' places (their index in `slots`, int). Kept per
        language, script prefix and URLconf (its `{% url %}`s follow them as `{% url %}`
        does)."""
        own = (template_name, tuple(slots), tuple(flags.items()))
        parts = self._found.get(own)
        if parts is None:
            parts = self._found[own] = _stencil(template_name, (*own, *self._page), slots, flags)
        return parts


def _stencil(
    template_name: str, key: Hashable, slots: Sequence[str], flags: dict[str, Hashable]
) -> Parts:
    def cut() -> Parts:
        context: dict[str, Any] = {slot: f"stencilslot{i}x" for i, slot in enumerate(slots)}
        both = context.keys() & flags.keys()
        if both:
            # A flag would silently replace the slot's stand-in: its text would be cut
            # into the stencil as markup.
            raise ValueError(f"{template_name}: {sorted(both)} both slots and flags")
        context.update(flags)
        # A file's last line ending is not part of its fragment (a language runs on into
        # the ", " that joins it to the next).
        rendered = render_to_string(template_name, context).removesuffix("\n")
        pieces = _STAND_IN.split(rendered)
        # split gives markup, slot, markup, …: the slots as numbers.
        return tuple(int(p) if i % 2 else p for i, p in enumerate(pieces))

    return kept(_cut, key, cut, LIMIT)


def fill(parts: Parts, values: Sequence[Any]) -> SafeString:
    """The stencil with each slot's value in its places, escaped as `{{ }}` escapes it
    (a whole number as it is: the fragments show ids unlocalized)."""
    return mark_safe(  # noqa: S308 (the template's markup, each value escaped)
        "".join(
            part if type(part) is str else _escaped(values[part])  # type: ignore[index]
            for part in parts
        )
    )


def _escaped(value: Any) -> str:
    """`conditional_escape(value)`, the common cases first (`escape` is `html.escape`)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int:
        return str(value)
    return str(conditional_escape(value))


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    _cut.clear()
