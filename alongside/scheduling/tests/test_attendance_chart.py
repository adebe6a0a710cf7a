"""A program's no-show rate and adherence by week: counted in the database, drawn as an
SVG chart with the numbers in a table behind it, for the program's staff only."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from alongside.scheduling import attendance_chart
from alongside.scheduling.models import Appointment, GroupSeat
from alongside.scheduling.tests.factories import ZONE, make_type
from alongside.scheduling.tests.views_data import appointment

NY = zoneinfo.ZoneInfo(ZONE)
TODAY = dt.date(2026, 3, 12)  # a Thursday; the week of 9 March is the last one
S = Appointment.Status


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=NY)


@pytest.fixture
def outcomes(world):
    last_week = dt.date(2026, 3, 2)
    this_week = dt.date(2026, 3, 9)
    for hour, status in enumerate([S.COMPLETED, S.COMPLETED, S.ARRIVED, S.NO_SHOW], start=9):
        appointment(world, at(last_week, hour), status=status)
    appointment(world, at(last_week + dt.timedelta(days=1), 9), status=S.CANCELLED)
    appointment(world, at(this_week, 9), status=S.NO_SHOW)
    appointment(world, at(this_week, 11), status=S.LATE_CANCELLED)
    group = make_type(world, name="Peer group", is_group=True, capacity=8)
    session = appointment(
        world, at(this_week + dt.timedelta(days=1), 18), person=None, appointment_type=group
    )
    GroupSeat.objects.create(appointment=session, person=world.person, status="completed")


def test_it_counts_outcomes_by_week(world, outcomes):
    weeks = attendance_chart.program_weeks(world.housing, today=TODAY, zone=NY)
    assert len(weeks) == attendance_chart.WEEKS
    assert weeks[-1].starts_on == dt.date(2026, 3, 9)
    last, this = weeks[-2], weeks[-1]
    assert (last.attended, last.no_shows, last.late_cancellations, last.cancelled) == (3, 1, 0, 1)
    assert last.no_show_rate == 25 and last.adherence == 75
    assert (this.attended, this.no_shows, this.late_cancellations) == (1, 1, 1)
    assert weeks[0].due == 0 and weeks[0].no_show_rate is None


def test_the_chart_says_in_words_what_it_draws(world, outcomes):
    chart = attendance_chart.attendance_chart(
        attendance_chart.program_weeks(world.housing, today=TODAY, zone=NY)
    )
    assert chart.summary.startswith("Over 12 weeks from")
    assert "7 appointments were due: 57% kept and 29% missed without notice" in chart.summary
    assert len(chart.no_shows) == len(chart.adherence) == 2
    assert all(chart.top <= m.y <= chart.bottom for m in chart.no_shows + chart.adherence)


def test_with_nothing_due_it_says_so(world):
    chart = attendance_chart.attendance_chart(
        attendance_chart.program_weeks(world.housing, today=TODAY, zone=NY)
    )
    assert chart.summary == "No appointments were due in these 12 weeks."
    assert chart.no_shows == []


def test_the_page_has_the_chart_and_the_table(world, outcomes):
    client = Client()
    client.force_login(world.supervisor)
    response = client.get(f"/scheduling/calendar/teams/{world.housing.pk}/attendance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="trend-chart attendance-chart" role="img"' in html
    assert "<caption>Attendance by week, oldest first</caption>" in html
    assert "Guadalupe" not in html and "Lupe" not in html


def test_it_is_404_outside_the_program(world):
    client = Client()
    client.force_login(world.colleague)
    assert (
        client.get(f"/scheduling/calendar/teams/{world.housing.pk}/attendance/").status_code == 404
    )
