"""Review fixes to the scheduling pages: showing an appointment records the read; dates
at the ends of the calendar are refused on the form (or fall back to today), never a 500."""

import datetime as dt

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.factories import (
    make_location,
    make_pattern,
    make_type,
    raw_appointment,
)

pytestmark = pytest.mark.django_db

LATER = dt.datetime(2030, 6, 3, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def kind(world):
    appointment_type = make_type(world, modalities=["phone", "in_person", "video"])
    location = make_location(world)
    for weekday in range(7):
        make_pattern(world, weekday=weekday, starts=dt.time(9), ends=dt.time(20), location=location)
    return appointment_type


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.coordinator)
    return client


def _views(appointment):
    return AuditEvent.objects.filter(
        object_type="scheduling.appointment", object_id=str(appointment.pk), action="view"
    ).count()


@pytest.mark.parametrize("name", ["appointment", "cancel", "move"])
def test_showing_an_appointment_records_the_read(signed_in, world, kind, name):
    appointment = raw_appointment(world, LATER, appointment_type=kind)
    response = signed_in.get(reverse(f"scheduling:{name}", args=[appointment.pk]))
    assert response.status_code == 200
    assert _views(appointment) == 1


def test_showing_a_hold_to_confirm_records_the_read(signed_in, world, kind):
    hold = raw_appointment(world, LATER, appointment_type=kind, status="held", held_until=LATER)
    assert signed_in.get(reverse("scheduling:confirm", args=[hold.pk])).status_code == 200
    assert _views(hold) == 1


def test_a_search_near_the_end_of_the_calendar_is_a_field_error(signed_in, world, kind):
    for since in ("9999-12-28", "0001-01-01"):
        response = signed_in.get(
            reverse("scheduling:find", args=[world.person.pk]),
            {"appointment_type": kind.pk, "since": since, "days": 10},
        )
        assert response.status_code == 422
        assert "between" in response.content.decode()


def test_a_slot_at_the_end_of_the_calendar_is_refused_not_a_500(signed_in, world, kind):
    slot = f"{world.coordinator.pk}|9999-12-31T23:30:00+00:00|video||"
    response = signed_in.post(
        reverse("scheduling:hold", args=[world.person.pk]),
        {"slot": slot, "appointment_type": kind.pk},
    )
    assert response.status_code == 302
    assert not Appointment.objects.exists()


def test_moving_to_the_end_of_the_calendar_is_refused_not_a_500(signed_in, world, kind):
    appointment = raw_appointment(world, LATER, appointment_type=kind)
    slot = f"{world.coordinator.pk}|9999-12-31T23:30:00+00:00|video||"
    response = signed_in.post(
        reverse("scheduling:move", args=[appointment.pk]),
        {"slot": slot, "appointment_type": kind.pk, "reason": "later"},
    )
    assert response.status_code == 422
    assert "between the years 2000 and 9000" in response.content.decode()


def test_a_series_at_the_end_of_the_calendar_is_a_field_error(signed_in, world, kind):
    response = signed_in.post(
        reverse("scheduling:series-create", args=[world.person.pk]),
        {
            "appointment_type": kind.pk,
            "first": "9999-12-31T20:00",
            "time_zone": "America/Los_Angeles",
            "modality": "phone",
            "rrule": "FREQ=WEEKLY;COUNT=2",
            "staff": world.coordinator.pk,
        },
    )
    assert response.status_code == 422
    assert "between the years 2000 and 9000" in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("view", ["day", "week"])
@pytest.mark.parametrize("which", ["mine", "room", "team"])
def test_the_calendar_at_the_ends_of_time_shows_today(signed_in, world, day, view, which):
    from alongside.scheduling.tests.factories import make_room

    url = {
        "mine": lambda: reverse("scheduling:calendar"),
        "room": lambda: reverse(
            "scheduling:calendar-room", args=[make_room(make_location(world)).pk]
        ),
        "team": lambda: reverse("scheduling:calendar-team", args=[world.housing.pk]),
    }[which]()
    response = signed_in.get(url, {"date": day, "view": view})
    assert response.status_code == 200


def test_a_sensitive_type_is_neutral_on_the_pages_off_the_care_team(client, world):
    kind = make_type(world, name="Harm reduction", sensitive=True)
    appointment = raw_appointment(world, LATER, appointment_type=kind)
    pages = [
        reverse("scheduling:appointment", args=[appointment.pk]),
        reverse("scheduling:cancel", args=[appointment.pk]),
        reverse("scheduling:person", args=[world.person.pk]),
    ]
    client.force_login(world.scheduler)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert "Harm reduction" not in response.content.decode()
    client.force_login(world.coordinator)
    assert "Harm reduction" in client.get(pages[0]).content.decode()
