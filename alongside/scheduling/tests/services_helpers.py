"""A bookable world: the coordinator available Mondays to Fridays 9:00–17:00 in New York
(and the supervisor too), by phone or in person at the Eastside clinic."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from alongside.scheduling.booking import Choice
from alongside.scheduling.tests.factories import ZONE, make_location, make_pattern, make_type

NY = zoneinfo.ZoneInfo(ZONE)
NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=NY)  # Monday
TEN = dt.datetime(2026, 12, 7, 10, 0, tzinfo=NY)


def bookable(world: Any, **kind: Any) -> Any:
    fields = {"modalities": ["phone", "in_person"]} | kind
    appointment_type = make_type(world, **fields)
    location = make_location(world)
    for weekday in range(5):
        make_pattern(world, weekday=weekday, location=location)
        make_pattern(world, world.supervisor, weekday=weekday, location=location)
    return appointment_type


def choice(world: Any, kind: Any, starts_at: dt.datetime = TEN, **extra: Any) -> Choice:
    fields: dict[str, Any] = {
        "kind": kind,
        "staff": world.coordinator,
        "starts_at": starts_at,
        "modality": "phone",
    } | extra
    return Choice(**fields)
