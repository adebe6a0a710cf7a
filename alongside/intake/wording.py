"""How screening results read to staff: needs as what the person may want help with
(never as deficits), a need's status, instruments by their short titles, and days.
Shared by the person page's panel (`panel`), the record screens and the charts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import formats, timezone

from alongside.intake.models import Need, ScreeningResponse

# Needs read as things the person may want help with, never as deficits.
NEED_WORDING: dict[str, tuple[str, str]] = {
    Need.Kind.FOOD_INSECURITY: ("Food", "may want help with having enough food"),
    Need.Kind.HOUSING_INSTABILITY: ("Housing", "may want help keeping or finding a steady home"),
    Need.Kind.UNSAFE_RELATIONSHIP: (
        "Safety in relationships",
        "may want support with feeling safe with the people around them",
    ),
    Need.Kind.UTILITIES: ("Utilities", "may want help with electricity, gas, water or heating"),
    Need.Kind.TRANSPORTATION: ("Getting places", "may want help with transportation"),
    Need.Kind.DEPRESSION: ("Mood", "may want support with how they have been feeling"),
    Need.Kind.ANXIETY: ("Worry and stress", "may want support with worry or anxiety"),
}
STATUS_WORDING: dict[str, str] = {
    Need.Status.IDENTIFIED: "May want help",
    Need.Status.ADDRESSING: "Being addressed",
    Need.Status.RESOLVED: "Resolved",
    Need.Status.NOT_WANTED: "Does not want help with this",
}
# Instruments whose title has no short form in brackets.
SHORT_TITLES = {"ahc-hrsn-core": "AHC HRSN"}


def short_title(slug: str, title: str) -> str:
    """ "Patient Health Questionnaire-9 (PHQ-9)" → "PHQ-9"; "Readiness ruler (importance
    and confidence)" → "Readiness ruler"."""
    if slug in SHORT_TITLES:
        return SHORT_TITLES[slug]
    match = re.fullmatch(r"(.*?)\s*\(([^()]+)\)", title)
    if match is None:
        return title
    return match.group(2) if " " not in match.group(2) else match.group(1)


@dataclass(frozen=True)
class NeedView:
    need: Need
    topic: str
    wording: str
    status_label: str
    source: ScreeningResponse | None
    source_title: str

    @property
    def is_open(self) -> bool:
        return self.need.status in Need.OPEN_STATUSES


def need_view(need: Need) -> NeedView:
    topic, wording = NEED_WORDING.get(need.kind, (need.get_kind_display(), "may want help"))
    source = need.source_response
    title = ""
    if source is not None:
        instrument = source.instrument_version.instrument
        title = short_title(instrument.slug, instrument.title)
    return NeedView(need, topic, wording, STATUS_WORDING[need.status], source, title)


def status_choices() -> list[tuple[str, str]]:
    return [(value, STATUS_WORDING[value]) for value in Need.Status.values]


def day(when: dt.datetime) -> str:
    """A moment as the day people say it, in the local time zone and the reader's
    language's DATE_FORMAT: "3 Mar 2025"."""
    return formats.date_format(timezone.localtime(when))
