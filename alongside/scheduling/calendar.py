"""Reads for the calendar pages: a staff member's, a room's and a team's appointments over
a day or a week, as the viewer may see them.

Whose calendar a viewer may open: a staff member or a room of an organization they work
in, a team (program) they work in or administer; anything else is DoesNotExist (404).
What each appointment shows is decided here, before anything reaches a template: the
person's preferred name, the type and what it is for only when the viewer sees the
person (`Person.objects.visible_to`); otherwise it is "Busy", with its time alone. A type
marked sensitive shows as a neutral "Appointment" to anyone the one sensitivity rule
does not give sensitive details (`Disclosure.sensitive`). Every calendar read that shows
people is recorded as one list event naming them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.organizations.models import Organization, Program
from alongside.scheduling import common, selectors
from alongside.scheduling.models import Appointment, AppointmentType, Room

FIRST_HOUR, LAST_HOUR = 8, 18  # always shown; earlier or later appointments widen the day
SHOWN = (*Appointment.ACTIVE_STATUSES, Appointment.Status.NO_SHOW)


# ---------------------------------------------------------------- the period shown


@dataclass(frozen=True)
class Window:
    """A day or a week (from Monday) in a time zone: its bounds are local midnights, so a
    daylight-saving change makes a 23- or 25-hour day, never a shifted one."""

    zone: zoneinfo.ZoneInfo
    first: dt.date
    days: int

    @property
    def dates(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range(self.days)]

    def midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.zone)

    @property
    def starts_at(self) -> dt.datetime:
        return self.midnight(self.first)

    @property
    def ends_at(self) -> dt.datetime:
        return self.midnight(self.first + dt.timedelta(days=self.days))

    @property
    def previous(self) -> dt.date:
        return self.first - dt.timedelta(days=self.days)

    @property
    def next(self) -> dt.date:
        return self.first + dt.timedelta(days=self.days)


def window(day: dt.date, view: str, zone: zoneinfo.ZoneInfo) -> Window:
    if view == "week":
        return Window(zone, day - dt.timedelta(days=day.weekday()), 7)
    return Window(zone, day, 1)


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# ---------------------------------------------------------------- what an appointment shows


def is_sensitive(kind: AppointmentType) -> bool:
    """Whether a type says what the person is seen for in a way the one sensitivity rule
    keeps to their care team (a type flagged `sensitive`)."""
    return kind.sensitive


@dataclass(frozen=True)
class Shown:
    """One appointment as one viewer may see it."""

    pk: int
    starts_at: dt.datetime  # in the calendar's zone
    ends_at: dt.datetime
    busy: bool  # only that the time is taken
    who: str = ""  # the person's preferred name, or the group session
    what: str = ""  # the type (neutral when sensitive), and what it is for
    where: str = ""
    modality: str = ""
    status: str = ""
    status_label: str = ""
    url: str = ""
    staff_id: int = 0
    person_id: int | None = None

    @property
    def time_range(self) -> str:
        return f"{formats.time_format(self.starts_at)}–{formats.time_format(self.ends_at)}"


class Viewer:
    """What the viewer may see of the appointments on one page, read once (one query):
    those the scheduling selectors give them (`selectors.appointments_for`: people they
    see, in programs they work in, and those programs' group sessions)."""

    def __init__(self, user: Any, appointments: list[Appointment]) -> None:
        self.user = user
        ids = [a.pk for a in appointments]
        self.visible = (
            set(selectors.appointments_for(user).filter(pk__in=ids).values_list("pk", flat=True))
            if ids
            else set()
        )

    def sees(self, item: Appointment) -> bool:
        return item.pk in self.visible

    def names_type(self, item: Appointment) -> bool:
        return names_type(self.user, item)


def names_type(user: Any, item: Appointment) -> bool:
    """Whether the viewer may read the appointment's type (a sensitive one only on the
    person's care team)."""
    return common.names_type(user, item)


def _what(item: Appointment, viewer: Viewer) -> str:
    if not viewer.names_type(item):
        return _("Appointment")
    kind = str(item.appointment_type)
    return f"{kind} · {item.reason}" if item.reason else kind


def show(item: Appointment, viewer: Viewer, zone: zoneinfo.ZoneInfo) -> Shown:
    starts, ends = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
    if not viewer.sees(item):
        return Shown(item.pk, starts, ends, busy=True, staff_id=item.staff_id)
    who = item.person.first_name if item.person is not None else _("Group session")
    where = " · ".join(str(p) for p in (item.location, item.room and item.room.name) if p)
    return Shown(
        pk=item.pk,
        starts_at=starts,
        ends_at=ends,
        busy=False,
        who=who,
        what=_what(item, viewer),
        where=where,
        modality=item.get_modality_display(),
        status=item.status,
        status_label=item.get_status_display(),
        url=reverse("scheduling:calendar-appointment", args=[item.pk]),
        staff_id=item.staff_id,
        person_id=item.person_id,
    )


def loaded(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return appointments.select_related(
        "person", "appointment_type", "location", "room", "staff"
    ).prefetch_related("person__enrollments")


def _in(appointments: QuerySet[Appointment], period: Window) -> list[Appointment]:
    held = Q(status=Appointment.Status.HELD)
    return list(
        loaded(appointments)
        .filter(status__in=SHOWN, starts_at__lt=period.ends_at, ends_at__gt=period.starts_at)
        .exclude(held & Q(held_until__lte=dt.datetime.now(dt.UTC)))
        .order_by("starts_at", "id")
    )


def record_list(user: Any, page: str, organization_id: int, shown: list[Shown]) -> None:
    people = sorted({s.person_id for s in shown if s.person_id is not None})
    if not shown:
        return
    audit.record(
        actor=user,
        action=Action.LIST,
        object_type="scheduling.appointment",
        organization_id=organization_id,
        detail={
            "page": page,
            "count": len(shown),
            "ids": [s.pk for s in shown if not s.busy],
            "people": people,
        },
    )


# ---------------------------------------------------------------- the grid


@dataclass
class Column:
    key: int | dt.date
    heading: str
    sub: str = ""
    current: bool = False

    @property
    def day(self) -> dt.date | None:
        return self.key if isinstance(self.key, dt.date) else None


@dataclass
class Row:
    hour: int
    label: str
    cells: list[list[Shown]] = field(default_factory=list)


@dataclass
class Calendar:
    """What a calendar page shows: a table of hours by columns (days, or a team's
    members on one day), or for a team's week, members by days."""

    title: str
    kind: str  # staff, room or team
    period: Window
    columns: list[Column]
    rows: list[Row]
    count: int
    busy: int
    by_hours: bool = True
    organization_id: int = 0


def _hours(shown: Iterable[Shown]) -> range:
    first, last = FIRST_HOUR, LAST_HOUR
    for item in shown:
        first = min(first, item.starts_at.hour)
        same_day = item.ends_at.date() == item.starts_at.date()
        end_hour = item.ends_at.hour + (1 if item.ends_at.minute else 0) if same_day else 24
        last = max(last, end_hour)
    return range(first, last)


def _hour_label(hour: int) -> str:
    return formats.time_format(dt.time(hour))


def _day_columns(period: Window, today: dt.date) -> list[Column]:
    return [
        Column(
            key=day,
            heading=str(WEEKDAYS[day.weekday()]),
            sub=formats.date_format(day, "MONTH_DAY_FORMAT"),
            current=day == today,
        )
        for day in period.dates
    ]


def _by_hours(columns: list[Column], shown: list[Shown], lane: Any) -> list[Row]:
    index = {c.key: n for n, c in enumerate(columns)}
    rows = [Row(hour, _hour_label(hour), [[] for _ in columns]) for hour in _hours(shown)]
    first = rows[0].hour if rows else 0
    for item in shown:
        column = index.get(lane(item))
        if column is None:
            continue
        row = min(max(item.starts_at.hour - first, 0), len(rows) - 1)
        rows[row].cells[column].append(item)
    return rows


def _grid(title: str, kind: str, period: Window, shown: list[Shown], org: int) -> Calendar:
    today = dt.datetime.now(period.zone).date()
    columns = _day_columns(period, today)
    rows = _by_hours(columns, shown, lambda s: s.starts_at.date())
    busy = sum(1 for s in shown if s.busy)
    return Calendar(title, kind, period, columns, rows, len(shown), busy, organization_id=org)


# ---------------------------------------------------------------- whose calendars


def organization_zone(user: Any) -> zoneinfo.ZoneInfo:
    """The viewer's time zone: their organization's."""
    org_id = scope_for(user).primary_organization_id
    if org_id is None:
        return zone_of("UTC")
    name = Organization.objects.filter(pk=org_id).values_list("time_zone", flat=True).first()
    return zone_of(name or "UTC")


def colleague(user: Any, pk: int) -> User:
    """A staff member of an organization the viewer works in (DoesNotExist otherwise)."""
    orgs = scope_for(user).organization_ids
    staff_ids = Membership.objects.filter(organization_id__in=orgs).values("user_id")
    found: User = get_user_model().objects.filter(pk__in=staff_ids, is_active=True).get(pk=pk)
    return found


def room(user: Any, pk: int) -> Room:
    orgs = scope_for(user).organization_ids
    return Room.objects.select_related("location__organization").get(
        pk=pk, location__organization_id__in=orgs
    )


def team(user: Any, pk: int) -> Program:
    scope = scope_for(user)
    return Program.objects.filter(
        Q(pk__in=scope.program_ids) | Q(organization_id__in=scope.admin_organization_ids)
    ).get(pk=pk)


def members(program: Program) -> list[User]:
    """The team: everyone with a role in the program other than scheduling alone."""
    ids = Membership.objects.filter(program=program).exclude(role=Role.SCHEDULER).values("user_id")
    return list(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("first_name", "last_name", "pk")
    )


def staff_calendar(user: Any, staff: User, period: Window) -> Calendar:
    found = _in(Appointment.objects.filter(staff=staff), period)
    viewer = Viewer(user, found)
    shown = [show(a, viewer, period.zone) for a in found]
    org = scope_for(user).primary_organization_id or 0
    record_list(user, "staff calendar", org, shown)
    return _grid(str(staff), "staff", period, shown, org)


def room_calendar(user: Any, place: Room, period: Window) -> Calendar:
    found = _in(Appointment.objects.filter(room=place), period)
    viewer = Viewer(user, found)
    shown = [show(a, viewer, period.zone) for a in found]
    org = place.location.organization_id
    record_list(user, "room calendar", org, shown)
    return _grid(str(place), "room", period, shown, org)


def team_calendar(user: Any, program: Program, period: Window) -> Calendar:
    """A team's day is hours by members; its week is members by days."""
    people = members(program)
    found = _in(Appointment.objects.filter(staff__in=people), period)
    viewer = Viewer(user, found)
    shown = [show(a, viewer, period.zone) for a in found]
    record_list(user, "team calendar", program.organization_id, shown)
    today = dt.datetime.now(period.zone).date()
    staff_columns = [Column(key=m.pk, heading=str(m), sub=m.pronouns) for m in people]
    busy = sum(1 for s in shown if s.busy)
    if period.days == 1:
        rows = _by_hours(staff_columns, shown, lambda s: s.staff_id)
        return Calendar(
            str(program),
            "team",
            period,
            staff_columns,
            rows,
            len(shown),
            busy,
            organization_id=program.organization_id,
        )
    columns = _day_columns(period, today)
    index = {c.key: n for n, c in enumerate(columns)}
    rows = []
    for member in staff_columns:
        row = Row(hour=0, label=member.heading, cells=[[] for _ in columns])
        for item in shown:
            column = index.get(item.starts_at.date())
            if item.staff_id == member.key and column is not None:
                row.cells[column].append(item)
        rows.append(row)
    return Calendar(
        str(program),
        "team",
        period,
        columns,
        rows,
        len(shown),
        busy,
        by_hours=False,
        organization_id=program.organization_id,
    )


def appointment_detail(user: Any, pk: int) -> tuple[Appointment, Shown]:
    """One appointment the viewer may see in full (DoesNotExist otherwise: a "Busy" block
    links nowhere), its read recorded."""
    item = loaded(Appointment.objects.filter(pk=pk)).get()
    viewer = Viewer(user, [item])
    if not viewer.sees(item):
        raise Appointment.DoesNotExist
    zone = zone_of(item.time_zone)
    shown = show(item, viewer, zone)
    if item.person is not None:
        audit.record_for_person(actor=user, action=Action.VIEW, person=item.person, obj=item)
    else:
        audit.record(actor=user, action=Action.VIEW, obj=item, organization_id=item.organization_id)
    return item, shown
