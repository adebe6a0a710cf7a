"""Walking the staff's windows for free slots, for the slot search (scheduling/slots.py).

Times are POSIX seconds here: a window's slot starts are a grid, `step` apart from the
first start on the step grid of the window's own local hour (so a daylight-saving change
never shifts them), and a start is free when the staff member is free over it with the
type's buffers, the person is free over it and, in person, the location is open and a
room is free. A busy stretch is jumped over at once rather than stepped through.

`best` finds the `limit` best-scoring free slots without walking every window: each
window gets an upper bound on the score any slot in it can reach (its staff part, the
best time part on its grid, the best way-and-place part of its ways); windows are walked
from the highest bound down (the earliest first among equal bounds), and the walk stops
once `limit` slots have been found that rank above anything left could: that score
more, or score as much and start sooner."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings

from alongside.scheduling.availability import Busy, Window, zone
from alongside.scheduling.models import AppointmentType, Modality

if TYPE_CHECKING:
    from alongside.scheduling.ranking import Scorer
    from alongside.scheduling.slots import SearchData, Wishes

# A free (staff id, start, end, way, location id, room id, time zone, walk-in), start
# and end in POSIX seconds.
Free = tuple[int, float, float, str, int | None, int | None, str, bool]
EMPTY = Busy(())


@dataclass(frozen=True)
class Grid:
    """The type's length and buffers and the search's step, in seconds."""

    length: float
    before: float
    after: float
    step: float

    @classmethod
    def of(cls, kind: AppointmentType) -> Grid:
        return cls(
            kind.duration_minutes * 60.0,
            kind.buffer_before_minutes * 60.0,
            kind.buffer_after_minutes * 60.0,
            settings.SCHEDULING_SLOT_STEP_MINUTES * 60.0,
        )


def aligned(start: dt.datetime, step: dt.timedelta, time_zone: str) -> dt.datetime:
    """The first slot start at or after `start` on the step grid of the local hour."""
    local = start.astimezone(zone(time_zone))
    minutes = local.minute % int(step.total_seconds() // 60)
    if minutes == 0 and local.second == 0 and local.microsecond == 0:
        return start
    rounded = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=-minutes) + step
    return rounded.astimezone(dt.UTC)


class Run(NamedTuple):
    """One window to walk: its first and last possible start, and the ways to meet."""

    staff_id: int
    window: Window
    ways: tuple[str, ...]
    first: float
    last: float
    location_id: int | None  # the window's location, when the search knows it


def runs(
    kind: AppointmentType,
    data: SearchData,
    since: dt.datetime,
    until: dt.datetime,
    wishes: Wishes,
    grid: Grid,
) -> Iterator[Run]:
    """The windows that can hold a slot, in the staff's and the windows' order."""
    allowed = set(kind.modalities) & (set(wishes.modalities) or set(Modality.values))
    step = dt.timedelta(seconds=grid.step)
    last_end = until.timestamp()
    # Staff on the same hours share their windows' times and ways: each worked out once.
    spans: dict[tuple[dt.datetime, dt.datetime, str], tuple[float, float]] = {}
    ways_of: dict[frozenset[str], tuple[str, ...]] = {}
    for staff_id, windows in data.windows.items():
        for window in windows:
            if window.is_walk_in and not wishes.walk_in:
                continue
            ways = ways_of.get(window.modalities)
            if ways is None:
                ways = ways_of[window.modalities] = tuple(sorted(allowed & window.modalities))
            if not ways:
                continue
            span = spans.get((window.starts_at, window.ends_at, window.time_zone))
            if span is None:
                start = aligned(max(window.starts_at, since), step, window.time_zone)
                span = (start.timestamp(), min(window.ends_at.timestamp(), last_end) - grid.length)
                spans[(window.starts_at, window.ends_at, window.time_zone)] = span
            if span[0] > span[1]:
                continue
            location_id = window.location_id if window.location_id in data.locations else None
            yield Run(staff_id, window, ways, span[0], span[1], location_id)


def starts(run: Run, grid: Grid, busy: Busy, person_busy: Busy) -> Iterator[float]:
    """The run's grid starts at which the staff member (with the buffers) and the person
    are free. A start that meets busy time resumes at the first grid start past it: every
    start in between meets the same busy stretch."""
    first, last, step, length = run.first, run.last, grid.step, grid.length
    before, after = grid.before, grid.after
    start = first
    while start <= last:
        end = start + length
        blocked = busy.blocked_until(start - before, end + after)
        if blocked is not None:
            resume = blocked + before
        else:
            blocked = person_busy.blocked_until(start, end)
            if blocked is None:
                yield start
                start += step
                continue
            resume = blocked
        start = first + math.ceil((resume - first) / step) * step


def ways_at(data: SearchData, run: Run, start: float, end: float) -> Iterator[Free]:
    """The ways to meet at a free start: remote ones as they are, in person where the
    location is open and one of its rooms (if it has rooms) is free."""
    window = run.window
    for way in run.ways:
        if way != Modality.IN_PERSON:
            yield (run.staff_id, start, end, way, None, None, window.time_zone, window.is_walk_in)
            continue
        location_id = run.location_id
        if location_id is None or not data.opening.is_open(location_id, start, end):
            continue
        room_id = None
        rooms = data.rooms.get(location_id)
        if rooms:
            room_busy = data.room_busy
            free = [
                r
                for r in rooms
                if r not in room_busy or room_busy[r].blocked_until(start, end) is None
            ]
            if not free:
                continue
            room_id = free[0]
        zone_name = data.locations[location_id].zone_name
        yield (run.staff_id, start, end, way, location_id, room_id, zone_name, window.is_walk_in)


def free(data: SearchData, run: Run, grid: Grid) -> Iterator[Free]:
    busy = data.staff_busy.get(run.staff_id, EMPTY)
    for start in starts(run, grid, busy, data.person_busy):
        yield from ways_at(data, run, start, start + grid.length)


class Bounds:
    """Upper bounds on the score of any slot in a run (see the module's docstring)."""

    def __init__(self, scorer: Scorer, grid: Grid) -> None:
        self.scorer, self.grid = scorer, grid
        self.times: dict[tuple[float, float], int] = {}
        self.places: dict[tuple[tuple[str, ...], int | None], int] = {}

    def best_time(self, first: float, last: float) -> int:
        found = self.times.get((first, last))
        if found is None:
            step, length, start = self.grid.step, self.grid.length, first
            found = self.scorer.time_part(start, start + length)
            while start <= last:
                found = max(found, self.scorer.time_part(start, start + length))
                start += step
            self.times[(first, last)] = found
        return found

    def best_place(self, ways: tuple[str, ...], location_id: int | None) -> int:
        found = self.places.get((ways, location_id))
        if found is None:
            found = self.places[(ways, location_id)] = max(
                self.scorer.place_part(way, location_id if way == Modality.IN_PERSON else None)
                for way in ways
            )
        return found

    def of(self, run: Run) -> int:
        return (
            self.scorer.staff_part(run.staff_id)
            + self.best_time(run.first, run.last)
            + self.best_place(run.ways, run.location_id)
        )


def best(
    kind: AppointmentType,
    data: SearchData,
    since: dt.datetime,
    until: dt.datetime,
    wishes: Wishes,
    scorer: Scorer,
    limit: int,
    read_until: float = math.inf,
) -> list[Free] | None:
    """The `limit` best free slots, best first: highest score, then earliest, then by
    staff member and way (as ranking every free slot would give them). When the staff's
    and rooms' busy time has been read only up to `read_until` (a first look at the
    start of the window), None if the walk would have to go further: the caller reads
    the rest and walks again. Windows are bounded without busy time, so whether the
    first look suffices is decided exactly, and the answer is the same either way."""
    grid = Grid.of(kind)
    bounds = Bounds(scorer, grid)
    plan = [(bounds.of(run), run) for run in runs(kind, data, since, until, wishes, grid)]
    plan.sort(key=lambda p: (-p[0], p[1].first, p[1].staff_id))
    # The `limit` best so far, best first, by (-score, start, staff id, way).
    kept: list[tuple[tuple[int, float, int, str], Free]] = []
    for bound, run in plan:
        # No slot of this window, nor of any after it in the plan, can rank above the
        # last kept: none scores more than the bound, and at the bound none starts
        # sooner (the plan is in that order, and a window's slots in order of start).
        if len(kept) >= limit and (-bound, run.first) > kept[-1][0][:2]:
            break
        if run.last + grid.length > read_until:
            return None  # this window's busy time has not been read
        for slot in free(data, run, grid):
            if len(kept) >= limit and (-bound, slot[1]) > kept[-1][0][:2]:
                break  # nor any later slot of this window
            score = scorer.score_at(slot[0], slot[1], slot[2], slot[3], slot[4])
            key = (-score, slot[1], slot[0], slot[3])
            if len(kept) < limit or key < kept[-1][0]:
                bisect.insort(kept, (key, slot), key=lambda k: k[0])
                del kept[limit:]
    return [slot for _key, slot in kept]
