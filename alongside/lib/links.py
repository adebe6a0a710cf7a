"""`{% link 'people:edit' person.pk %}`: what `{% url %}` answers, reversed once per
route (built into every template, settings.TEMPLATES "builtins").

A person's page links to its record's pages some thirty times (edit this contact,
remove that language), and `reverse` costs tens of microseconds each time for what is
the same path with another id. `link` reverses a route once with stand-in ids, keeps the
path cut around them, and afterwards joins the real ids in. Only database ids take that
way (whole numbers in `<id:...>`'s range); anything else is reversed as `{% url %}` does,
with the same errors for what does not reverse. A route without arguments (the main
navigation's, on every page) is reversed once and kept whole.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

from alongside.lib.kept import kept
from alongside.lib.urls import MAX_ID

register = template.Library()

# Stand-ins no database holds yet (near the top of the id range) and no path spells.
_STAND_INS = tuple(str(MAX_ID - 1_000_003 - n) for n in range(4))
LIMIT = 1024

_paths: dict[tuple[str, str, Any, int], tuple[str, ...] | None] = {}


def _cut(viewname: str, count: int) -> tuple[str, ...] | None:
    """The route's path cut around its ids, or None when the stand-ins do not appear
    once each and in order (a route that does not take ids as they are)."""
    path = reverse(viewname, args=_STAND_INS[:count])
    parts: list[str] = []
    for stand_in in _STAND_INS[:count]:
        before, found, path = path.partition(stand_in)
        if not found or stand_in in path:
            return None
        parts.append(before)
    parts.append(path)
    return tuple(parts)


def _is_id(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


@register.simple_tag
def link(viewname: str, *args: Any) -> str:
    """The path of route `viewname` for `args`, as `reverse(viewname, args=args)`."""
    if len(args) > len(_STAND_INS) or not all(_is_id(a) for a in args):
        return reverse(viewname, args=args)
    # The URLconf too: a request may set its own (request.urlconf), as reverse allows.
    key = (viewname, get_script_prefix(), get_urlconf(), len(args))
    parts = kept(_paths, key, lambda: _cut(viewname, len(args)), LIMIT)
    if parts is None:
        return reverse(viewname, args=args)
    pieces = [parts[0]]
    for value, after in zip(args, parts[1:], strict=True):
        pieces.append(str(value))
        pieces.append(after)
    return "".join(pieces)


@receiver(setting_changed)
def _forget_on_new_urlconf(*, setting: str, **kwargs: Any) -> None:
    """Tests that swap ROOT_URLCONF (override_settings) get paths from the new one."""
    if setting == "ROOT_URLCONF":
        _paths.clear()
