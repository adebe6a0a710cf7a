"""The staff's and the rooms' busy time in a search's window, read in one query.

On PostgreSQL the database merges each staff member's and each room's appointments into
runs of busy time (`range_agg`), so only those runs cross the wire, as POSIX seconds. It
finds them through the exclusion constraints' GiST indexes (migration 0002), one index
scan per staff member or room, and the few overbooked rows (which those indexes leave
out, and which still block the time) through their own small indexes (migration 0008).
Elsewhere (SQLite) the rows are read through the ORM and merged in Python. Both give the
same `Busy` per staff member and room."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from alongside.scheduling.availability import Busy
from alongside.scheduling.models import Appointment

# How far past the window's edges busy time is read at least (further for a type whose
# own buffers reach further: see `staff_and_rooms`).
MARGIN = dt.timedelta(hours=4)
ACTIVE = [str(s) for s in Appointment.ACTIVE_STATUSES]
# Written out as the constraints' own predicate is, so that the planner sees it implied.
_ACTIVE_SQL = "(" + ", ".join(f"'{s}'" for s in ACTIVE) + ")"

# One arm per kind of owner: `{owner}` is the column, `[{start}, {end})` its time, as in
# the exclusion constraint's index expression (which the planner must recognise).
_ARM = """
    SELECT '{kind}' AS kind, o.id, a.{start} AS f, a.{end} AS u
    FROM unnest(%(ids_{kind})s::bigint[]) AS o(id)
    CROSS JOIN LATERAL (
        SELECT {start}, {end}, status, held_until, id FROM scheduling_appointment
        WHERE {owner} = o.id AND status IN {active} AND NOT overbooked
          AND tstzrange({start}, {end}, '[)') && tstzrange(%(lo)s, %(hi)s, '[)')
        UNION ALL
        SELECT {start}, {end}, status, held_until, id FROM scheduling_appointment
        WHERE {owner} = o.id AND overbooked AND status IN {active}
          AND {start} < %(hi)s AND {end} > %(lo)s
    ) AS a
    WHERE NOT (a.status = 'held' AND a.held_until <= %(now)s)
      AND a.id <> ALL(%(ignore)s::bigint[])
"""
_STAFF = _ARM.format(
    kind="s", owner="staff_id", start="blocks_from", end="blocks_until", active=_ACTIVE_SQL
)
_ROOMS = _ARM.format(
    kind="r", owner="room_id", start="starts_at", end="ends_at", active=_ACTIVE_SQL
)
_MERGED = (
    "SELECT kind, id, EXTRACT(EPOCH FROM lower(r))::float8, EXTRACT(EPOCH FROM upper(r))::float8 "  # noqa: S608 - constants only
    f"FROM (SELECT kind, id, unnest(range_agg(tstzrange(f, u, '[)'))) AS r FROM ({_STAFF} "
    f"UNION ALL {_ROOMS}) AS hits GROUP BY kind, id) AS merged"
)


Owners = tuple[dict[int, Busy], dict[int, Busy]]


def staff_and_rooms(
    staff_ids: Iterable[int],
    room_ids: Iterable[int],
    since: dt.datetime,
    until: dt.datetime,
    now: dt.datetime,
    ignore: Iterable[int] = (),
    *,
    before: dt.timedelta = MARGIN,
    after: dt.timedelta = MARGIN,
) -> Owners:
    """Each staff member's busy time (with the buffers: `blocks_from`..`blocks_until`)
    and each room's (`starts_at`..`ends_at`) near [since, until): active appointments,
    overbooked ones too, less lapsed holds and the appointments in `ignore`. `before`
    and `after` are the searched type's buffers: a slot's buffers reach that far past
    the window, so busy time is read at least that far (never less than MARGIN)."""
    staff_ids, room_ids, ignore = list(staff_ids), list(room_ids), list(ignore)
    lo, hi = since - max(MARGIN, before), until + max(MARGIN, after)
    if connection.vendor == "postgresql":
        return _merged_by_postgres(staff_ids, room_ids, lo, hi, now, ignore)
    rows = (
        Appointment.objects.filter(
            Q(status__in=ACTIVE) & ~Q(status="held", held_until__lte=now),
            Q(staff_id__in=staff_ids) | Q(room_id__in=room_ids),
            blocks_from__lt=hi,
            blocks_until__gt=lo,
        )
        .exclude(pk__in=ignore)
        .values_list("staff_id", "room_id", "starts_at", "ends_at", "blocks_from", "blocks_until")
    )
    staff: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    rooms: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    wanted = set(staff_ids)
    for staff_id, room_id, starts, ends, b_from, b_until in rows.order_by():
        if staff_id in wanted:
            staff[staff_id].append((b_from, b_until))
        if room_id is not None:
            rooms[room_id].append((starts, ends))
    return {k: Busy(v) for k, v in staff.items()}, {k: Busy(v) for k, v in rooms.items()}


def _merged_by_postgres(
    staff_ids: list[int],
    room_ids: list[int],
    lo: dt.datetime,
    hi: dt.datetime,
    now: dt.datetime,
    ignore: list[int],
) -> Owners:
    params: dict[str, Any] = {
        "ids_s": staff_ids,
        "ids_r": room_ids,
        "lo": lo,
        "hi": hi,
        "now": now,
        "ignore": ignore,
    }
    found: dict[str, dict[int, list[tuple[float, float]]]] = {
        "s": defaultdict(list),
        "r": defaultdict(list),
    }
    with connection.cursor() as cursor:
        cursor.execute(_MERGED, params)
        for kind, owner, start, end in cursor.fetchall():
            found[kind][owner].append((start, end))
    staff, rooms = found["s"], found["r"]
    return (
        {k: Busy.of_seconds(v) for k, v in staff.items()},
        {k: Busy.of_seconds(v) for k, v in rooms.items()},
    )


# Live appointments of a staff member, a room or a person overlapping a time (with the
# buffers): the staff member's through the exclusion constraint's index and the
# overbooked rows' own, the room's and the person's through theirs.
_STAFF_OVERLAP = f"""
    SELECT id FROM scheduling_appointment
    WHERE staff_id = %s AND status IN {_ACTIVE_SQL} AND NOT overbooked
      AND tstzrange(blocks_from, blocks_until, '[)') && tstzrange(%s, %s, '[)')
    UNION ALL
    SELECT id FROM scheduling_appointment
    WHERE staff_id = %s AND overbooked AND status IN {_ACTIVE_SQL}
      AND blocks_from < %s AND blocks_until > %s
"""  # noqa: S608 - constants only
_OTHER_OVERLAP = f"""
    UNION ALL
    SELECT id FROM scheduling_appointment
    WHERE {{owner}} = %s AND status IN {_ACTIVE_SQL} AND blocks_from < %s AND blocks_until > %s
"""  # noqa: S608 - constants only


def overlapping(
    staff_id: int,
    room_id: int | None,
    person_id: int | None,
    starts: dt.datetime,
    ends: dt.datetime,
) -> Q:
    """Active appointments of the staff member, the room or the person whose time with
    buffers (`blocks_from`..`blocks_until`) overlaps [starts, ends): on PostgreSQL found
    through the indexes rather than by reading the staff member's whole history."""
    owners = [("room_id", room_id), ("person_id", person_id)]
    if connection.vendor != "postgresql":
        who = Q(staff_id=staff_id)
        for column, value in owners:
            if value:
                who |= Q(**{column: value})
        return who & Q(status__in=ACTIVE, blocks_from__lt=ends, blocks_until__gt=starts)
    sql, params = _STAFF_OVERLAP, [staff_id, starts, ends, staff_id, ends, starts]
    for column, value in owners:
        if value:
            sql += _OTHER_OVERLAP.format(owner=column)
            params += [value, ends, starts]
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 - constant text, bound values
