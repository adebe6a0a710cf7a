"""The worklist's one statement: every reason's rows in one query, the same rows each
reason reads alone, and a statement kept for the day that is what building it again
would give (worklist/statements.py)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from django.utils import timezone

from alongside.people.contributions import WorklistItem, WorklistReason, worklist_reasons
from alongside.people.models import Person
from alongside.worklist import selectors, statements
from alongside.worklist.tests.conftest import crowd
from conftest import make_user

# The morning after the clocks went forward in New York (the tests' TIME_ZONE).
MORNING = timezone.make_aware(dt.datetime(2026, 3, 9, 8, 15, 2, 250))  # noqa: DTZ001


def _key(item: WorklistItem) -> tuple[Any, ...]:
    return (item.reason, item.person_id, item.key, item.text, item.due_at, item.link)


def _crowd(world: Any, flag: Any) -> None:
    """Three more, all but the first contacted 40 days ago or more."""
    crowd(world, flag, 3, lambda n: 40 + n if n else None)


def _caseload_key(viewer: Any) -> tuple[Any, ...]:
    return ("test", viewer.pk)


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "scheduler"])
def test_every_reason_is_read_in_one_query_as_it_reads_alone(
    world, flag, who, django_assert_num_queries
):
    _crowd(world, flag)
    viewer = getattr(world, who)
    caseload = selectors.caseload_of(viewer, world.coordinator)
    now = timezone.now()
    alone = [i for reason in worklist_reasons for i in reason.find(viewer, caseload, now)]
    assert alone  # flags and contacts at least
    with django_assert_num_queries(1):
        together = selectors.find_items(viewer, caseload, now)
    assert sorted(map(_key, together)) == sorted(map(_key, alone))
    # Kept: the same again, later the same day, in one query still.
    key = _caseload_key(viewer)
    first = selectors.find_items(viewer, caseload, now, key=key)
    with django_assert_num_queries(1):
        again = selectors.find_items(viewer, caseload, now, key=key)
    assert sorted(map(_key, first)) == sorted(map(_key, again)) == sorted(map(_key, alone))


@pytest.mark.parametrize("who", ["coordinator", "supervisor"])
@pytest.mark.parametrize("later", [dt.timedelta(minutes=1), dt.timedelta(hours=13, seconds=7)])
def test_a_kept_statement_is_what_building_it_again_gives(world, who, later):
    viewer = getattr(world, who)
    caseload = selectors.caseload_of(viewer, world.coordinator)
    reasons = tuple(worklist_reasons)
    kept = statements._keep(reasons, viewer, caseload, MORNING)
    assert kept is not statements._UNKEPT and kept.statement is not None
    assert kept.moments  # some reasons count from now (appointments from an hour ago)
    at = MORNING + later
    fresh = statements._made(reasons, viewer, caseload, at)
    assert fresh is not None
    params = list(kept.statement.params)
    for slot, offset, as_text in kept.moments:
        moment = at.astimezone(dt.UTC) + offset
        params[slot] = statements._adapt(moment) if as_text else moment
    assert (kept.statement.sql, tuple(params)) == (fresh.sql, fresh.params)


def test_a_reason_that_reads_the_hour_is_built_every_time(world, flag):
    flag(world.person)

    def this_hour(viewer: Any, caseload: Any, now: dt.datetime) -> Any:
        return Person.objects.filter(
            pk__in=caseload, created_at__gte=now.replace(minute=0, second=0, microsecond=0)
        ).values("pk", "created_at")

    def items(viewer: Any, rows: Any, now: dt.datetime) -> list[WorklistItem]:
        return [
            WorklistItem(row["pk"], "test.hour", "registered this hour", row["created_at"])
            for row in rows
        ]

    hourly = WorklistReason(key="test.hour", label="", rows=this_hour, items=items)
    caseload = selectors.caseload_of(world.coordinator)
    assert statements._keep((hourly,), world.coordinator, caseload, MORNING) is statements._UNKEPT
    now = timezone.now()
    [rows] = statements.rows((hourly,), world.coordinator, caseload, now, key="hour")
    assert [r["pk"] for r in rows] == [world.person.pk]
    assert isinstance(rows[0]["created_at"], dt.datetime) and rows[0]["created_at"].tzinfo


def test_nobody_to_see_is_no_query(world, django_assert_num_queries):
    newcomer = make_user("new")  # no program yet: sees nobody
    caseload = selectors.caseload_of(newcomer)
    with django_assert_num_queries(0):
        assert selectors.find_items(newcomer, caseload, timezone.now()) == []


EVENING = MORNING.replace(hour=21, minute=47)


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "scheduler"])
@pytest.mark.parametrize("now", [MORNING, EVENING])
def test_every_registered_reason_can_be_kept(world, flag, settings, who, now):
    """With DEBUG on, a reason whose query depends on more than the viewer's scope, the
    caseload and now (a query run while building it, now's hour, the clock) raises."""
    _crowd(world, flag)
    settings.DEBUG = True
    viewer = getattr(world, who)
    caseload = selectors.caseload_of(viewer, world.coordinator)
    assert len(worklist_reasons) >= 8
    for reason in worklist_reasons:
        kept = statements._keep((reason,), viewer, caseload, now)
        assert kept is not statements._UNKEPT, reason.key
    kept = statements._keep(tuple(worklist_reasons), viewer, caseload, now)
    assert kept is not statements._UNKEPT


def _reason(key: str, rows: Any) -> WorklistReason:
    def items(viewer: Any, found: Any, now: dt.datetime) -> list[WorklistItem]:
        return [WorklistItem(row["pk"], key, "registered", row["created_at"]) for row in found]

    return WorklistReason(key=key, label="", rows=rows, items=items)


def _this_hour(viewer: Any, caseload: Any, now: dt.datetime) -> Any:
    hour = now.replace(minute=0, second=0, microsecond=0)
    return caseload.filter(created_at__gte=hour).values("pk", "created_at")


def _by_the_clock(viewer: Any, caseload: Any, now: dt.datetime) -> Any:
    return caseload.filter(created_at__lte=timezone.now()).values("pk", "created_at")


def _asks_first(viewer: Any, caseload: Any, now: dt.datetime) -> Any:
    newest = Person.objects.order_by("-created_at").values_list("created_at", flat=True)[0]
    return caseload.filter(created_at__lte=newest).values("pk", "created_at")


def _asks_first_carelessly(viewer: Any, caseload: Any, now: dt.datetime) -> Any:
    """Runs a query while building its own, in a handler that swallows any Exception."""
    try:
        return _asks_first(viewer, caseload, now)
    except Exception:  # noqa: BLE001 - what a careless reason does
        return caseload.values("pk", "created_at")


BREACHES = [
    (_this_hour, "uses `now` other than as the day or now plus a duration"),
    (_by_the_clock, "uses `now` other than as the day or now plus a duration"),
    (_asks_first, "ran a query while building its own"),
    (_asks_first_carelessly, "ran a query while building its own"),
]


@pytest.mark.parametrize(("rows", "problem"), BREACHES)
def test_a_reason_that_cannot_be_kept_fails_loudly_with_debug(world, flag, settings, rows, problem):
    flag(world.person)
    settings.DEBUG = True
    caseload = selectors.caseload_of(world.coordinator)
    breach = _reason("test.breach", rows)
    with pytest.raises(statements.NotKeepable, match=rf"'test\.breach'.*{re.escape(problem)}"):
        statements._keep((breach,), world.coordinator, caseload, MORNING)
    # Among every registered reason it is the one named.
    reasons = (*worklist_reasons, breach)
    with pytest.raises(statements.NotKeepable, match=r"statement of 'test\.breach' cannot"):
        statements._keep(reasons, world.coordinator, caseload, MORNING)


@pytest.mark.parametrize(("rows", "problem"), BREACHES)
def test_without_debug_it_is_logged_and_built_every_time(world, flag, caplog, rows, problem):
    flag(world.person)
    caseload = selectors.caseload_of(world.coordinator)
    breach = _reason("test.breach", rows)
    with caplog.at_level(logging.ERROR, logger="alongside.worklist.statements"):
        kept = statements._keep((breach,), world.coordinator, caseload, MORNING)
    assert kept is statements._UNKEPT
    assert "'test.breach'" in caplog.text and problem in caplog.text
    # Read right all the same: built at each request's moment, what its query reads.
    now = timezone.now()
    [found] = statements.rows((breach,), world.coordinator, caseload, now, key="b")
    expected = rows(world.coordinator, caseload, now.astimezone(dt.UTC))
    assert world.person.pk in [r["pk"] for r in found]
    assert sorted(r["pk"] for r in found) == sorted(r["pk"] for r in expected)
