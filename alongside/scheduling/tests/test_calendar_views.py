"""The calendar pages: a staff member's, a room's and a team's day and week, scoped to
what the viewer may see; people out of the viewer's scope are "Busy" with no details."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from alongside.audit.models import AuditEvent
from alongside.scheduling import calendar
from alongside.scheduling.models import Appointment, AppointmentType
from alongside.scheduling.tests.factories import (
    ZONE,
    make_location,
    make_room,
    make_type,
)
from alongside.scheduling.tests.views_data import appointment
from conftest import make_person

NY = zoneinfo.ZoneInfo(ZONE)
MONDAY = dt.date(2026, 3, 2)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


@pytest.fixture
def booked(world):
    """Lupe with the coordinator on Tuesday at 10, in Room 1, and someone of the wellness
    program (whom the housing team does not see) with the coordinator on Wednesday."""
    room = make_room(make_location(world))
    kind = make_type(world, name="Housing check-in")
    lupe = appointment(
        world, at(MONDAY + dt.timedelta(days=1), 10), appointment_type=kind, room=room
    )
    stranger = make_person(
        world.colleague, world.wellness, legal_given_name="Zebedee", legal_family_name="Quill"
    )
    hidden = appointment(
        world,
        at(MONDAY + dt.timedelta(days=2), 14),
        appointment_type=make_type(world, name="Wellness intake", program=world.wellness),
        person=stranger,
        program=world.wellness,
        room=room,
    )
    return {"room": room, "lupe": lupe, "hidden": hidden, "kind": kind}


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_it_shows_a_staff_members_week_with_people_they_see_and_busy_for_others(world, booked):
    html = page(world.coordinator, f"/scheduling/calendar/?view=week&date={MONDAY}")
    assert "Lupe" in html and "Housing check-in" in html
    assert "10:00" in html or "10 a.m." in html
    assert "Busy" in html
    assert "Zebedee" not in html and "Quill" not in html and "Wellness intake" not in html
    assert f"/scheduling/calendar/appointments/{booked['lupe'].pk}/" in html
    assert f"/scheduling/calendar/appointments/{booked['hidden'].pk}/" not in html


def test_it_has_headings_navigation_and_a_date_picker(world, booked):
    html = page(world.coordinator, f"/scheduling/calendar/?view=week&date={MONDAY}")
    assert html.count('<th scope="col"') == 7
    assert '<th scope="row"' in html
    assert 'type="date"' in html
    assert f"date={MONDAY - dt.timedelta(days=7)}" in html
    assert f"date={MONDAY + dt.timedelta(days=7)}" in html


def test_a_day_shows_one_column(world, booked):
    day = MONDAY + dt.timedelta(days=1)
    html = page(
        world.coordinator, f"/scheduling/calendar/staff/{world.coordinator.pk}/?view=day&date={day}"
    )
    assert html.count('<th scope="col"') == 1
    assert "Lupe" in html


def test_a_bad_date_or_view_falls_back_to_this_week(world, booked):
    html = page(world.coordinator, "/scheduling/calendar/?view=year&date=2026-13-45")
    assert html.count('<th scope="col"') == 7


def test_a_room_calendar_shows_both_appointments_scoped(world, booked):
    html = page(world.coordinator, f"/scheduling/calendar/rooms/{booked['room'].pk}/")
    html = page(world.coordinator, f"/scheduling/calendar/rooms/{booked['room'].pk}/?date={MONDAY}")
    assert "Lupe" in html and "Busy" in html and "Zebedee" not in html
    assert "America/New_York" in html


def test_a_team_week_lists_members_by_day_and_a_team_day_hours_by_member(world, booked):
    week = page(world.supervisor, f"/scheduling/calendar/teams/{world.housing.pk}/?date={MONDAY}")
    assert "Casey Nguyen" in week and "Lupe" in week and "Zebedee" not in week
    day = MONDAY + dt.timedelta(days=1)
    html = page(
        world.supervisor, f"/scheduling/calendar/teams/{world.housing.pk}/?view=day&date={day}"
    )
    assert "Casey Nguyen" in html and "Lupe" in html


@pytest.mark.parametrize(
    "url",
    [
        "/scheduling/calendar/staff/{coordinator}/",
        "/scheduling/calendar/rooms/{room}/",
        "/scheduling/calendar/teams/{housing}/",
        "/scheduling/calendar/appointments/{lupe}/",
        "/scheduling/calendar/appointments/{lupe}.ics",
        "/scheduling/calendar/staff/9223372036854775808/",
    ],
)
def test_out_of_scope_calendars_are_404(world, booked, url):
    client = Client()
    client.force_login(world.outsider)
    filled = url.format(
        coordinator=world.coordinator.pk,
        room=booked["room"].pk,
        housing=world.housing.pk,
        lupe=booked["lupe"].pk,
    )
    assert client.get(filled).status_code == 404


def test_a_busy_appointment_has_no_page(world, booked):
    client = Client()
    client.force_login(world.coordinator)
    assert (
        client.get(f"/scheduling/calendar/appointments/{booked['hidden'].pk}/").status_code == 404
    )


def test_an_appointment_page_shows_it_and_records_the_read(world, booked):
    item = booked["lupe"]
    html = page(world.scheduler, f"/scheduling/calendar/appointments/{item.pk}/")
    assert "Lupe" in html and "Housing check-in" in html
    assert AuditEvent.objects.filter(
        action="view",
        object_type="scheduling.appointment",
        object_id=str(item.pk),
        person_id=world.person.pk,
        actor_id=world.scheduler.pk,
    ).exists()


def test_a_calendar_read_is_recorded_as_one_list_naming_the_people(world, booked):
    page(world.coordinator, f"/scheduling/calendar/?date={MONDAY}")
    event = AuditEvent.objects.get(action="list", object_type="scheduling.appointment")
    assert event.detail["page"] == "staff calendar"
    assert event.detail["people"] == [world.person.pk]
    assert event.detail["ids"] == [booked["lupe"].pk]


def test_a_sensitive_type_is_neutral_outside_the_care_team(world, booked):
    AppointmentType.objects.filter(pk=booked["lupe"].appointment_type_id).update(sensitive=True)
    assert "Housing check-in" not in page(world.scheduler, f"/scheduling/calendar/?date={MONDAY}")
    html = page(
        world.scheduler, f"/scheduling/calendar/staff/{world.coordinator.pk}/?date={MONDAY}"
    )
    assert "Housing check-in" not in html and "Lupe" in html and "Appointment" in html
    html = page(world.coordinator, f"/scheduling/calendar/?date={MONDAY}")
    assert "Housing check-in" in html


def test_a_daylight_saving_week_keeps_wall_times(world):
    """The week of 8 March 2026 (clocks go forward on Sunday): a 10:00 appointment on
    each side of the change shows at 10:00."""
    week = calendar.window(dt.date(2026, 3, 8), "week", NY)
    assert week.first == dt.date(2026, 3, 2)
    saturday, monday = at(dt.date(2026, 3, 7), 10), at(dt.date(2026, 3, 9), 10)
    appointment(world, saturday)
    appointment(world, monday)
    shown = calendar.staff_calendar(world.coordinator, world.coordinator, week)
    ten = next(r for r in shown.rows if r.hour == 10)
    assert [len(c) for c in ten.cells] == [0, 0, 0, 0, 0, 1, 0]
    following = calendar.window(dt.date(2026, 3, 9), "week", NY)
    shown = calendar.staff_calendar(world.coordinator, world.coordinator, following)
    ten = next(r for r in shown.rows if r.hour == 10)
    assert [len(c) for c in ten.cells] == [1, 0, 0, 0, 0, 0, 0]
    assert following.ends_at - following.starts_at == dt.timedelta(days=7)


def test_cancelled_and_lapsed_holds_are_not_shown(world):
    appointment(world, at(MONDAY, 9), status=Appointment.Status.CANCELLED)
    appointment(
        world,
        at(MONDAY, 11),
        status=Appointment.Status.HELD,
        held_until=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    shown = calendar.staff_calendar(
        world.coordinator, world.coordinator, calendar.window(MONDAY, "week", NY)
    )
    assert shown.count == 0


def test_the_week_page_makes_a_bounded_number_of_queries(
    world, booked, django_assert_max_num_queries
):
    for hour in (12, 13, 15, 16):
        appointment(world, at(MONDAY + dt.timedelta(days=3), hour), appointment_type=booked["kind"])
    client = Client()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(16):
        assert client.get(f"/scheduling/calendar/?date={MONDAY}").status_code == 200
