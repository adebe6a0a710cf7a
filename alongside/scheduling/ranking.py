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
Points = tuple[int, "Callable[[], str] | None"]


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
        return 40, lambda: _("%(name)s's coordinator") % {"name": s.name}
    if s.slot.staff_id in s.data.seen_staff_ids:
        return (
            20,
            lambda: (
                _("%(name)s has met %(staff)s before")
                % {
                    "name": s.name,
                    "staff": s.slot.staff_name,
                }
            ),
        )
    return 0, None


def asked_for(s: Seen) -> Points:
    if s.slot.staff_id == s.wishes.preferred_staff_id:
        return 30, lambda: _("the staff member %(name)s asked for") % {"name": s.name}
    return 0, None


def day(s: Seen) -> Points:
    weekday = s.local_start.weekday()
    if weekday >= 5:
        if s.wishes.weekends_ok:
            return 10, lambda: _("weekend, as %(name)s prefers") % {"name": s.name}
        return -15, None
    if s.wishes.weekdays:
        return (10 if weekday in s.wishes.weekdays else -10), None
    return 0, None


def evening(s: Seen) -> Points:
    if s.local_start.time() < EVENING:
        return 0, None
    if s.wishes.evenings_ok:
        return 10, lambda: _("evening, as %(name)s prefers") % {"name": s.name}
    return -5, None


def hours(s: Seen) -> Points:
    earliest, latest = s.wishes.earliest, s.wishes.latest
    if earliest is None and latest is None:
        return 0, None
    ends_on_time = s.local_end.time() <= latest if latest else True
    if (earliest is None or s.local_start.time() >= earliest) and ends_on_time:
        return 10, lambda: _("within the hours that work for %(name)s") % {"name": s.name}
    return -20, None


def way_to_meet(s: Seen) -> Points:
    def way() -> str:
        return s.slot.modality_label.lower()

    if s.wishes.preferred_modality and s.slot.modality == s.wishes.preferred_modality:
        return 15, lambda: _("%(way)s, as %(name)s prefers") % {"way": way(), "name": s.name}
    travel_matters = (
        s.wishes.travel_limit_minutes is not None
        or s.wishes.preferred_modality in REMOTE_MODALITIES
    )
    if s.slot.modality in REMOTE_MODALITIES and travel_matters:
        return 8, lambda: _("%(way)s instead of travel") % {"way": way()}
    return 0, None


def place(s: Seen) -> Points:
    if s.wishes.location_id and s.slot.location_id == s.wishes.location_id:
        return (
            10,
            lambda: (
                _("at %(place)s, as %(name)s prefers")
                % {
                    "place": s.slot.location_name,
                    "name": s.name,
                }
            ),
        )
    return 0, None


def walk_in(s: Seen) -> Points:
    return (0, lambda: _("walk-in block")) if s.slot.is_walk_in else (0, None)


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


STAFF_RULES = (continuity, asked_for)
TIME_RULES = (day, evening, hours)
PLACE_RULES = (way_to_meet, place)


def _soon(local_start: dt.datetime, today: dt.date) -> int:
    return -min((local_start.date() - today).days, 30)


class Scorer:
    """The same score as `rank`, for many candidates at once: it is a sum of a staff
    part, a time part and a way-and-place part, each computed once per distinct value
    by the same rules and then looked up. Times are POSIX seconds (`score_at`) or
    datetimes (`score`)."""

    def __init__(self, wishes: Wishes, data: SearchData, name: str, today: dt.date) -> None:
        self.wishes, self.data, self.name, self.today = wishes, data, name, today
        self.zone = zone(wishes.time_zone)
        self.staff: dict[int, int] = {}
        self.times: dict[tuple[float, float], int] = {}
        self.places: dict[tuple[str, int | None], int] = {}

    def _seen(self, slot: Slot) -> Seen:
        start, end = slot.starts_at.astimezone(self.zone), slot.ends_at.astimezone(self.zone)
        return Seen(slot, self.wishes, self.data, self.name, start, end)

    def _probe(
        self, staff_id: int, start: float, end: float, way: str, location_id: int | None
    ) -> Seen:
        from alongside.scheduling.slots import Slot

        starts_at = dt.datetime.fromtimestamp(start, dt.UTC)
        ends_at = dt.datetime.fromtimestamp(end, dt.UTC)
        probe = Slot(staff_id, "", starts_at, ends_at, way, location_id, "", None, "UTC", False)
        return self._seen(probe)

    def staff_part(self, staff_id: int) -> int:
        found = self.staff.get(staff_id)
        if found is None:
            seen = self._probe(staff_id, 0, 0, "", None)
            found = self.staff[staff_id] = sum(rule(seen)[0] for rule in STAFF_RULES)
        return found

    def time_part(self, start: float, end: float) -> int:
        found = self.times.get((start, end))
        if found is None:
            seen = self._probe(0, start, end, "", None)
            found = sum(rule(seen)[0] for rule in TIME_RULES) + _soon(seen.local_start, self.today)
            self.times[(start, end)] = found
        return found

    def place_part(self, way: str, location_id: int | None) -> int:
        found = self.places.get((way, location_id))
        if found is None:
            seen = self._probe(0, 0, 0, way, location_id)
            found = self.places[(way, location_id)] = sum(rule(seen)[0] for rule in PLACE_RULES)
        return found

    def score_at(
        self, staff_id: int, start: float, end: float, way: str, location_id: int | None
    ) -> int:
        return (
            self.staff_part(staff_id)
            + self.time_part(start, end)
            + self.place_part(way, location_id)
        )

    def score(
        self, staff_id: int, start: dt.datetime, end: dt.datetime, way: str, location_id: int | None
    ) -> int:
        return self.score_at(staff_id, start.timestamp(), end.timestamp(), way, location_id)


def rank(
    slot: Slot, wishes: Wishes, data: SearchData, name: str, today: dt.date, explain: bool = True
) -> Slot:
    """The slot with its score and, when `explain`, the reasons for it (worded only for
    the slots shown: wording every candidate would cost more than ranking it); sooner is
    a little better."""
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
    score = sum(points for points, _reason in results) + _soon(seen.local_start, today)
    reasons = tuple(reason() for _points, reason in results if reason) if explain else ()
    return dataclasses.replace(slot, score=score, reasons=reasons)
