"""Why a slot ranks where it does: each rule gives points and, when it is a reason the
person or the coordinator would recognize, a few words ("evening, as Ana prefers",
"phone instead of travel", "Ana's coordinator"). Times are read in the person's zone."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from alongside.scheduling.availability import zone
from alongside.scheduling.models.setup import REMOTE_MODALITIES

if TYPE_CHECKING:
    from alongside.scheduling.slots import SearchData, Slot, Wishes

EVENING = dt.time(17, 0)
Points = tuple[int, str]


@dataclass(frozen=True)
class Seen:
    """A slot as the ranking rules read it."""

    slot: Slot
    wishes: Wishes
    data: SearchData
    name: str
    local_start: dt.datetime
    local_end: dt.datetime


def continuity(s: Seen) -> Points:
    if s.slot.staff_id in s.data.coordinator_ids:
        return 40, _("%(name)s's coordinator") % {"name": s.name}
    if s.slot.staff_id in s.data.seen_staff_ids:
        return 20, _("%(name)s has met %(staff)s before") % {
            "name": s.name,
            "staff": s.slot.staff_name,
        }
    return 0, ""


def asked_for(s: Seen) -> Points:
    if s.slot.staff_id == s.wishes.preferred_staff_id:
        return 30, _("the staff member %(name)s asked for") % {"name": s.name}
    return 0, ""


def day(s: Seen) -> Points:
    weekday = s.local_start.weekday()
    if weekday >= 5:
        if s.wishes.weekends_ok:
            return 10, _("weekend, as %(name)s prefers") % {"name": s.name}
        return -15, ""
    if s.wishes.weekdays:
        return (10 if weekday in s.wishes.weekdays else -10), ""
    return 0, ""


def evening(s: Seen) -> Points:
    if s.local_start.time() < EVENING:
        return 0, ""
    if s.wishes.evenings_ok:
        return 10, _("evening, as %(name)s prefers") % {"name": s.name}
    return -5, ""


def hours(s: Seen) -> Points:
    earliest, latest = s.wishes.earliest, s.wishes.latest
    if earliest is None and latest is None:
        return 0, ""
    ends_on_time = s.local_end.time() <= latest if latest else True
    if (earliest is None or s.local_start.time() >= earliest) and ends_on_time:
        return 10, _("within the hours that work for %(name)s") % {"name": s.name}
    return -20, ""


def way_to_meet(s: Seen) -> Points:
    way = s.slot.modality_label.lower()
    if s.wishes.preferred_modality and s.slot.modality == s.wishes.preferred_modality:
        return 15, _("%(way)s, as %(name)s prefers") % {"way": way, "name": s.name}
    travel_matters = (
        s.wishes.travel_limit_minutes is not None
        or s.wishes.preferred_modality in REMOTE_MODALITIES
    )
    if s.slot.modality in REMOTE_MODALITIES and travel_matters:
        return 8, _("%(way)s instead of travel") % {"way": way}
    return 0, ""


def place(s: Seen) -> Points:
    if s.wishes.location_id and s.slot.location_id == s.wishes.location_id:
        return 10, _("at %(place)s, as %(name)s prefers") % {
            "place": s.slot.location_name,
            "name": s.name,
        }
    return 0, ""


def walk_in(s: Seen) -> Points:
    return (0, _("walk-in block")) if s.slot.is_walk_in else (0, "")


RULES: tuple[Callable[[Seen], Points], ...] = (
    continuity,
    asked_for,
    day,
    evening,
    hours,
    way_to_meet,
    place,
    walk_in,
)


def rank(slot: Slot, wishes: Wishes, data: SearchData, name: str, today: dt.date) -> Slot:
    """The slot with its score and the reasons for it; sooner is a little better."""
    person_zone = zone(wishes.time_zone)
    seen = Seen(
        slot,
        wishes,
        data,
        name,
        slot.starts_at.astimezone(person_zone),
        slot.ends_at.astimezone(person_zone),
    )
    results = [rule(seen) for rule in RULES]
    score = sum(points for points, _reason in results)
    score -= min((seen.local_start.date() - today).days, 30)
    reasons = tuple(reason for _points, reason in results if reason)
    return dataclasses.replace(slot, score=score, reasons=reasons)
