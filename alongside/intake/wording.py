"""How screening results read to staff: needs as what the person may want help with
(never as deficits), a need's status, instruments by their short titles, and days.

This is the one place a need and its status are named. `Need.Kind` and `Need.Status`
take their labels from here, so `get_kind_display()` and `get_status_display()` say the
same as the person page's panel (`panel`), the results page, the record screens, the
instrument builder, the API and anything exported. Nothing here imports the models at
run time: the models import these names."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from alongside.intake.models import Need, ScreeningResponse


@dataclass(frozen=True)
class NeedWords:
    """A need's name ("Food") and what it means for the person ("may want help with
    having enough food"), which follows their first name or "They"."""

    name: str | Promise
    description: str | Promise


# Needs read as things the person may want help with, never as deficits. Keyed by the
# stored kind (definitions.NEED_KINDS).
NEEDS: dict[str, NeedWords] = {
    "food_insecurity": NeedWords(_("Food"), _("may want help with having enough food")),
    "housing_instability": NeedWords(
        _("Housing"), _("may want help keeping or finding a steady home")
    ),
    "unsafe_relationship": NeedWords(
        _("Safety in relationships"),
        _("may want support with feeling safe with the people around them"),
    ),
    "utilities": NeedWords(
        _("Utilities"), _("may want help with electricity, gas, water or heating")
    ),
    "transportation": NeedWords(_("Getting places"), _("may want help with transportation")),
    "depression": NeedWords(_("Mood"), _("may want support with how they have been feeling")),
    "anxiety": NeedWords(_("Worry and stress"), _("may want support with worry or anxiety")),
}
# A need's status, keyed by the stored status (Need.Status).
STATUSES: dict[str, str | Promise] = {
    "identified": _("May want help"),
    "addressing": _("Being addressed"),
    "resolved": _("Resolved"),
    "not_wanted": _("Does not want help with this"),
}


def need_name(kind: str) -> str:
    """A need's name as staff read it everywhere: "Food", "Mood"."""
    words = NEEDS.get(kind)
    return str(words.name) if words else kind.replace("_", " ").capitalize()


def need_description(kind: str) -> str:
    words = NEEDS.get(kind)
    return str(words.description) if words else str(_("may want help"))


def status_name(status: str) -> str:
    """A need's status as staff read it everywhere: "May want help"."""
    return str(STATUSES.get(status, status))


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
        return self.need.is_open


def need_view(need: Need) -> NeedView:
    source = need.source_response
    title = ""
    if source is not None:
        instrument = source.instrument_version.instrument
        title = short_title(instrument.slug, instrument.title)
    return NeedView(
        need,
        need_name(need.kind),
        need_description(need.kind),
        status_name(need.status),
        source,
        title,
    )


def status_choices() -> list[tuple[str, str]]:
    return [(value, status_name(value)) for value in STATUSES]


def day(when: dt.datetime) -> str:
    """A moment as the day people say it, in the local time zone and the reader's
    language's DATE_FORMAT: "3 Mar 2025"."""
    return formats.date_format(timezone.localtime(when))
