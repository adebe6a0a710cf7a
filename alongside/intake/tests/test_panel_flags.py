"""The flags the person page shows: open ones, and those closed in the last 30 days by
the database's clock, read in one statement compiled once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.intake.models import UrgentFlag
from alongside.intake.panel import person_flags
from alongside.intake.tests.conftest import Screen
from alongside.intake.tests.test_urgent import SOMETIMES, ahc
from alongside.people.contributions import PanelContext
from alongside.people.sensitivity import RESTRICTED, disclosure_for


@pytest.fixture
def flagged(screen: Screen) -> Any:
    """An AHC screening with a positive safety screen: one urgent flag."""
    return screen("ahc-hrsn-core", ahc([SOMETIMES, SOMETIMES, SOMETIMES, "LA10066-1"]))


def flags_seen_by(viewer: Any, person: Any) -> list[UrgentFlag]:
    return person_flags(PanelContext(viewer, person, disclosure_for(viewer, person)))


def test_closed_flags_show_for_30_days(world: Any, flagged: Any) -> None:
    flag = UrgentFlag.objects.get()
    assert [f.pk for f in flags_seen_by(world.coordinator, world.person)] == [flag.pk]
    disclosure = disclosure_for(world.coordinator, world.person)
    for days, shown in ((29, True), (31, False)):
        UrgentFlag.objects.filter(pk=flag.pk).update(
            acknowledged_at=timezone.now() - dt.timedelta(days=days),
            acknowledged_by=world.coordinator,
        )
        context = PanelContext(world.coordinator, world.person, disclosure)
        with CaptureQueriesContext(connection) as ran:
            seen = person_flags(context)
        assert len(ran.captured_queries) == 1
        assert bool(seen) is shown
        if shown:
            assert not seen[0].is_open
            assert str(seen[0].acknowledged_by) == str(world.coordinator)
            assert seen[0].reason == flag.reason


def test_off_the_care_team_the_reason_is_not_read(world: Any, flagged: Any) -> None:
    disclosure = disclosure_for(world.scheduler, world.person)
    assert not disclosure.sensitive
    with CaptureQueriesContext(connection) as ran:
        [seen] = flags_seen_by(world.scheduler, world.person)
    assert seen.reason == seen.guidance == RESTRICTED
    # Not read at all, not merely blanked after reading.
    flag_reads = [q["sql"] for q in ran.captured_queries if "intake_urgentflag" in q["sql"]]
    assert flag_reads and not any('"reason"' in sql or '"guidance"' in sql for sql in flag_reads), (
        flag_reads
    )
    assert not hasattr(seen, "attempts")
