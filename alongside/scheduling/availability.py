"""When staff are available: weekly patterns and one-off additions, less time off and the
organization's public holidays, as aware intervals. Everything is computed in the wall
time of the pattern's own time zone (zoneinfo) and only then converted, so a
daylight-saving change never moves a block by an hour: "Tuesdays 17:00–20:00" is
17:00–20:00 local on both sides of the change."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import holidays

from alongside.organizations.models import Organization
from alongside.scheduling.models import AvailabilityChange, AvailabilityPattern, OpeningHours

UTC = dt.UTC
Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Window:
    """A stretch of time a staff member can be booked, and how."""

    staff_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    location_id: int | None
    modalities: frozenset[str]
    is_walk_in: bool


@lru_cache(maxsize=256)
def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str, year: int) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:
        return holidays.HolidayBase()


def is_holiday(organization: Organization, day: dt.date) -> bool:
    return day in _public_holidays(organization.country, organization.subdivision, day.year)


@lru_cache(maxsize=8192)
def at_local(day: dt.date, time: dt.time, zone_name: str) -> dt.datetime:
    """The instant of a wall-clock time on a local day, in UTC (remembered: every staff
    member on the same hours shares it)."""
    return dt.datetime.combine(day, time, tzinfo=zone(zone_name)).astimezone(UTC)


def days_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


class PatternRow(NamedTuple):
    """A weekly pattern as the windows are made from it (hashable, so that the windows
    one pattern gives over a stretch of days are made once and remembered)."""

    staff_id: int
    weekday: int
    starts: dt.time
    ends: dt.time
    time_zone: str
    location_id: int | None
    modalities: frozenset[str]
    is_walk_in: bool
    valid_from: dt.date
    valid_until: dt.date | None


# The columns a PatternRow is read from, in its order.
PATTERN_FIELDS = PatternRow._fields


@lru_cache(maxsize=8192)
def _row_windows(
    row: PatternRow, first: dt.date, last: dt.date, country: str, subdivision: str
) -> tuple[Window, ...]:
    """The pattern's blocks on its weekday from `first` to `last` (local dates), public
    holidays skipped."""
    first = max(first, row.valid_from)
    if row.valid_until is not None:
        last = min(last, row.valid_until)
    day = first + dt.timedelta(days=(row.weekday - first.weekday()) % 7)
    found = []
    while day <= last:
        if day not in _public_holidays(country, subdivision, day.year):
            found.append(
                Window(
                    row.staff_id,
                    at_local(day, row.starts, row.time_zone),
                    at_local(day, row.ends, row.time_zone),
                    row.time_zone,
                    row.location_id,
                    row.modalities,
                    row.is_walk_in,
                )
            )
        day += dt.timedelta(days=7)
    return tuple(found)


def pattern_windows(
    patterns: Iterable[PatternRow],
    organization: Organization,
    since: dt.datetime,
    until: dt.datetime,
) -> Iterator[Window]:
    """Each pattern's blocks that touch [since, until), skipping the organization's
    public holidays (in the pattern's local calendar)."""
    # A day either side: a local day in a zone far from UTC may start the day before.
    first = since.astimezone(UTC).date() - dt.timedelta(days=1)
    last = until.astimezone(UTC).date() + dt.timedelta(days=1)
    country, subdivision = organization.country, organization.subdivision
    for row in patterns:
        for window in _row_windows(row, first, last, country, subdivision):
            if window.ends_at > since and window.starts_at < until:
                yield window


def subtract(windows: Iterable[Window], removed: Sequence[Interval]) -> Iterator[Window]:
    """The windows less the removed intervals (time off), split where needed."""
    ordered = sorted(removed)
    for window in windows:
        pieces = [(window.starts_at, window.ends_at)]
        for gone_start, gone_end in ordered:
            if gone_start >= window.ends_at:
                break
            pieces = [
                part
                for start, end in pieces
                for part in ((start, min(end, gone_start)), (max(start, gone_end), end))
                if part[1] > part[0]
            ]
        for start, end in pieces:
            yield Window(
                window.staff_id,
                start,
                end,
                window.time_zone,
                window.location_id,
                window.modalities,
                window.is_walk_in,
            )


def staff_windows(
    organization: Organization,
    staff_ids: Iterable[int],
    since: dt.datetime,
    until: dt.datetime,
) -> dict[int, list[Window]]:
    """Every staff member's bookable windows in [since, until): two queries (patterns,
    and additions with time off) however many staff and weeks."""
    staff_ids = list(staff_ids)
    patterns = (
        AvailabilityPattern.objects.filter(
            organization=organization, staff_id__in=staff_ids, valid_from__lte=until.date()
        )
        .exclude(valid_until__lt=since.date() - dt.timedelta(days=1))
        .order_by()
        .values_list(*PATTERN_FIELDS)
    )
    rows = [
        PatternRow(staff_id, weekday, starts, ends, zone_name, location_id, frozenset(ways), *rest)
        for staff_id, weekday, starts, ends, zone_name, location_id, ways, *rest in patterns
    ]
    changes = AvailabilityChange.objects.filter(
        organization=organization,
        staff_id__in=staff_ids,
        starts_at__lt=until,
        ends_at__gt=since,
    )
    windows: dict[int, list[Window]] = defaultdict(list)
    for window in pattern_windows(rows, organization, since, until):
        windows[window.staff_id].append(window)
    time_off: dict[int, list[Interval]] = defaultdict(list)
    for change in changes:
        if change.kind == AvailabilityChange.Kind.TIME_OFF:
            time_off[change.staff_id].append((change.starts_at, change.ends_at))
        else:
            windows[change.staff_id].append(
                Window(
                    change.staff_id,
                    change.starts_at,
                    change.ends_at,
                    change.time_zone,
                    change.location_id,
                    frozenset(change.modalities),
                    change.is_walk_in,
                )
            )
    return {
        staff_id: sorted(
            subtract(found, time_off[staff_id]) if staff_id in time_off else found,
            key=lambda w: (w.starts_at, w.ends_at),
        )
        for staff_id, found in windows.items()
    }


def _seconds(moment: dt.datetime | float) -> float:
    return moment.timestamp() if isinstance(moment, dt.datetime) else float(moment)


class Busy:
    """Disjoint, sorted busy intervals, asked "does [a, b) overlap any?" by bisection.
    Kept as POSIX seconds: the database hands them over as numbers (scheduling/busy.py),
    far cheaper to read than timestamps."""

    def __init__(
        self, intervals: Iterable[tuple[dt.datetime | float, dt.datetime | float]]
    ) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []
        self._merge(sorted((_seconds(a), _seconds(b)) for a, b in intervals))

    @classmethod
    def of_seconds(cls, intervals: list[tuple[float, float]]) -> Busy:
        """From intervals already in seconds (sorted here, merged where they meet)."""
        busy = cls(())
        intervals.sort()
        busy._merge(intervals)
        return busy

    def _merge(self, ordered: Iterable[tuple[float, float]]) -> None:
        starts, ends = self.starts, self.ends
        for start, end in ordered:
            if ends and start <= ends[-1]:
                if end > ends[-1]:
                    ends[-1] = end
            else:
                starts.append(start)
                ends.append(end)

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.blocked_until(start.timestamp(), end.timestamp()) is not None

    def blocked_until(self, start: float, end: float) -> float | None:
        """When [start, end) (POSIX seconds) overlaps a busy interval, the end of that
        interval (nothing before it is free); None when it is free."""
        index = bisect_left(self.starts, end) - 1
        if index >= 0 and self.ends[index] > start:
            return self.ends[index]
        return None


class Opening:
    """Locations' opening hours, in each location's wall time. A location with no hours
    recorded is taken as open whenever its staff are available."""

    def __init__(self, location_zones: dict[int, str]) -> None:
        self.zones = location_zones
        self.hours: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for row in OpeningHours.objects.filter(location_id__in=list(location_zones)):
            self.hours[row.location_id][row.weekday].append((row.opens, row.closes))
        self.known: dict[tuple[int, float, float], bool] = {}

    def is_open(self, location_id: int, start: float, end: float) -> bool:
        """Whether the location is open over [start, end) (POSIX seconds)."""
        if location_id not in self.hours:
            return True
        key = (location_id, start, end)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._is_open(
                location_id,
                dt.datetime.fromtimestamp(start, UTC),
                dt.datetime.fromtimestamp(end, UTC),
            )
        return found

    def _is_open(self, location_id: int, start: dt.datetime, end: dt.datetime) -> bool:
        local_zone = zone(self.zones[location_id])
        local_start, local_end = start.astimezone(local_zone), end.astimezone(local_zone)
        if local_end.date() != local_start.date() and local_end.time() != dt.time(0):
            return False
        day_hours = self.hours[location_id].get(local_start.weekday(), [])
        closing = local_end.time() if local_end.time() != dt.time(0) else dt.time.max
        return any(opens <= local_start.time() and closing <= closes for opens, closes in day_hours)
