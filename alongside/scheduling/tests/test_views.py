"""The scheduling pages: find a time honouring preferences, hold, confirm, move, cancel
with a reason, attendance, waitlist and series forms; out of scope is 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.scheduling.models import Appointment, SchedulingPreference
from alongside.scheduling.tests.factories import make_location, make_pattern, make_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind(world):
    appointment_type = make_type(world, modalities=["phone", "in_person"])
    location = make_location(world)
    for weekday in range(7):
        make_pattern(world, weekday=weekday, starts=dt.time(9), ends=dt.time(20), location=location)
    return appointment_type


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.coordinator)
    return client


def _search(client, world, kind, **extra):
    query = {
        "appointment_type": kind.pk,
        "since": timezone.localdate() + dt.timedelta(days=1),
        "days": 3,
    } | extra
    return client.get(reverse("scheduling:find", args=[world.person.pk]), query)


def _first_slot(page: str) -> str:
    start = page.index('name="slot"')
    value = page.index('value="', start) + len('value="')
    return page[value : page.index('"', value)]


def test_it_finds_evening_phone_times_first_and_says_why(signed_in, world, kind):
    page = _search(
        signed_in, world, kind, evenings_ok="on", preferred_modality="phone"
    ).content.decode()
    assert "evening, as Lupe prefers" in page
    assert "phone, as Lupe prefers" in page
    assert "Lupe&#x27;s coordinator" in page or "Lupe's coordinator" in page


def test_hold_then_confirm_books_it(signed_in, world, kind):
    slot = _first_slot(_search(signed_in, world, kind).content.decode())
    held = signed_in.post(
        reverse("scheduling:hold", args=[world.person.pk]),
        {"slot": slot, "appointment_type": kind.pk},
    )
    appointment = Appointment.objects.get()
    assert held.url == reverse("scheduling:confirm", args=[appointment.pk])
    assert appointment.status == "held"
    booked = signed_in.post(held.url, {"reason": "housing forms"})
    assert booked.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.status, appointment.reason) == ("booked", "housing forms")


def test_a_taken_slot_answers_409_with_other_times(signed_in, world, kind):
    from conftest import make_person

    slot = _first_slot(_search(signed_in, world, kind).content.decode())
    ana = make_person(world.coordinator, world.housing, legal_given_name="Ana")
    signed_in.post(
        reverse("scheduling:hold", args=[ana.pk]), {"slot": slot, "appointment_type": kind.pk}
    )
    response = signed_in.post(
        reverse("scheduling:hold", args=[world.person.pk]),
        {"slot": slot, "appointment_type": kind.pk},
    )
    assert response.status_code == 409
    assert "just taken" in response.content.decode()


def test_cancel_needs_a_reason_and_attendance_is_recorded(signed_in, world, kind):
    slot = _first_slot(_search(signed_in, world, kind).content.decode())
    signed_in.post(
        reverse("scheduling:hold", args=[world.person.pk]),
        {"slot": slot, "appointment_type": kind.pk},
    )
    appointment = Appointment.objects.get()
    signed_in.post(reverse("scheduling:confirm", args=[appointment.pk]), {"reason": ""})
    refused = signed_in.post(reverse("scheduling:cancel", args=[appointment.pk]), {"reason": ""})
    assert refused.status_code == 422
    page = signed_in.get(reverse("scheduling:appointment", args=[appointment.pk])).content.decode()
    assert "Attendance" in page
    done = signed_in.post(
        reverse("scheduling:cancel", args=[appointment.pk]), {"reason": "found work", "version": 2}
    )
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.status, appointment.status_reason) == ("cancelled", "found work")


def test_preferences_are_saved_and_prefill_the_search(signed_in, world, kind):
    signed_in.post(
        reverse("scheduling:preferences", args=[world.person.pk]),
        {
            "evenings_ok": "on",
            "preferred_modality": "phone",
            "weekdays": [1, 3],
            "time_zone": "America/Chicago",
        },
    )
    preference = SchedulingPreference.objects.get(person=world.person)
    assert (preference.evenings_ok, preference.weekdays, preference.time_zone) == (
        True,
        [1, 3],
        "America/Chicago",
    )
    page = signed_in.get(reverse("scheduling:find", args=[world.person.pk])).content.decode()
    assert 'value="America/Chicago"' in page


def test_a_series_with_a_rule_that_never_ends_is_refused_on_the_form(signed_in, world, kind):
    response = signed_in.post(
        reverse("scheduling:series-create", args=[world.person.pk]),
        {
            "appointment_type": kind.pk,
            "staff": world.coordinator.pk,
            "first": "2031-03-03T10:00",
            "time_zone": "America/New_York",
            "modality": "phone",
            "rrule": "FREQ=WEEKLY",
        },
    )
    assert response.status_code == 422
    assert "Say when the series ends" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("name", ["find", "person", "waitlist-join", "series-create"])
def test_pages_render_for_the_team(signed_in, world, kind, name):
    assert signed_in.get(reverse(f"scheduling:{name}", args=[world.person.pk])).status_code == 200


def test_someone_out_of_scope_is_not_found(client, world, kind):
    client.force_login(world.outsider)
    assert client.get(reverse("scheduling:find", args=[world.person.pk])).status_code == 404
    assert client.get("/scheduling/appointments/99999999999999999999/").status_code == 404
