"""Slot search: the bookable times for one person and one appointment type, across the
program's staff who can deliver it, their locations and rooms and the ways to meet,
ranked by fit to the person's preferences and by continuity (their own coordinator
first, then staff they have seen), each slot saying why it ranks where it does.

Bounded queries whatever the window or the number of staff: staff, patterns, one-off
changes, bookings and live holds in the window, rooms, opening hours, preferences and
continuity, each read once (see `SearchData`); nothing is read per slot. On PostgreSQL
the staff's and rooms' bookings arrive already merged into busy stretches
(scheduling/busy.py); the windows are walked for free starts in seconds, best-bounded
windows first, and the walk stops once nothing left could make the list
(scheduling/walk.py)."""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from alongside.accounts.models import Membership, User
from alongside.organizations.models import Location, Organization
from alongside.people.models import Enrollment, Person
from alongside.scheduling import busy, walk
from alongside.scheduling.availability import Busy, Opening, Window, staff_windows, zone
from alongside.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityChange,
    AvailabilityPattern,
    GroupSeat,
    Modality,
    OpeningHours,
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


def occupying(now: dt.datetime) -> Q:
    """Appointments that take time at `now`: active ones, less holds that have lapsed."""
    return Q(status__in=Appointment.ACTIVE_STATUSES) & ~Q(status="held", held_until__lte=now)


@dataclass(frozen=True)
class Setup:
    """What a search reads that is the same for every person: who delivers the type,
    their windows, and the places (rooms, opening hours). Read-only once made."""

    staff: dict[int, User]
    windows: dict[int, list[Window]]
    rooms: dict[int, list[int]]  # location -> room ids
    locations: dict[int, Location]
    opening: Opening


def _setup(
    kind: AppointmentType, since: dt.datetime, until: dt.datetime, staff_ids: list[int] | None
) -> Setup:
    staff = deliverers(kind, staff_ids)
    windows = staff_windows(kind.program.organization, staff, since, until)
    location_ids = {w.location_id for found in windows.values() for w in found if w.location_id}
    locations = Location.objects.select_related("organization").in_bulk(location_ids)
    room_rows = Room.objects.filter(location_id__in=location_ids, is_active=True)
    rooms: dict[int, list[int]] = defaultdict(list)
    for room_id, location_id in room_rows.values_list("pk", "location_id").order_by():
        rooms[location_id].append(room_id)
    opening = Opening({pk: loc.zone_name for pk, loc in locations.items()})
    return Setup(staff, windows, rooms, locations, opening)


# Set-ups kept for a few seconds, by type (and its version), window and staff: the
# losers of one contested slot all look for the next best in the same window. Any
# change to what a set-up is made of, in this process, forgets them all at once
# (`_forget`); one made elsewhere is seen when the set-up lapses.
_shared: dict[tuple[object, ...], tuple[float, Setup]] = {}
_shared_lock = threading.Lock()


def setup_of(
    kind: AppointmentType,
    since: dt.datetime,
    until: dt.datetime,
    staff_ids: Iterable[int] | None,
    share: float = 0,
) -> Setup:
    """The search's set-up for the window; with `share`, one made in the last `share`
    seconds for the same type and window, if any (busy time is never shared)."""
    chosen = None if staff_ids is None else sorted(staff_ids)
    if not share:
        return _setup(kind, since, until, chosen)
    key = (kind.pk, kind.version, since, until, None if chosen is None else tuple(chosen))
    clock = time.monotonic()
    with _shared_lock:
        found = _shared.get(key)
    if found is not None and found[0] > clock:
        return found[1]
    setup = _setup(kind, since, until, chosen)
    with _shared_lock:
        for lapsed in [k for k, (ends, _setup_) in _shared.items() if ends <= clock]:
            del _shared[lapsed]
        _shared[key] = (clock + share, setup)
    return setup


def _forget(**kwargs: object) -> None:
    with _shared_lock:
        _shared.clear()


for _model in (
    AppointmentType,
    AvailabilityPattern,
    AvailabilityChange,
    Location,
    Membership,
    OpeningHours,
    Organization,
    Room,
    User,
):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"slots-setup-{_model.__name__}")
    post_delete.connect(_forget, sender=_model, dispatch_uid=f"slots-setup-d-{_model.__name__}")


def _busy(
    kind: AppointmentType,
    staff_ids: Iterable[int],
    room_ids: Iterable[int],
    since: dt.datetime,
    until: dt.datetime,
    now: dt.datetime,
    ignore: Iterable[int],
) -> busy.Owners:
    return busy.staff_and_rooms(
        staff_ids,
        room_ids,
        since,
        until,
        now,
        ignore,
        before=dt.timedelta(minutes=kind.buffer_before_minutes),
        after=dt.timedelta(minutes=kind.buffer_after_minutes),
    )


def load(
    kind: AppointmentType,
    person: Person | None,
    since: dt.datetime,
    until: dt.datetime,
    now: dt.datetime,
    staff_ids: Iterable[int] | None = None,
    ignore: Iterable[int] = (),
    busy_until: dt.datetime | None = None,
    share: float = 0,
) -> SearchData:
    """The search's data for [since, until); the staff's and rooms' busy time only up
    to `busy_until` when given (a first look: see `search`); the set-up part shared
    for `share` seconds (see `setup_of`)."""
    setup = setup_of(kind, since, until, staff_ids, share)
    staff, windows, rooms, locations = setup.staff, setup.windows, setup.rooms, setup.locations
    all_rooms = [r for found in rooms.values() for r in found]
    staff_busy, room_busy = _busy(kind, staff, all_rooms, since, busy_until or until, now, ignore)
    # The person's own appointments and group seats: one query (a UNION, so that each
    # half uses its index).
    person_busy: list[tuple[dt.datetime, dt.datetime]] = []
    if person is not None:
        seats = GroupSeat.objects.filter(person=person, status__in=GroupSeat.TAKEN_STATUSES)
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
        staff_busy=staff_busy,
        person_busy=Busy(person_busy),
        rooms=rooms,
        room_busy=room_busy,
        locations=locations,
        opening=setup.opening,
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


# A free (staff, time, way to meet) before it is ranked: (staff id, start, end, way,
# location id, room id, time zone, walk-in). Only the slots shown become Slot objects.
Raw = tuple[int, dt.datetime, dt.datetime, str, int | None, int | None, str, bool]


def _raw(found: walk.Free) -> Raw:
    staff_id, start, end, way, location_id, room_id, zone_name, walk_in = found
    starts_at = dt.datetime.fromtimestamp(start, dt.UTC)
    ends_at = dt.datetime.fromtimestamp(end, dt.UTC)
    return (staff_id, starts_at, ends_at, way, location_id, room_id, zone_name, walk_in)


def candidates(
    kind: AppointmentType, data: SearchData, since: dt.datetime, until: dt.datetime, wishes: Wishes
) -> Iterator[Raw]:
    """Every free (staff, time, way to meet) in [since, until), unranked."""
    grid = walk.Grid.of(kind)
    for run in walk.runs(kind, data, since, until, wishes, grid):
        for found in walk.free(data, run, grid):
            yield _raw(found)


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
    first_look: dt.timedelta | None = None,
    share: float = 0,
) -> list[Slot]:
    """The best `limit` slots for the person in `days` days from `since` (never in the
    past), best first. Callers have read `person` in the actor's scope.

    With `first_look`, the staff's and rooms' busy time is read for that much of the
    window first, and for the rest only if the best slots might lie there (one query
    more then): the same slots either way, for less reading when the window's start
    holds enough good ones (as for the next best after a refusal). With `share`, the
    set-up part (staff, windows, places: not busy time) may be one made by a search of
    the same window in the last `share` seconds (`setup_of`)."""
    now = now or timezone.now()
    since, ignore = max(since, now), list(ignore)
    until = since + dt.timedelta(days=min(max(days, 1), MAX_DAYS))
    near = until if first_look is None else min(until, since + first_look)
    data = load(kind, person, since, until, now, staff_ids, ignore, busy_until=near, share=share)
    today = now.astimezone(zone(wishes.time_zone)).date()
    name = person.first_name
    scorer = Scorer(wishes, data, name, today)
    read_until = near.timestamp() if near < until else math.inf
    best = walk.best(kind, data, since, until, wishes, scorer, limit, read_until)
    if best is None:
        rooms = [r for found in data.rooms.values() for r in found]
        data.staff_busy, data.room_busy = _busy(kind, data.staff, rooms, since, until, now, ignore)
        best = walk.best(kind, data, since, until, wishes, scorer, limit) or []
    return [rank(to_slot(_raw(found), data), wishes, data, name, today) for found in best]


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
