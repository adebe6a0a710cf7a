"""Template filters for time as people say it, built into every template
(settings.TEMPLATES "builtins"): `{{ flag.raised_at|ago }}` is "just now", "5 minutes
ago", "3 days ago", in the reader's language. Dates themselves use `|date` and the
project's formats (alongside/formats), never a format string of their own."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()

JUST_NOW = dt.timedelta(minutes=1)


@register.filter
def ago(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long ago, to its largest unit ("3 days ago", not "3 days, 2 hours ago");
    under a minute, or a clock a little ahead, is "just now"."""
    if value is None:
        return ""
    now = now or timezone.now()
    if now - value < JUST_NOW:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value, now, depth=1)}
