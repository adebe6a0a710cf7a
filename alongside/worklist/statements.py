"""The worklist's one statement: every reason's rows (`lib.union`), kept for the day.

Building nine reasons' queries with the ORM and compiling them costs more Python than
the database takes to answer them (bench/README.md, "Hub"). The statement depends on
the viewer's scope, whose caseload it reads, the registered reasons, and the moment
`now`: through the day (a review due within 14 days of today, tasks due by the end of
today) or as now plus or minus a duration (appointments from an hour ago, no contact for
30 days). So it is made twice the first time, at `now` and at another moment of the
same local day: a parameter that moved by exactly the difference is `now` plus a fixed
offset, and is put in from each request's `now`; one that stayed put is the day's.

So a reason's `rows` may depend on the viewer's scope, the caseload and `now` only, and
through `now` only as the day or as now plus a duration. What breaks that fails loudly
(`NotKeepable`, naming the reason) with DEBUG on and in the tests of every registered
reason (worklist/tests/test_statements.py), and is logged otherwise, the statement then
built every time (right, slower): a query run while building it (its answer would be
kept for the day as a parameter), or `now` used any other way (its hour, a rounding).

The caseload is one common table (`WITH worklist_caseload`) that every reason reads by
name instead of repeating its scoping subquery: compiled and planned once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from alongside.lib.kept import kept
from alongside.lib.union import Row, Statement, run, together
from alongside.people.contributions import WorklistReason
from alongside.people.models import Person

CASELOAD = "worklist_caseload"
READ_CASELOAD = "SELECT id FROM worklist_caseload"
# The second moment the statement is made at, the same day: odd enough that a query
# rounding `now` (to the hour, the minute) moves by something else and is caught.
SHIFT = dt.timedelta(hours=5, minutes=7, seconds=11, microseconds=13)
LIMIT = 4096

logger = logging.getLogger(__name__)
_MOVED = "its query uses `now` other than as the day or now plus a duration"


class NotKeepable(AssertionError):
    """A reason's query depends on more than the viewer's scope, the caseload and `now`
    as the day or now plus a duration: its statement cannot be kept for the day."""


class _Queried(BaseException):
    """A query run while building a kept reason's own (`_no_query`). Not an Exception: a
    reason's `except Exception` around its query must not swallow it and build on, so
    it passes through to `_keep`, which catches it by name (as KeyboardInterrupt passes
    ordinary handlers); nothing between catches BaseException."""

    def __init__(self, reason: WorklistReason, sql: str) -> None:
        super().__init__(sql)
        self.reason, self.sql = reason, sql


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
    reasons: Sequence[WorklistReason],
    viewer: Any,
    caseload: QuerySet[Person],
    now: dt.datetime,
    guard: Callable[[WorklistReason], Any] | None = None,
) -> Statement | None:
    """The statement at `now`; each reason's query built inside `guard(reason)`."""
    shared = on_caseload()
    # In UTC, so that now minus 3 days is 72 hours whatever the zone's clocks did since.
    now = now.astimezone(dt.UTC)
    queries = []
    for reason in reasons:
        if guard is None:
            queries.append(reason.rows(viewer, shared, now))
            continue
        with guard(reason):
            queries.append(reason.rows(viewer, shared, now))
    return together(queries, {CASELOAD: caseload.values("pk")})


@contextmanager
def _no_query(reason: WorklistReason) -> Iterator[None]:
    """Building a kept reason's query must not run one: its answer would be kept too."""

    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise _Queried(reason, sql)

    with connections[DEFAULT_DB_ALIAS].execute_wrapper(refuse):
        yield


def _unkept(reasons: Sequence[WorklistReason], problem: str) -> _Kept:
    """Not kept: with DEBUG on, an error; otherwise logged, and built every time."""
    names = ", ".join(repr(r.key) for r in reasons)
    message = f"The worklist statement of {names} cannot be kept for the day: {problem}"
    if settings.DEBUG:
        raise NotKeepable(message)
    logger.error(message)
    return _UNKEPT


def _keep(
    reasons: Sequence[WorklistReason], viewer: Any, caseload: QuerySet[Person], now: dt.datetime
) -> _Kept:
    """The statement kept for the day, or `_UNKEPT` (see the module: with DEBUG on,
    `NotKeepable` naming the reasons at fault)."""
    now = now.astimezone(dt.UTC)
    shift = SHIFT if timezone.localtime(now).time() < dt.time(12) else -SHIFT
    try:
        first = _made(reasons, viewer, caseload, now, _no_query)
        second = _made(reasons, viewer, caseload, now + shift, _no_query)
    except _Queried as queried:
        problem = "it ran a query while building its own (kept for the day, the answer"
        return _unkept((queried.reason,), f"{problem} would be too): {queried.sql[:120]}")
    kept = _compare(first, second, now, shift)
    if kept is not _UNKEPT:
        return kept
    # Which of them: each alone, so that the message names the reasons at fault.
    culprits = [
        r
        for r in reasons
        if _compare(*_twice(r, viewer, caseload, now, shift), now, shift) is _UNKEPT
    ]
    return _unkept(culprits or reasons, _MOVED)


def _twice(
    reason: WorklistReason,
    viewer: Any,
    caseload: QuerySet[Person],
    now: dt.datetime,
    shift: dt.timedelta,
) -> tuple[Statement | None, Statement | None]:
    return (
        _made((reason,), viewer, caseload, now),
        _made((reason,), viewer, caseload, now + shift),
    )


def _compare(
    first: Statement | None, second: Statement | None, now: dt.datetime, shift: dt.timedelta
) -> _Kept:
    """The statement made at `now` and at `now + shift` the same day, kept with the
    parameters that are moments (`now` plus an offset), or `_UNKEPT`."""
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
        made = kept(_kept, kept_as, lambda: _keep(reasons, viewer, caseload, now), LIMIT)
        if made is not _UNKEPT:
            params = list(made.statement.params) if made.statement else []
            for slot, offset, as_text in made.moments:
                at = now.astimezone(dt.UTC) + offset
                params[slot] = _adapt(at) if as_text else at
            return run(made.statement, len(reasons), params)
    return run(_made(reasons, viewer, caseload, now), len(reasons))


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    """A setting a reason reads (WORKLIST_NO_CONTACT_DAYS) may change its statement."""
    _kept.clear()
