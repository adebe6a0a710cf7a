"""`{% reason_form row item rowloop n %}`: a worklist reason's "Done today" / "Snooze"
form, the same markup `worklist/_reason_form.html` gives, without rendering it once a
reason.

The start page shows a form for every reason on it (135 on a busy coordinator's day), and
the template's variables, a score of them each, were most of the worklist's rendering
(bench/README.md, "Hub"). The form's template is rendered once per language and whether
the page covers for a teammate, with a stand-in for each value; the result is cut around
the stand-ins and each reason's form joins its own values in, escaped as `{{ }}` escapes
them. The words and markup stay in the template.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from alongside.people.contributions import WorklistItem

register = template.Library()

SLOTS = ("csrf", "person", "reason", "item", "owner", "here", "name", "text", "row", "n")
# Letters and digits: nothing escaping changes, and nothing the form's words say.
_STAND_IN = re.compile(r"wlslot(\d+)x")

_cut: dict[tuple[Any, ...], list[str | int]] = {}


def _parts(covering: bool) -> list[str | int]:
    """The form rendered with stand-ins: markup (str) and the slots' places (int). The
    decide address follows the script prefix and URLconf, as `{% url %}` does."""
    key = (get_language(), get_script_prefix(), get_urlconf(), covering)
    if key not in _cut:
        context: dict[str, Any] = {slot: f"wlslot{i}x" for i, slot in enumerate(SLOTS)}
        context.update(decide_url=reverse("worklist:decide"), covering=covering)
        pieces = _STAND_IN.split(render_to_string("worklist/_reason_form.html", context))
        # split gives markup, slot, markup, …: the slots as numbers.
        _cut[key] = [int(p) if i % 2 else p for i, p in enumerate(pieces)]
    return _cut[key]


@register.simple_tag(takes_context=True)
def reason_form(context: Any, row: Any, item: WorklistItem, rowloop: int, n: int) -> SafeString:
    worklist = context["worklist"]
    page = context.render_context.get("worklist_forms")
    if page is None:
        page = context.render_context["worklist_forms"] = (
            str(context.get("csrf_token", "")),
            context["request"].get_full_path(),
        )
    csrf, here = page
    person = row.person
    values = (
        csrf,
        str(person.pk),
        item.reason,
        item.key,
        str(worklist.owner.pk),
        here,
        person.display_name,
        item.text,
        str(rowloop),
        str(n),
    )
    return mark_safe(  # noqa: S308 (the template's markup, each value escaped)
        "".join(
            conditional_escape(values[p]) if isinstance(p, int) else p
            for p in _parts(worklist.covering)
        )
    )


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    _cut.clear()
