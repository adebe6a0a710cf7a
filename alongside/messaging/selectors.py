"""Reads for the person page: the person's numbers that replied STOP."""

from __future__ import annotations

from typing import Any

from alongside.messaging.models import TextOptOut
from alongside.people.models import ContactPoint


def stopped_contacts(person: Any) -> list[tuple[ContactPoint, TextOptOut]]:
    """Each of the person's phones whose number replied STOP and is still stopped: one
    query, whatever the record holds (the contact points come with the person)."""
    numbers = ContactPoint.objects.filter(person=person, kind="phone").values("normalized")
    stops = TextOptOut.objects.filter(number__in=numbers, ended_at__isnull=True)
    phones = {c.normalized: c for c in person.contact_points.all() if c.kind == "phone"}
    return [
        (phones[stop.number], stop)
        for stop in stops.order_by("opted_out_at")
        if stop.number in phones
    ]


def person_panel(context: Any) -> dict[str, Any] | None:
    stopped = stopped_contacts(context.person)
    return {"stopped": stopped, "person": context.person} if stopped else None
