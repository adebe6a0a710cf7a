"""The scheduling API: types, `$find` slots with reasons, `$book` with and without a hold,
confirm, reschedule, cancel and attendance, FHIR; scoped (404 out of scope), audited,
and its refusals structured (409 slot_taken with the next best slots)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle

from alongside.api.tests.conftest import assert_error
from alongside.audit.models import AuditEvent
from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.services_helpers import NY, bookable

pytestmark = pytest.mark.django_db


def next_monday(hour: int = 10) -> dt.datetime:
    """A Monday at least a week ahead, so nothing here depends on today's date."""
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday() + 7)
    return dt.datetime.combine(monday, dt.time(hour), tzinfo=NY)


@pytest.fixture
def kind(world):
    return bookable(world)


def book_body(world, kind, starts_at=None, **extra):
    return {
        "appointment_type_id": kind.pk,
        "staff_id": world.coordinator.pk,
        "starts_at": (starts_at or next_monday()).isoformat(),
        "modality": "phone",
    } | extra


def test_it_lists_the_types_for_a_person(world, kind, api_as):
    response = api_as(world.coordinator).get(f"/people/{world.person.pk}/appointment-types")
    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == kind.pk and item["modalities"] == ["phone", "in_person"]


def test_find_ranks_slots_with_reasons(world, kind, api_as):
    views = AuditEvent.objects.filter(action="view", person_id=world.person.pk)
    before = views.count()
    response = api_as(world.coordinator).get(
        f"/people/{world.person.pk}/slots",
        {
            "appointment_type_id": kind.pk,
            "since": next_monday(0).isoformat(),
            "days": 3,
            "limit": 5,
        },
    )
    assert response.status_code == 200, response.content
    slots = response.json()
    assert 0 < len(slots) <= 5
    assert slots == sorted(slots, key=lambda s: -s["score"])
    assert all(s["reasons"] for s in slots[:1])
    assert slots[0]["staff_id"] == world.coordinator.pk  # their own coordinator first
    assert views.count() == before + 1
    first = api_as(world.coordinator).get(f"/people/{world.person.pk}/slots")
    assert first.status_code == 200 and first.json()
    unknown = api_as(world.coordinator).get(
        f"/people/{world.person.pk}/slots", {"appointment_type_id": 999999}
    )
    assert_error(unknown, 404, "not_found")


def test_find_as_fhir_is_a_valid_bundle(world, kind, api_as):
    response = api_as(world.coordinator).get(
        f"/people/{world.person.pk}/slots/fhir",
        {
            "appointment_type_id": kind.pk,
            "since": next_monday(0).isoformat(),
            "days": 2,
            "limit": 3,
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle: Any = Bundle.model_validate(response.json())
    types = {e.resource.get_resource_type() for e in bundle.entry}
    assert types == {"Schedule", "Slot"} and bundle.total == 3


def test_book_then_the_same_slot_is_taken_with_next_best(world, kind, api_as):
    api = api_as(world.coordinator)
    first = api.post(f"/people/{world.person.pk}/appointments", book_body(world, kind))
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "booked" and first["ETag"] == '"1"'
    assert first["Location"] == f"/api/v1/appointments/{body['id']}"
    other = world.supervisor
    again = api_as(other).post(
        f"/people/{world.person.pk}/appointments", book_body(world, kind, staff_id=other.pk)
    )
    error = assert_error(again, 409, "slot_taken")
    assert error["blocking"] and "Lupe" not in error["blocking"]
    assert error["next_best"] and {"starts_at", "reasons"} <= set(error["next_best"][0])
    assert Appointment.objects.filter(person=world.person).count() == 1


def test_hold_then_confirm(world, kind, api_as):
    api = api_as(world.coordinator)
    held = api.post(f"/people/{world.person.pk}/appointments", book_body(world, kind, hold=True))
    assert held.status_code == 201 and held.json()["status"] == "held"
    pk = held.json()["id"]
    assert_error(api.post(f"/appointments/{pk}/confirm", {}), 428, "precondition_required")
    done = api.post(f"/appointments/{pk}/confirm", {"version": 1})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "booked"


def test_reschedule_cancel_and_attendance(world, kind, api_as):
    api = api_as(world.coordinator)
    pk = api.post(f"/people/{world.person.pk}/appointments", book_body(world, kind)).json()["id"]
    moved = api.post(
        f"/appointments/{pk}/reschedule",
        {
            "staff_id": world.coordinator.pk,
            "starts_at": next_monday(14).isoformat(),
            "modality": "phone",
            "reason": "Their shift changed",
            "version": 1,
        },
    )
    assert moved.status_code == 200, moved.content
    new = moved.json()
    assert new["rescheduled_from_id"] == pk and new["id"] != pk
    assert Appointment.objects.get(pk=pk).status == "cancelled"
    stale = api.post(f"/appointments/{new['id']}/cancel", {"reason": "x", "version": 9})
    assert_error(stale, 409, "stale_version")
    early = api.post(f"/appointments/{new['id']}/attendance", {"status": "no_show", "version": 1})
    assert_error(early, 422)
    cancelled = api.post(f"/appointments/{new['id']}/cancel", {"reason": "Unwell", "version": 1})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_fhir_appointment_is_valid(world, kind, api_as):
    api = api_as(world.coordinator)
    pk = api.post(f"/people/{world.person.pk}/appointments", book_body(world, kind)).json()["id"]
    response = api.get(f"/appointments/{pk}/fhir")
    assert response.status_code == 200
    resource: Any = FhirAppointment.model_validate(response.json())
    assert resource.status == "booked"


def test_out_of_scope_is_404(world, kind, api_as):
    pk = (
        api_as(world.coordinator)
        .post(f"/people/{world.person.pk}/appointments", book_body(world, kind))
        .json()["id"]
    )
    outsider = api_as(world.outsider)
    assert_error(outsider.get(f"/appointments/{pk}"), 404, "not_found")
    assert_error(outsider.get(f"/appointments/{pk}/fhir"), 404, "not_found")
    assert_error(outsider.post(f"/appointments/{pk}/cancel", {"reason": "x", "version": 1}), 404)
    assert_error(
        outsider.post(f"/people/{world.person.pk}/appointments", book_body(world, kind)), 404
    )
    assert_error(
        outsider.get(f"/people/{world.person.pk}/slots", {"appointment_type_id": kind.pk}), 404
    )
    assert_error(outsider.get("/appointments/9223372036854775808"), 404)
    assert Appointment.objects.get(pk=pk).status == "booked"


def test_bad_input_is_422_with_fields(world, kind, api_as):
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/appointments"
    naive = assert_error(
        api.post(path, book_body(world, kind) | {"starts_at": "2030-01-07T10:00"}), 422
    )
    assert "starts_at" in naive["fields"]
    unknown = assert_error(api.post(path, book_body(world, kind, appointment_type_id=999999)), 422)
    assert "appointment_type_id" in unknown["fields"]
    past = assert_error(
        api.post(path, book_body(world, kind, starts_at=next_monday() - dt.timedelta(days=400))),
        422,
    )
    assert past["fields"]
    assert Appointment.objects.count() == 0


def test_openapi_documents_slot_taken():
    from alongside.api.v1 import api

    document = api.get_openapi_schema()
    book = document["paths"]["/api/v1/people/{person_id}/appointments"]["post"]
    assert "409" in book["responses"]
    detail = document["components"]["schemas"]["ErrorDetail"]["properties"]
    assert {"blocking", "next_best"} <= set(detail)


def test_a_persons_appointments_cost_the_same_queries_however_many(world, kind, api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/appointments"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        return len(queries)

    api.post(path, book_body(world, kind))
    one = count()
    for hour in (11, 13, 14, 15):
        api.post(path, book_body(world, kind, starts_at=next_monday(hour)))
    assert len(api.get(path).json()) == 5
    assert count() == one


@pytest.mark.parametrize("since", ["0413-12-27T11:39:58+09:54", "9999-12-31T23:00:00-23:00"])
def test_find_reads_any_since_without_refusing(world, kind, api_as, since):
    response = api_as(world.coordinator).get(
        f"/people/{world.person.pk}/slots", {"since": since, "days": 62, "limit": 1}
    )
    assert response.status_code == 200, response.content


def test_a_blocker_out_of_scope_is_not_described(world, kind, api_as):
    from alongside.scheduling.tests.factories import make_type, raw_appointment
    from conftest import add_role, make_person

    add_role(world.coordinator, "coordinator", program=world.wellness)
    private = make_type(world, program=world.wellness, name="Recovery counselling")
    someone = make_person(world.colleague, world.wellness, legal_given_name="Bea")
    raw_appointment(
        world, next_monday(), program=world.wellness, appointment_type=private, person=someone
    )
    refused = api_as(world.scheduler).post(
        f"/people/{world.person.pk}/appointments", book_body(world, kind)
    )
    error = assert_error(refused, 409, "slot_taken")
    assert error["blocking"] is None
    assert "Recovery" not in refused.content.decode()
