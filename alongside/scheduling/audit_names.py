"""Appointments and waitlist entries as the audit browser names them: "Appointment:
Check-in, 7 Dec", for a viewer who may see it, never by its reason."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.audit.readable import ObjectNamer, int_ids, object_namers, short_day
from alongside.scheduling.selectors import appointments_for


def appointment_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = (
        appointments_for(viewer)
        .filter(pk__in=int_ids(ids))
        .values_list("pk", "appointment_type__name", "starts_at")
    )
    return {
        str(pk): _("Appointment: %(kind)s, %(day)s") % {"kind": kind, "day": short_day(at)}
        for pk, kind, at in rows
    }


def register() -> None:
    object_namers.register(ObjectNamer(key="scheduling.appointment", names=appointment_names))
