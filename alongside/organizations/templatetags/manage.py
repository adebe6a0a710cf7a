from __future__ import annotations

from django import template

from alongside.organizations.contributions import ManageSection, manage_sections

register = template.Library()


@register.simple_tag
def contributed_sections() -> list[ManageSection]:
    return list(manage_sections)
