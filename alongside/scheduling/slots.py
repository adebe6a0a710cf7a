"""Slot search: the bookable times for one person and one appointment type, across the
program's staff who can deliver it, their locations and rooms and the ways to meet,
ranked by fit to the person's preferences and by continuity (their own coordinator
first, then staff they have seen), each slot saying why it ranks where it does.

Bounded queries whatever the window or the number of staff: staff, patterns, one-off
changes, bookings and live holds in the window, rooms, opening hours, preferences and
continuity, each read once (see `SearchData`); nothing is read per slot."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, When
from django.utils import timezone

from alongside.accounts.models import Membership, User
from alongside.organizations.models import Location
from alongside.people.models import Enrollment, Person
from alongside.scheduling.availability import Busy, Opening, Window, staff_windows, zone
from alongside.scheduling.models import (
    Appointment,
    AppointmentType,
    GroupSeat,
    Modality,
    Room,
    SchedulingPreference,
)
from alongside.scheduling.ranking import Scorer, rank

MAX_DAYS = 62


@dataclass(frozen=True)
class Slot:
    staff_id: int
    staff_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    modality: str
    location_id: int | None
    location_name: str
    room_id: int | None
    time_zone: str
    is_walk_in: bool
    score: int = 0
    reasons: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """What a form posts back to choose this slot."""
        parts = [self.staff_id, self.starts_at.isoformat(), self.modality]
        return "|".join(str(p) for p in [*parts, self.location_id or "", self.room_id or ""])

    @property
    def modality_label(self) -> str:
        return str(Modality(self.modality).label)

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(zone(self.time_zone))


@dataclass
class Wishes:
    """The person's preferences as the search reads them (stored, or edited on the
    page before searching), in the person's time zone."""

    time_zone: str
    weekdays: frozenset[int] = frozenset()
    earliest: dt.time | None = None
    latest: dt.time | None = None
    evenings_ok: bool = False
    weekends_ok: bool = False
    preferred_modality: str = ""
    location_id: int | None = None
    travel_limit_minutes: int | None = None
    preferred_staff_id: int | None = None
    modalities: frozenset[str] = frozenset()  # only these, when given
    walk_in: bool = False  # include walk-in blocks

    @classmethod
    def of(cls, preference: SchedulingPreference | None, default_zone: str) -> Wishes:
        if preference is None:
            return cls(time_zone=default_zone)
        return cls(
            time_zone=preference.time_zone or default_zone,
            weekdays=frozenset(preference.weekdays or ()),
            earliest=preference.earliest,
            latest=preference.latest,
            evenings_ok=preference.evenings_ok,
            weekends_ok=preference.weekends_ok,
            preferred_modality=preference.preferred_modality,
            location_id=preference.location_id,
            travel_limit_minutes=preference.travel_limit_minutes,
            preferred_staff_id=preference.preferred_staff_id,
        )


@dataclass
class SearchData:
    """Everything a search reads, once."""

    staff: dict[int, User]
    windows: dict[int, list[Window]]
    staff_busy: dict[int, Busy]
    person_busy: Busy
    rooms: dict[int, list[int]]  # location -> room ids
    room_busy: dict[int, Busy]
    locations: dict[int, Location]
    opening: Opening
    coordinator_ids: set[int] = field(default_factory=set)
    seen_staff_ids: set[int] = field(default_factory=set)


def deliverers(kind: AppointmentType, staff_ids: Iterable[int] | None = None) -> dict[int, User]:
    """Active staff of the type's program whose role may deliver it."""
    memberships = Membership.objects.filter(program_id=kind.program_id, user__is_active=True)
    if kind.roles:
        memberships = memberships.filter(role__in=kind.roles)
    if staff_ids is not None:
        memberships = memberships.filter(user_id__in=list(staff_ids))
    return {m.user_id: m.user for m in memberships.select_related("user")}


def seconds(value: Any) -> Any:
    """A time column as POSIX seconds on PostgreSQL (a float reads far faster than a
    timestamp); elsewhere the time itself, which `Busy` converts."""
    if connection.vendor == "postgresql":
        return Func(
            value, template="EXTRACT(EPOCH FROM %(expressions)s)::float8", output_field=FloatField()
        )
    return value


def occupying(now: dt.datetime) -> Q:
    """Appointments that take time at `now`: active ones, less holds that have lapsed."""
    return Q(status__in=Appointment.ACTIVE_STATUSES) & ~Q(status="held", held_until__lte=now)


def load(
    kind: AppointmentType,
    person: Person | None,
    since: dt.datetime,
    until: dt.datetime,
    now: dt.datetime,
    staff_ids: Iterable[int] | None = None,
    ignore: Iterable[int] = (),
) -> SearchData:
    organization = kind.program.organization
    staff = deliverers(kind, staff_ids)
    windows = staff_windows(organization, staff, since, until)
    location_ids = {w.location_id for found in windows.values() for w in found if w.location_id}
    locations = Location.objects.select_related("organization").in_bulk(location_ids)
    room_rows = Room.objects.filter(location_id__in=location_ids, is_active=True)
    rooms: dict[int, list[int]] = defaultdict(list)
    for room_id, location_id in room_rows.values_list("pk", "location_id").order_by():
        rooms[location_id].append(room_id)
    all_rooms = [r for found in rooms.values() for r in found]
    margin = dt.timedelta(hours=4)  # the longest buffers a booking may reach over
    # The staff's and the rooms' bookings in the window: one query on their indexes.
    rows = (
        Appointment.objects.filter(
            occupying(now), Q(staff_id__in=list(staff)) | Q(room_id__in=all_rooms)
        )
        .filter(blocks_from__lt=until + margin, blocks_until__gt=since - margin)
        .exclude(pk__in=list(ignore))
        # A room's time is read only for rows with a room: fewer times to read.
        .annotate(
            room_from=seconds(Case(When(room_id__isnull=False, then=F("starts_at")))),
            room_until=seconds(Case(When(room_id__isnull=False, then=F("ends_at")))),
            busy_from=seconds(F("blocks_from")),
            busy_until=seconds(F("blocks_until")),
        )
        .values_list(
            "staff_id",
            "room_id",
            "room_from",
            "room_until",
            "busy_from",
            "busy_until",
            "overbooked",
        )
    )
    staff_busy: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    room_busy: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for staff_id, room_id, starts, ends, b_from, b_until, overbooked in rows:
        if overbooked:
            continue
        if staff_id in staff:
            staff_busy[staff_id].append((b_from, b_until))
        if room_id is not None:
            room_busy[room_id].append((starts, ends))
    # The person's own appointments and group seats: one query (a UNION, so that each
    # half uses its index).
    person_busy: list[tuple[dt.datetime, dt.datetime]] = []
    if person is not None:
        seats = GroupSeat.objects.filter(person=person, status=GroupSeat.Status.BOOKED)
        in_window = Appointment.objects.filter(
            occupying(now), starts_at__lt=until, ends_at__gt=since
        ).exclude(pk__in=list(ignore))
        own = in_window.filter(person=person).values_list("starts_at", "ends_at").order_by()
        seated = (
            in_window.filter(pk__in=seats.values("appointment_id"))
            .values_list("starts_at", "ends_at")
            .order_by()
        )
        person_busy = list(own.union(seated, all=True))
    data = SearchData(
        staff=staff,
        windows=windows,
        staff_busy={k: Busy(v) for k, v in staff_busy.items()},
        person_busy=Busy(person_busy),
        rooms=rooms,
        room_busy={k: Busy(v) for k, v in room_busy.items()},
        locations=locations,
        opening=Opening({pk: loc.zone_name for pk, loc in locations.items()}),
    )
    if person is not None:
        data.coordinator_ids = set(
            Enrollment.objects.filter(
                person=person,
                status__in=Enrollment.OPEN_STATUSES,
                primary_coordinator__isnull=False,
            ).values_list("primary_coordinator_id", flat=True)
        )
        data.seen_staff_ids = set(
            Appointment.objects.filter(
                person=person, status__in=[Appointment.Status.COMPLETED, Appointment.Status.ARRIVED]
            )
            .values_list("staff_id", flat=True)
            .order_by()
            .distinct()
        )
    return data


def _aligned(start: dt.datetime, step: dt.timedelta, time_zone: str) -> dt.datetime:
    """The first slot start at or after `start` on the step grid of the local hour."""
    local = start.astimezone(zone(time_zone))
    minutes = local.minute % int(step.total_seconds() // 60)
    if minutes == 0 and local.second == 0 and local.microsecond == 0:
        return start
    rounded = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=-minutes) + step
    return rounded.astimezone(dt.UTC)


# A free (staff, time, way to meet) before it is ranked: (staff id, start, end, way,
# location id, room id, time zone, walk-in). Only the slots shown become Slot objects.
Raw = tuple[int, dt.datetime, dt.datetime, str, int | None, int | None, str, bool]


def candidates(
    kind: AppointmentType, data: SearchData, since: dt.datetime, until: dt.datetime, wishes: Wishes
) -> Iterator[Raw]:
    """Every free (staff, time, way to meet) in [since, until), unranked."""
    length = dt.timedelta(minutes=kind.duration_minutes)
    before = dt.timedelta(minutes=kind.buffer_before_minutes)
    after = dt.timedelta(minutes=kind.buffer_after_minutes)
    step = dt.timedelta(minutes=settings.SCHEDULING_SLOT_STEP_MINUTES)
    allowed = set(kind.modalities) & (set(wishes.modalities) or set(Modality.values))
    empty = Busy(())
    person_busy = data.person_busy
    for staff_id, windows in data.windows.items():
        busy = data.staff_busy.get(staff_id, empty)
        for window in windows:
            if window.is_walk_in and not wishes.walk_in:
                continue
            ways = sorted(allowed & window.modalities)
            if not ways:
                continue
            start = _aligned(max(window.starts_at, since), step, window.time_zone)
            last = min(window.ends_at, until) - length
            while start <= last:
                end = start + length
                if not busy.overlaps(start - before, end + after) and not person_busy.overlaps(
                    start, end
                ):
                    yield from _ways(data, staff_id, window, ways, start, end)
                start += step


def _ways(
    data: SearchData,
    staff_id: int,
    window: Window,
    ways: list[str],
    start: dt.datetime,
    end: dt.datetime,
) -> Iterator[Raw]:
    location_id = window.location_id if window.location_id in data.locations else None
    for way in ways:
        if way != Modality.IN_PERSON:
            yield (staff_id, start, end, way, None, None, window.time_zone, window.is_walk_in)
            continue
        if location_id is None or not data.opening.is_open(location_id, start, end):
            continue
        room_id = None
        rooms = data.rooms.get(location_id)
        if rooms:
            free = [
                r
                for r in rooms
                if r not in data.room_busy or not data.room_busy[r].overlaps(start, end)
            ]
            if not free:
                continue
            room_id = free[0]
        zone_name = data.locations[location_id].zone_name
        yield (staff_id, start, end, way, location_id, room_id, zone_name, window.is_walk_in)


def to_slot(raw: Raw, data: SearchData) -> Slot:
    staff_id, start, end, way, location_id, room_id, zone_name, walk_in = raw
    location = data.locations.get(location_id) if location_id else None
    return Slot(
        staff_id=staff_id,
        staff_name=str(data.staff[staff_id]),
        starts_at=start,
        ends_at=end,
        modality=way,
        location_id=location_id,
        location_name=location.name if location else "",
        room_id=room_id,
        time_zone=zone_name,
        is_walk_in=walk_in,
    )


def search(
    *,
    kind: AppointmentType,
    person: Person,
    wishes: Wishes,
    since: dt.datetime,
    days: int = 14,
    limit: int = 30,
    now: dt.datetime | None = None,
    staff_ids: Iterable[int] | None = None,
    ignore: Iterable[int] = (),
) -> list[Slot]:
    """The best `limit` slots for the person in `days` days from `since` (never in the
    past), best first. Callers have read `person` in the actor's scope."""
    now = now or timezone.now()
    since = max(since, now)
    until = since + dt.timedelta(days=min(max(days, 1), MAX_DAYS))
    data = load(kind, person, since, until, now, staff_ids, ignore)
    today = now.astimezone(zone(wishes.time_zone)).date()
    name = person.first_name
    scorer = Scorer(wishes, data, name, today)
    best = heapq.nsmallest(
        limit,
        candidates(kind, data, since, until, wishes),
        key=lambda r: (-scorer.score(r[0], r[1], r[2], r[3], r[4]), r[1], r[0], r[3]),
    )
    return [rank(to_slot(raw, data), wishes, data, name, today) for raw in best]


def is_available(
    kind: AppointmentType,
    staff_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    modality: str,
) -> bool:
    """Whether the staff member's availability covers [starts_at, ends_at) for this way
    to meet (bookings aside: the database judges those)."""
    windows = staff_windows(kind.program.organization, [staff_id], starts_at, ends_at)
    return any(
        w.starts_at <= starts_at and ends_at <= w.ends_at and modality in w.modalities
        for w in windows.get(staff_id, [])
    )
