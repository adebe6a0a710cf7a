"""The scheduling API's representations and bodies, and how an appointment is answered
(alongside/api/scheduling.py): explicit, so what leaves the system is visible here. An
appointment's type is named only to whoever may read it (`calendar.names_type`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpResponse
from django.urls import reverse
from pydantic import BaseModel, Field

from alongside.api import present
from alongside.api.schemas import Id, In, Text500, Version
from alongside.api.tasks import Due
from alongside.scheduling import calendar
from alongside.scheduling import slots as slot_search
from alongside.scheduling.models import Appointment, AppointmentType

ModalityCode = Literal["in_person", "phone", "video", "home_visit"]
AttendanceCode = Literal["arrived", "completed", "no_show", "late_cancelled"]


# A time the database can hold, whatever its offset: the same rule as a task's due time.
When = Due


class AppointmentTypeOut(BaseModel):
    id: int
    program_id: int
    name: str
    duration_minutes: int
    modalities: list[str]
    buffer_before_minutes: int
    buffer_after_minutes: int
    interpreter_needed: bool
    is_group: bool
    capacity: int


class SlotOut(BaseModel):
    staff_id: int
    staff_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    modality: str
    location_id: int | None
    location_name: str
    room_id: int | None
    time_zone: str
    is_walk_in: bool
    score: int = Field(description="Higher fits the person better.")
    reasons: list[str] = Field(description="Why the slot ranks where it does.")


class SlotChoice(In):
    appointment_type_id: Id
    staff_id: Id
    starts_at: When = Field(description="The slot's start, with a time zone.")
    modality: ModalityCode
    location_id: Id | None = None
    room_id: Id | None = None
    reason: Text500 = Field("", description="What the appointment is for.")
    override: Text500 = Field(
        "",
        description="Why it may go outside availability or over another booking: only for "
        "the roles allowed to overbook, and audited.",
    )


class BookIn(SlotChoice):
    hold: bool = Field(
        False,
        description="Hold the slot for a few minutes while the booking is filled in "
        "(status `held`), then confirm it; a hold lapses on its own.",
    )


class MoveIn(In):
    staff_id: Id
    starts_at: When
    modality: ModalityCode
    location_id: Id | None = None
    room_id: Id | None = None
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    override: Text500 = ""
    version: Version | None = None


class CancelIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    by_person: bool = Field(False, description="The person asked (late ones count as such).")
    version: Version | None = None


class ConfirmIn(In):
    reason: Text500 = ""
    version: Version | None = None


class AttendanceIn(In):
    status: AttendanceCode
    reason: Text500 = ""
    version: Version | None = None


class AppointmentOut(BaseModel):
    id: int
    program_id: int
    person_id: int | None
    staff_id: int
    staff_name: str
    appointment_type_id: int
    appointment_type: str = Field(description='"Appointment" for a sensitive type you may not see.')
    modality: str
    location_id: int | None
    room_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    status: str
    held_until: dt.datetime | None
    reason: str
    status_reason: str
    rescheduled_from_id: int | None
    version: int
    fhir_url: str


def type_out(kind: AppointmentType) -> AppointmentTypeOut:
    """Every field of the representation is the type's attribute of the same name."""
    fields = {name: getattr(kind, name) for name in AppointmentTypeOut.model_fields}
    return AppointmentTypeOut.model_construct(**fields | {"modalities": list(kind.modalities)})


def slot_out(found: slot_search.Slot) -> SlotOut:
    """The slot search's own fields, with its reasons as plain text."""
    fields = {name: getattr(found, name) for name in SlotOut.model_fields}
    return SlotOut.model_construct(**fields | {"reasons": [str(r) for r in found.reasons]})


def names_type(user: Any, item: Appointment) -> bool:
    return calendar.names_type(user, item)


def appointment_out(user: Any, item: Appointment) -> AppointmentOut:
    names = names_type(user, item)
    return AppointmentOut.model_construct(
        id=item.pk,
        program_id=item.program_id,
        person_id=item.person_id,
        staff_id=item.staff_id,
        staff_name=str(item.staff),
        appointment_type_id=item.appointment_type_id,
        appointment_type=item.appointment_type.name if names else "Appointment",
        modality=item.modality,
        location_id=item.location_id,
        room_id=item.room_id,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        time_zone=item.time_zone,
        status=item.status,
        held_until=item.held_until,
        reason=item.reason if names else "",
        status_reason=item.status_reason,
        rescheduled_from_id=item.rescheduled_from_id,
        version=item.version,
        fhir_url=reverse("api-v1:appointment_fhir", args=[item.pk]),
    )


def respond_with(user: Any, item: Appointment, status: int = 200) -> HttpResponse:
    location = reverse("api-v1:appointment", args=[item.pk]) if status == 201 else None
    return present.respond(
        appointment_out(user, item), status=status, version=item.version, location=location
    )
