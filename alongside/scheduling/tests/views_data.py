"""Appointments for the calendar, feed, API and chart tests: written straight to the
table (the booking services are tested on their own), for any program."""

from __future__ import annotations

import datetime as dt
from typing import Any

from alongside.scheduling.models import Appointment
from alongside.scheduling.tests.factories import ZONE, make_type


def appointment(world: Any, starts_at: dt.datetime, minutes: int = 60, **extra: Any) -> Appointment:
    kind = extra.pop("appointment_type", None) or make_type(world)
    item = Appointment(
        organization=world.org,
        program=extra.pop("program", kind.program),
        person=extra.pop("person", world.person),
        staff=extra.pop("staff", world.coordinator),
        appointment_type=kind,
        modality=extra.pop("modality", "in_person"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        time_zone=ZONE,
        **extra,
    )
    if item.status == Appointment.Status.HELD and item.held_until is None:
        item.held_until = starts_at
    item.set_blocks()
    item.save()
    return item
