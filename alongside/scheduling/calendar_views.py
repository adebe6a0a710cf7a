"""The calendar pages: a staff member's, a room's and a team's day or week, and one
appointment as the viewer may see it. Thin: `scheduling.calendar` reads and decides what
each appointment shows; nothing here writes."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.accounts.scope import scope_for
from alongside.lib.views import or_404
from alongside.scheduling import attendance_chart, calendar
from alongside.scheduling.calendar import Calendar, Window
from alongside.scheduling.forms import FIRST_YEAR, LAST_YEAR

NO_CALENDAR = "No such calendar"
VIEWS = ("day", "week")


def _period(request: AuthenticatedHttpRequest, zone_name: str | None = None) -> Window:
    """The day or week asked for (?view=day|week&date=YYYY-MM-DD); today's week when the
    date is missing, not a date, or outside the years 2000 to 9000."""
    zone = calendar.zone_of(zone_name) if zone_name else calendar.organization_zone(request.user)
    view = request.GET.get("view", "week")
    view = view if view in VIEWS else "week"
    today = dt.datetime.now(zone).date()
    try:
        day = dt.date.fromisoformat(request.GET.get("date", "")[:10])
    except ValueError:
        day = today
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        day = today
    return calendar.window(day, view, zone)


def _page(request: AuthenticatedHttpRequest, shown: Calendar, **extra: object) -> HttpResponse:
    today = dt.datetime.now(shown.period.zone).date()
    context = {
        "calendar": shown,
        # The day view from a week: today's when it is in the week, else its first day.
        "day_link": today if today in shown.period.dates else shown.period.first,
        "period": shown.period,
        "view": "week" if shown.period.days == 7 else "day",
        "today": today,
        "zone": str(shown.period.zone),
        "nav": "calendar",
        # Where an organization admin sets scheduling up (types, rooms, availability).
        "setup_org": min(admin_of)
        if (admin_of := scope_for(request.user).admin_organization_ids)
        else None,
        **extra,
    }
    return render(request, "scheduling/calendar/calendar.html", context)


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    return staff(request, request.user.pk)


@login_required
def staff(request: AuthenticatedHttpRequest, user_pk: int) -> HttpResponse:
    member = or_404(lambda: calendar.colleague(request.user, user_pk), NO_CALENDAR)
    shown = calendar.staff_calendar(request.user, member, _period(request))
    return _page(request, shown, owner=member, is_mine=member.pk == request.user.pk)


@login_required
def room(request: AuthenticatedHttpRequest, room_pk: int) -> HttpResponse:
    place = or_404(lambda: calendar.room(request.user, room_pk), NO_CALENDAR)
    period = _period(request, place.location.zone_name)
    return _page(request, calendar.room_calendar(request.user, place, period), place=place)


@login_required
def team(request: AuthenticatedHttpRequest, program_pk: int) -> HttpResponse:
    program = or_404(lambda: calendar.team(request.user, program_pk), NO_CALENDAR)
    shown = calendar.team_calendar(request.user, program, _period(request))
    return _page(request, shown, program=program)


@login_required
def appointment(request: AuthenticatedHttpRequest, appointment_id: int) -> HttpResponse:
    item, shown = or_404(
        lambda: calendar.appointment_detail(request.user, appointment_id), "No such appointment"
    )
    context = {"appointment": item, "shown": shown, "zone": item.time_zone, "nav": "calendar"}
    return render(request, "scheduling/calendar/appointment.html", context)


@login_required
def team_attendance(request: AuthenticatedHttpRequest, program_pk: int) -> HttpResponse:
    """The program's no-show rate and adherence by week, as a chart and a table."""
    program = or_404(lambda: calendar.team(request.user, program_pk), NO_CALENDAR)
    zone = calendar.zone_of(program.organization.time_zone)
    weeks = attendance_chart.program_weeks(program, today=dt.datetime.now(zone).date(), zone=zone)
    context = {
        "program": program,
        "chart": attendance_chart.attendance_chart(weeks),
        "nav": "calendar",
    }
    return render(request, "scheduling/calendar/attendance.html", context)
