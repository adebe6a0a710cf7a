"""Reads for the person page: the person's numbers that replied STOP."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from alongside.lib import compiled
from alongside.messaging.models import TextOptOut
from alongside.people.models import ContactPoint


def stopped_contacts(person: Any) -> list[tuple[ContactPoint, TextOptOut]]:
    """Each of the person's phones whose number replied STOP and is still stopped: one
    query, whatever the record holds (the contact points come with the person). The
    statement depends on nothing but the person's id: compiled once per process."""
    phones = {c.normalized: c for c in person.contact_points.all() if c.kind == "phone"}
    stops: list[TextOptOut] = compiled.objects("messaging.panel", None, _stopped, person.pk)
    return [(phones[stop.number], stop) for stop in stops if stop.number in phones]


def _stopped(person_id: int) -> QuerySet[TextOptOut]:
    numbers = ContactPoint.objects.filter(person_id=person_id, kind="phone").values("normalized")
    return TextOptOut.objects.filter(number__in=numbers, ended_at__isnull=True).order_by(
        "opted_out_at"
    )


def person_panel(context: Any) -> dict[str, Any] | None:
    stopped = stopped_contacts(context.person)
    return {"stopped": stopped, "person": context.person} if stopped else None
