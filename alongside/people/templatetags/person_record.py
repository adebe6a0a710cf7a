"""Rendering what other apps contribute to a person's pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from alongside.people.contributions import LoadedPanel
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
