"""Scheduling test data: an appointment type, a location with a room, and weekly
availability for the world's coordinator, with its changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from alongside.organizations.models import Location
from alongside.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityChange,
    AvailabilityPattern,
    Room,
)

ZONE = "America/New_York"


def make_type(world: Any, **extra: Any) -> AppointmentType:
    fields = {"program": world.housing, "name": "Check-in", "duration_minutes": 60} | extra
    return AppointmentType.objects.create(**fields)


def make_location(world: Any, **extra: Any) -> Location:
    fields = {"organization": world.org, "name": "Eastside clinic", "time_zone": ZONE} | extra
    return Location.objects.create(**fields)


def make_room(location: Location, name: str = "Room 1") -> Room:
    return Room.objects.create(location=location, name=name)


def make_pattern(world: Any, staff: Any = None, **extra: Any) -> AvailabilityPattern:
    fields = {
        "organization": world.org,
        "staff": staff or world.coordinator,
        "weekday": 0,
        "starts": dt.time(9),
        "ends": dt.time(17),
        "time_zone": ZONE,
        "valid_from": dt.date(2026, 1, 1),
    } | extra
    return AvailabilityPattern.objects.create(**fields)


def make_change(
    world: Any, kind: str, starts_at: dt.datetime, ends_at: dt.datetime, staff: Any = None
) -> AvailabilityChange:
    """Time off (`kind="time_off"`) or an addition to the weekly pattern."""
    return AvailabilityChange.objects.create(
        organization=world.org,
        staff=staff or world.coordinator,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=ZONE,
    )


def raw_appointment(
    world: Any, starts_at: dt.datetime, minutes: int = 60, **extra: Any
) -> Appointment:
    """An appointment written straight to the table, past every service: what the
    database's own guards must judge."""
    kind = extra.pop("appointment_type", None) or make_type(world)
    appointment = Appointment(
        organization=world.org,
        program=extra.pop("program", world.housing),
        person=extra.pop("person", world.person),
        staff=extra.pop("staff", world.coordinator),
        appointment_type=kind,
        modality="in_person",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        time_zone=ZONE,
        **extra,
    )
    if appointment.status == Appointment.Status.HELD and appointment.held_until is None:
        appointment.held_until = starts_at
    appointment.set_blocks()
    appointment.save()
    return appointment
