"""Scheduling as FHIR: Schedule, Slot (in a searchset Bundle) and Appointment, each
checked by fhir.resources when made and read back here with it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle

from alongside.scheduling import fhir
from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.factories import ZONE, make_type
from alongside.scheduling.tests.views_data import appointment

NY = zoneinfo.ZoneInfo(ZONE)
START = dt.datetime(2026, 3, 10, 18, tzinfo=NY)


@dataclass(frozen=True)
class FoundSlot:
    """What the slot search gives (scheduling.slots.Slot), as fhir.slot reads it."""

    staff_id: int
    staff_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    modality: str
    location_name: str = ""
    reasons: tuple[str, ...] = ()


def test_slots_are_a_searchset_of_free_slots_with_their_schedules():
    found = [
        FoundSlot(
            7,
            "Casey Nguyen",
            START,
            START + dt.timedelta(hours=1),
            "phone",
            "",
            ("Lupe's coordinator", "An evening"),
        ),
        FoundSlot(8, "Jo Park", START, START + dt.timedelta(hours=1), "in_person", "Eastside"),
        FoundSlot(
            7,
            "Casey Nguyen",
            START + dt.timedelta(days=1),
            START + dt.timedelta(days=1, hours=1),
            "video",
        ),
    ]
    bundle: Any = Bundle.model_validate(fhir.slot_bundle(found, "Check-in"))
    assert bundle.type == "searchset" and bundle.total == 3
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds == ["Schedule", "Schedule", "Slot", "Slot", "Slot"]
    first = bundle.entry[2]
    assert first.search.mode == "match" and first.search.score == 1
    assert first.resource.status == "free"
    assert first.resource.schedule.reference == "Schedule/staff-7"
    assert first.resource.comment == "Lupe's coordinator; An evening"
    assert first.resource.appointmentType.coding[0].code == "PHONE"
    assert bundle.entry[0].resource.actor[0].reference == "Practitioner/7"


def test_an_empty_search_is_an_empty_bundle():
    bundle: Any = Bundle.model_validate(fhir.slot_bundle([], "Check-in"))
    assert bundle.total == 0 and not bundle.entry


def test_an_appointment_names_its_participants_and_status(world):
    item = appointment(world, START, reason="Lease renewal", modality="video")
    resource: Any = FhirAppointment.model_validate(fhir.appointment(item, names_type=True))
    assert resource.status == "booked"
    assert resource.start == item.starts_at and resource.minutesDuration == 60
    refs = [p.actor.reference for p in resource.participant]
    assert refs == [f"Practitioner/{world.coordinator.pk}", f"Patient/{world.person.pk}"]
    assert resource.serviceType[0].text == "Check-in"
    assert resource.description == "Lease renewal"
    assert resource.appointmentType.coding[0].code == "VIDEOCONF"


def test_statuses_map_to_fhir(world):
    kind = make_type(world)
    for n, (status, code) in enumerate(
        [
            (Appointment.Status.NO_SHOW, "noshow"),
            (Appointment.Status.COMPLETED, "fulfilled"),
            (Appointment.Status.CANCELLED, "cancelled"),
        ]
    ):
        item = appointment(
            world, START + dt.timedelta(days=n), appointment_type=kind, status=status
        )
        resource: Any = FhirAppointment.model_validate(fhir.appointment(item, names_type=False))
        assert resource.status == code
        assert resource.serviceType[0].extension[0].valueCode == "masked"
        assert "Check-in" not in resource.model_dump_json()
        if code == "cancelled":
            assert resource.cancelationReason.text
