"""The worklist's one statement: every reason's rows (`lib.union`), kept for the day.

Building nine reasons' queries with the ORM and compiling them costs more Python than
the database takes to answer them (bench/README.md, "Hub"). The statement depends on
the viewer's scope, whose caseload it reads, the registered reasons, and the moment
`now`: through the day (a review due within 14 days of today, tasks due by the end of
today) or as now plus or minus a duration (appointments from an hour ago, no contact for
30 days). So it is made twice the first time, at `now` and at another moment of the
same local day: a parameter that moved by exactly the difference is `now` plus a fixed
offset, and is put in from each request's `now`; one that stayed put is the day's. A
reason whose query uses `now` any other way (its hour, a rounding) is caught there, and
the worklist then builds its statement every time, as before.

The caseload is one common table (`WITH worklist_caseload`) that every reason reads by
name instead of repeating its scoping subquery: compiled and planned once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from alongside.lib.union import Row, Statement, run, together
from alongside.people.contributions import WorklistReason
from alongside.people.models import Person

CASELOAD = "worklist_caseload"
READ_CASELOAD = "SELECT id FROM worklist_caseload"
# The second moment the statement is made at, the same day: odd enough that a query
# rounding `now` (to the hour, the minute) moves by something else and is caught.
SHIFT = dt.timedelta(hours=5, minutes=7, seconds=11, microseconds=13)
LIMIT = 4096


@dataclass(frozen=True)
class _Kept:
    statement: Statement | None  # None: nothing to read
    # (parameter, offset from now, whether the database takes it as text: SQLite)
    moments: tuple[tuple[int, dt.timedelta, bool], ...]


_UNKEPT = _Kept(None, ())
_kept: dict[Hashable, _Kept] = {}


def on_caseload() -> QuerySet[Person]:
    """The caseload as each reason's query reads it: the statement's common table."""
    return Person.objects.filter(pk__in=RawSQL(READ_CASELOAD, ()))  # noqa: S611 (a constant)


def _made(
    reasons: Sequence[WorklistReason], viewer: Any, caseload: QuerySet[Person], now: dt.datetime
) -> Statement | None:
    shared = on_caseload()
    # In UTC, so that now minus 3 days is 72 hours whatever the zone's clocks did since.
    now = now.astimezone(dt.UTC)
    queries = [reason.rows(viewer, shared, now) for reason in reasons]
    return together(queries, {CASELOAD: caseload.values("pk")})


def _keep(
    reasons: Sequence[WorklistReason], viewer: Any, caseload: QuerySet[Person], now: dt.datetime
) -> _Kept:
    now = now.astimezone(dt.UTC)
    shift = SHIFT if timezone.localtime(now).time() < dt.time(12) else -SHIFT
    first = _made(reasons, viewer, caseload, now)
    second = _made(reasons, viewer, caseload, now + shift)
    if first is None or second is None:
        return _Kept(None, ()) if first is second else _UNKEPT
    if first.sql != second.sql or len(first.params) != len(second.params):
        return _UNKEPT
    # On SQLite a moment is a parameter as text in UTC, so its offset is from now's text.
    base = _moment(_adapt(now)) or now
    moments = []
    for slot, (one, other) in enumerate(zip(first.params, second.params, strict=True)):
        if one == other:
            continue
        at, then = _moment(one), _moment(other)
        if at is None or then is None or then - at != shift:
            return _UNKEPT
        as_text = isinstance(one, str)
        moments.append((slot, at - (base if as_text else now), as_text))
    return _Kept(first, tuple(moments))


def _adapt(moment: dt.datetime) -> Any:
    return connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(moment)


def _moment(value: Any) -> dt.datetime | None:
    """A parameter that is a moment: a datetime, or on SQLite the text it was made."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return parse_datetime(value)
        except ValueError:
            return None
    return None


def rows(
    reasons: Sequence[WorklistReason],
    viewer: Any,
    caseload: QuerySet[Person],
    now: dt.datetime,
    key: Hashable | None,
) -> list[list[Row]]:
    """Each reason's rows for the caseload, in one statement; kept for the day under
    `key` (everything the caseload's SQL depends on), with the reasons' keys and the
    local day and time zone added."""
    if key is not None:
        today = timezone.localdate(now)
        kept_as = (key, tuple(r.key for r in reasons), today, timezone.get_current_timezone_name())
        # Read once into a local: another thread may clear the dict at LIMIT meanwhile.
        kept = _kept.get(kept_as)
        if kept is None:
            if len(_kept) >= LIMIT:
                _kept.clear()
            kept = _kept[kept_as] = _keep(reasons, viewer, caseload, now)
        if kept is not _UNKEPT:
            params = list(kept.statement.params) if kept.statement else []
            for slot, offset, as_text in kept.moments:
                at = now.astimezone(dt.UTC) + offset
                params[slot] = _adapt(at) if as_text else at
            return run(kept.statement, len(reasons), params)
    return run(_made(reasons, viewer, caseload, now), len(reasons))


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    """A setting a reason reads (WORKLIST_NO_CONTACT_DAYS) may change its statement."""
    _kept.clear()
