"""Scheduling: appointment types, slot search (`$find`), booking with or without a hold
(`$book`), confirming a hold, rescheduling, cancelling, attendance, and FHIR Schedule,
Slot and Appointment.

Reads go through the scheduling selectors (scoped to the people the caller may see in
their programs, and audited); writes through the scheduling services (checked,
versioned, audited). A slot taken first by someone else is 409 `slot_taken`, naming
what blocks it (never who it is with) and the next best slots."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import AwareDatetime

from alongside.api import lookups, openapi, present
from alongside.api.concurrency import expected_version
from alongside.api.errors import ApiError, error_response, invalid
from alongside.api.scheduling_schemas import (
    AppointmentOut,
    AppointmentTypeOut,
    AttendanceIn,
    BookIn,
    CancelIn,
    ConfirmIn,
    ModalityCode,
    MoveIn,
    SlotOut,
    appointment_out,
    names_type,
    respond_with,
    slot_out,
    type_out,
)
from alongside.audit.services import Action
from alongside.lib.errors import StaleVersion
from alongside.organizations.models import Location
from alongside.people.models import Person
from alongside.scheduling import attendance, booking, changes, common, fhir, selectors
from alongside.scheduling import slots as slot_search
from alongside.scheduling.models import AppointmentType, Room

router = Router(tags=["scheduling"])

FHIR_JSON = "application/fhir+json; charset=utf-8"
MAX_SLOTS = 50
HORIZON = dt.timedelta(days=730)  # how far ahead $find looks from


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


# ---------------------------------------------------------------- what a body names


def _kind(user: Any, person: Person, type_id: int) -> AppointmentType:
    kind = selectors.types_for(user, person).filter(pk=type_id).first()
    if kind is None:
        raise invalid("appointment_type_id", "Choose a type of the person's programs you work in.")
    return kind


def _staff(kind: AppointmentType, staff_id: int) -> Any:
    staff = slot_search.deliverers(kind, [staff_id]).get(staff_id)
    if staff is None:
        staff = get_user_model().objects.filter(pk=staff_id, is_active=True).first()
        if staff is None:
            raise invalid("staff_id", "Choose a staff member who delivers this type.")
    return staff


def _place(organization_id: int, payload: Any) -> tuple[Location | None, Room | None]:
    location = room = None
    if payload.location_id is not None:
        location = Location.objects.filter(
            pk=payload.location_id, organization_id=organization_id
        ).first()
        if location is None:
            raise invalid("location_id", "Choose a location of the organization.")
    if payload.room_id is not None:
        room = Room.objects.filter(
            pk=payload.room_id, location__organization_id=organization_id
        ).first()
        if room is None:
            raise invalid("room_id", "Choose a room of the organization.")
        location = location or room.location
    return location, room


def _choice(kind: AppointmentType, payload: Any) -> booking.Choice:
    location, room = _place(kind.program.organization_id, payload)
    return booking.Choice(
        kind=kind,
        staff=_staff(kind, payload.staff_id),
        starts_at=payload.starts_at,
        modality=payload.modality,
        location=location,
        room=room,
        reason=getattr(payload, "reason", ""),
        override=payload.override,
    )


def _taken(error: common.SlotTaken) -> HttpResponse:
    return error_response(
        409,
        str(error),
        code="slot_taken",
        blocking=error.described or None,
        next_best=[json.loads(slot_out(s).model_dump_json()) for s in error.alternatives],
    )


# ---------------------------------------------------------------- types and slots


@router.get(
    "/people/{person_id}/appointment-types",
    response={200: list[AppointmentTypeOut]},
    summary="Appointment types you can book for a person",
)
def list_types(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = lookups.visible_person(user, person_id)
    return present.respond([type_out(k) for k in selectors.types_for(user, person)])


def _since(since: dt.datetime | None) -> dt.datetime:
    now = dt.datetime.now(dt.UTC)
    return now if since is None else min(max(since, now), now + HORIZON)


def _find(
    request: HttpRequest,
    person_id: int,
    type_id: int | None,
    since: dt.datetime | None,
    days: int,
    limit: int,
    modality: str | None,
) -> tuple[AppointmentType, list[slot_search.Slot]]:
    user = _user(request)
    person = selectors.person_for_scheduling(user, person_id, "finding a slot")
    # Without a type, the first the person can be booked for; an unknown one is not found.
    kinds = selectors.types_for(user, person)
    kind = kinds.first() if type_id is None else kinds.filter(pk=type_id).first()
    if kind is None:
        raise ApiError(404, "No such appointment type for this person.")
    wishes = selectors.wishes_for(person)
    if modality:
        wishes.modalities = frozenset({modality})
    found = slot_search.search(
        kind=kind,
        person=person,
        wishes=wishes,
        since=_since(since),
        days=days,
        limit=limit,
    )
    return kind, found


FindType = Annotated[
    int | None,
    Query(ge=1, le=2**63 - 1, description="The appointment type (default: the first one)."),
]
FindSince = Annotated[
    AwareDatetime | None,
    Query(description="From when: default, or any time before, now; at most two years ahead."),
]
FindDays = Annotated[int, Query(ge=1, le=slot_search.MAX_DAYS)]
FindLimit = Annotated[int, Query(ge=1, le=MAX_SLOTS)]
FindModality = Annotated[ModalityCode | None, Query(description="Only this way to meet.")]


@router.get(
    "/people/{person_id}/slots",
    response={200: list[SlotOut]},
    summary="$find: bookable slots for a person, best first, each with why",
)
def find_slots(
    request: HttpRequest,
    person_id: int,
    appointment_type_id: FindType = None,
    since: FindSince = None,
    days: FindDays = 14,
    limit: FindLimit = 20,
    modality: FindModality = None,
) -> HttpResponse:
    _, found = _find(request, person_id, appointment_type_id, since, days, limit, modality)
    return present.respond([slot_out(s) for s in found])


@router.get(
    "/people/{person_id}/slots/fhir",
    response={200: None},
    openapi_extra=openapi.fhir_response(
        openapi.fhir_resource("Bundle", "A searchset Bundle of Slots and their Schedules.")
    ),
    summary="$find as FHIR: a Bundle of free Slots, best first, with their Schedules",
)
def find_slots_fhir(
    request: HttpRequest,
    person_id: int,
    appointment_type_id: FindType = None,
    since: FindSince = None,
    days: FindDays = 14,
    limit: FindLimit = 20,
    modality: FindModality = None,
) -> HttpResponse:
    kind, found = _find(request, person_id, appointment_type_id, since, days, limit, modality)
    return _fhir(fhir.slot_bundle(found, kind.name))


# ---------------------------------------------------------------- booking and changes


@router.get(
    "/people/{person_id}/appointments",
    response={200: list[AppointmentOut]},
    summary="A person's appointments, latest first",
)
def list_person_appointments(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = selectors.person_for_scheduling(user, person_id, "appointments")
    rows = selectors.person_history(user, person)
    return present.respond([appointment_out(user, a) for a in rows])


@router.post(
    "/people/{person_id}/appointments",
    response={201: AppointmentOut},
    summary="$book: book a slot for a person, or hold it first (409 slot_taken with the "
    "next best slots when someone was faster)",
)
def book(request: HttpRequest, person_id: int, payload: BookIn) -> HttpResponse:
    user = _user(request)
    person = selectors.person_for_scheduling(user, person_id, "booking")
    choice = _choice(_kind(user, person, payload.appointment_type_id), payload)
    place = booking.hold_slot if payload.hold else booking.book
    try:
        item = place(actor=user, person=person, choice=choice)
    except common.SlotTaken as error:
        return _taken(error)
    return respond_with(user, item, status=201)


@router.get(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut},
    url_name="appointment",
    summary="One appointment",
)
def get_appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = _user(request)
    item = selectors.appointment_detail(user, appointment_id)
    common.record(user, item, Action.VIEW)
    return respond_with(user, item)


IF_MATCH = openapi.if_match(version_field=True)


@router.post(
    "/appointments/{appointment_id}/confirm",
    response={200: AppointmentOut},
    openapi_extra=IF_MATCH,
    summary="Book a held slot",
)
def confirm(request: HttpRequest, appointment_id: int, payload: ConfirmIn) -> HttpResponse:
    user = _user(request)
    item = selectors.appointment_detail(user, appointment_id)
    version = expected_version(request, payload.version)
    if version != item.version:
        raise StaleVersion(item.version)
    try:
        item = booking.confirm_hold(actor=user, hold=item, reason=payload.reason)
    except common.SlotTaken as error:
        return _taken(error)
    return respond_with(user, item)


@router.post(
    "/appointments/{appointment_id}/reschedule",
    response={200: AppointmentOut},
    openapi_extra=IF_MATCH,
    summary="Move an appointment to another slot (the new one is answered; the old one "
    "is cancelled with it, or neither changes)",
)
def reschedule(request: HttpRequest, appointment_id: int, payload: MoveIn) -> HttpResponse:
    user = _user(request)
    item = selectors.appointment_detail(user, appointment_id)
    version = expected_version(request, payload.version)
    choice = _choice(item.appointment_type, payload)
    try:
        moved = changes.reschedule(
            actor=user, appointment=item, choice=choice, reason=payload.reason, version=version
        )
    except common.SlotTaken as error:
        return _taken(error)
    return respond_with(user, moved)


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut},
    openapi_extra=IF_MATCH,
    summary="Cancel an appointment with a reason",
)
def cancel(request: HttpRequest, appointment_id: int, payload: CancelIn) -> HttpResponse:
    user = _user(request)
    item = selectors.appointment_detail(user, appointment_id)
    item = changes.cancel(
        actor=user,
        appointment=item,
        reason=payload.reason,
        by_person=payload.by_person,
        version=expected_version(request, payload.version),
    )
    return respond_with(user, item)


@router.post(
    "/appointments/{appointment_id}/attendance",
    response={200: AppointmentOut},
    openapi_extra=IF_MATCH,
    summary="Mark arrived, completed, no-show or late cancellation",
)
def mark_attendance(
    request: HttpRequest, appointment_id: int, payload: AttendanceIn
) -> HttpResponse:
    user = _user(request)
    item = selectors.appointment_detail(user, appointment_id)
    item = attendance.mark(
        actor=user,
        appointment=item,
        status=payload.status,
        reason=payload.reason,
        version=expected_version(request, payload.version),
    )
    return respond_with(user, item)


# ---------------------------------------------------------------- FHIR


def _fhir(resource: dict[str, Any]) -> HttpResponse:
    reply = HttpResponse(json.dumps(resource, ensure_ascii=False), content_type=FHIR_JSON)
    reply["Cache-Control"] = "no-store"
    return reply


@router.get(
    "/appointments/{appointment_id}/fhir",
    response={200: None},
    openapi_extra=openapi.fhir_response(
        openapi.fhir_resource("Appointment", "A FHIR R4 Appointment.")
    ),
    url_name="appointment_fhir",
    summary="One appointment as a FHIR Appointment",
)
def get_appointment_fhir(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = _user(request)
    item = selectors.appointment_detail(user, appointment_id)
    common.record(user, item, Action.VIEW, detail={"format": "fhir"})
    return _fhir(fhir.appointment(item, names_type=names_type(user, item)))
