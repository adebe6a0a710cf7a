"""Rendering what other apps contribute to a person's pages, and the moments of their
timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString

from alongside.people.contributions import LoadedPanel
from alongside.people.enrollment_words import said_closure_note
from alongside.people.models import Enrollment

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context: template.Context, panel: LoadedPanel) -> SafeString:
    """The panel's template, with the page's context and the panel's own data on top."""
    fragment = context.template.engine.get_template(panel.template)  # type: ignore[union-attr]
    with context.push(**panel.data):
        return fragment.render(context)


@register.filter
def closed_by_merge(enrollments: Iterable[Enrollment]) -> list[Enrollment]:
    """The enrollments a merge closed (a second open one in the same program), which
    the journey folds away."""
    return [e for e in enrollments if e.closed_by_merge]


@register.filter
def closure_note(enrollment: Enrollment) -> str:
    """The enrollment's closure note: a merge's in the reader's language, a worker's as
    written."""
    return said_closure_note(enrollment.closure_note)


@register.filter(expects_localtime=True)
def moment(value: dt.datetime) -> SafeString:
    """`<time>` for a moment, in the language's DATETIME_FORMAT: what `|date:'c'` and
    `|date:"DATETIME_FORMAT"` write, in one step (a timeline page has many)."""
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        formats.date_format(value, "DATETIME_FORMAT"),
    )
