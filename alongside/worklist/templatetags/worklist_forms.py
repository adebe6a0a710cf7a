"""`{% worklist_rows %}`: the worklist's rows, each row, each of its reasons and each
reason's "Done today" / "Snooze" form a stencil (`lib.stencil`) filled in: the same
markup `worklist/_row.html`, `worklist/_reason.html` and `worklist/_reason_form.html`
give, without rendering them once a row and once a reason.

The start page shows a form for every reason on it (135 on a busy coordinator's day),
and the template's variables, tags and filters, a score of them a reason, were most of
the worklist's rendering (bench/README.md, "Hub"). The words and markup stay in the
templates; what a filter did there (`capfirst`) is done here.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst

from alongside.lib.stencil import Stencils, fill

register = template.Library()

ROW = ("person", "name", "pronouns", "reasons")
REASON = ("link", "text", "form")
FORM = ("csrf", "person", "reason", "item", "owner", "here", "name", "text", "row", "n")
URGENT_ROW = 20  # a row whose most pressing reason is this urgent or more is marked
URGENT_REASON = "intake.urgent_flag"


def _capfirst(text: Any) -> Any:
    """`{{ text|capfirst }}`: the first letter capital, still safe if it was."""
    capital = capfirst(text)
    return mark_safe(capital) if isinstance(text, SafeData) else capital  # noqa: S308


@register.simple_tag(takes_context=True)
def worklist_rows(context: Any) -> SafeString:
    """Every row of the context's `worklist`, as `worklist/_row.html` shows one."""
    worklist = context["worklist"]
    # The page's own values, escaped once for every form.
    csrf = conditional_escape(str(context.get("csrf_token", "")))
    here = conditional_escape(context["request"].get_full_path())
    owner = worklist.owner.pk
    stencil = Stencils()
    form = stencil("worklist/_reason_form.html", FORM, covering=worklist.covering)
    rows = []
    for number, row in enumerate(worklist.rows, start=1):
        person = row.person
        name = conditional_escape(person.display_name)
        care_team = bool(getattr(person, "care_team", False))
        reasons = []
        for n, item in enumerate(row.items, start=1):
            text = _capfirst(item.text)
            shown = stencil(
                "worklist/_reason.html",
                REASON,
                urgent=item.reason == URGENT_REASON,
                linked=bool(item.link),
                care_team=care_team,
            )
            filled = ""
            if care_team:
                values = (csrf, person.pk, item.reason, item.key, owner, here, name, item.text)
                filled = fill(form, (*values, number, n))
            reasons.append(fill(shown, (item.link, text, filled)))
        parts = stencil(
            "worklist/_row.html",
            ROW,
            urgent=row.urgency < URGENT_ROW,
            has_pronouns=bool(person.pronouns),
            care_note=bool(getattr(person, "has_care_note", False)),
        )
        joined = mark_safe("\n        ".join(reasons))  # noqa: S308 (each filled in, escaped)
        rows.append(fill(parts, (person.pk, name, person.pronouns, joined)))
    return mark_safe("\n    ".join(rows))  # noqa: S308 (each filled in, escaped)
