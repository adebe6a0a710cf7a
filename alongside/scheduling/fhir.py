"""Scheduling as FHIR R4: a staff member's `Schedule`, the free `Slot`s a search found
(in a searchset `Bundle` with their Schedules), and an `Appointment`, each validated with
fhir.resources' R4B models (the same as R4 for the elements used here).

An appointment is mapped only for a reader who may see it (the API reads it through the
scheduling selectors); its type is named unless it is a sensitive type the reader may
not see (`calendar.is_sensitive` and the one sensitivity rule), where it carries
data-absent-reason `masked`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot as FhirSlot

from alongside.scheduling.models import Appointment

ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
SERVICE_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
STATUS = {
    Appointment.Status.HELD: "pending",
    Appointment.Status.BOOKED: "booked",
    Appointment.Status.ARRIVED: "arrived",
    Appointment.Status.COMPLETED: "fulfilled",
    Appointment.Status.NO_SHOW: "noshow",
    Appointment.Status.LATE_CANCELLED: "cancelled",
    Appointment.Status.CANCELLED: "cancelled",
    Appointment.Status.EXPIRED: "cancelled",  # a hold that lapsed
}
# How each way to meet is said in HL7's participation mode codes.
MODE = {"in_person": "FACE", "phone": "PHONE", "video": "VIDEOCONF", "home_visit": "FACE"}


def _base() -> str:
    return settings.SITE_URL.rstrip("/") + "/fhir"


def _plain(resource: Any) -> dict[str, Any]:
    return dict(json.loads(resource.model_dump_json(exclude_none=True)))


def schedule(staff_id: int, staff_name: str) -> dict[str, Any]:
    data = {
        "resourceType": "Schedule",
        "id": f"staff-{staff_id}",
        "active": True,
        "actor": [{"reference": f"Practitioner/{staff_id}", "display": staff_name}],
    }
    return _plain(Schedule.model_validate(data))


def slot(found: Any, kind_name: str) -> dict[str, Any]:
    """A free slot from the slot search (`scheduling.slots.Slot`)."""
    data: dict[str, Any] = {
        "resourceType": "Slot",
        "schedule": {"reference": f"Schedule/staff-{found.staff_id}"},
        "status": "free",
        "start": found.starts_at.isoformat(),
        "end": found.ends_at.isoformat(),
        "serviceType": [{"text": kind_name}],
        "appointmentType": {
            "coding": [{"system": SERVICE_MODE, "code": MODE.get(found.modality, "FACE")}],
            "text": found.modality,
        },
    }
    notes = list(found.reasons)
    if found.location_name:
        notes.insert(0, found.location_name)
    if notes:
        data["comment"] = "; ".join(notes)
    return _plain(FhirSlot.model_validate(data))


def slot_bundle(found: Iterable[Any], kind_name: str) -> dict[str, Any]:
    """The slots, best first, and a Schedule for each staff member they are with."""
    found = list(found)
    schedules = {s.staff_id: schedule(s.staff_id, s.staff_name) for s in found}
    entries = [{"resource": r, "search": {"mode": "include"}} for r in schedules.values()]
    entries += [
        {"resource": slot(s, kind_name), "search": {"mode": "match", "score": n}}
        for n, s in zip(_scores(len(found)), found, strict=True)
    ]
    data = {"resourceType": "Bundle", "type": "searchset", "total": len(found), "entry": entries}
    return _plain(Bundle.model_validate(data))


def _scores(count: int) -> list[float]:
    """FHIR's search score (1 is best) by rank."""
    return [round(1 - n / max(count, 1), 3) for n in range(count)]


def appointment(item: Appointment, *, names_type: bool) -> dict[str, Any]:
    participants: list[dict[str, Any]] = [
        {
            "actor": {"reference": f"Practitioner/{item.staff_id}", "display": str(item.staff)},
            "status": "accepted",
        }
    ]
    if item.person_id is not None:
        participants.append(
            {"actor": {"reference": f"Patient/{item.person_id}"}, "status": "accepted"}
        )
    if item.location_id is not None:
        participants.append(
            {"actor": {"reference": f"Location/{item.location_id}"}, "status": "accepted"}
        )
    data: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(item.pk),
        "meta": {"versionId": str(item.version), "lastUpdated": item.updated_at.isoformat()},
        "identifier": [{"system": f"{_base()}/appointment-id", "value": str(item.pk)}],
        "status": STATUS[item.status],  # type: ignore[index]
        "start": item.starts_at.isoformat(),
        "end": item.ends_at.isoformat(),
        "minutesDuration": int((item.ends_at - item.starts_at).total_seconds() // 60),
        "created": item.created_at.isoformat(),
        "appointmentType": {
            "coding": [{"system": SERVICE_MODE, "code": MODE.get(item.modality, "FACE")}],
            "text": item.modality,
        },
        "participant": participants,
    }
    if names_type:
        data["serviceType"] = [{"text": item.appointment_type.name}]
        if item.reason:
            data["description"] = item.reason
    else:
        data["serviceType"] = [
            {"extension": [{"url": ABSENT, "valueCode": "masked"}], "text": "Appointment"}
        ]
    if item.status in (Appointment.Status.CANCELLED, Appointment.Status.LATE_CANCELLED):
        data["cancelationReason"] = {"text": item.status_reason or item.get_status_display()}
    return _plain(FhirAppointment.model_validate(data))
