"""Scheduling's worklist reason: the caseload's appointments today and tomorrow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.people.contributions import WorklistItem
from alongside.people.models import Person
from alongside.scheduling.availability import zone
from alongside.scheduling.common import type_name
from alongside.scheduling.models import Appointment
from alongside.scheduling.selectors import appointments_for


def appointments_soon(
    viewer: Any, caseload: QuerySet[Person], now: dt.datetime
) -> Iterator[WorklistItem]:
    """One query: booked appointments of people on the caseload from now to the end of
    tomorrow (server time)."""
    today = timezone.localdate(now)
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=2), dt.time.min))
    rows = (
        appointments_for(viewer)
        .filter(
            person__in=caseload.values("pk"),
            status__in=Appointment.UPCOMING_STATUSES,
            starts_at__gte=now - dt.timedelta(hours=1),
            starts_at__lt=end,
        )
        .only(
            "pk",
            "person_id",
            "starts_at",
            "time_zone",
            "appointment_type__name",
            "appointment_type__sensitive",
        )
        .select_related("appointment_type")
        .order_by("starts_at")
    )
    for appointment in rows:
        local = timezone.localtime(appointment.starts_at, zone(appointment.time_zone))
        when = formats.time_format(local, "TIME_FORMAT")
        text = (
            _("%(kind)s today at %(time)s")
            if local.date() == today
            else _("%(kind)s tomorrow at %(time)s")
        ) % {"kind": type_name(viewer, appointment), "time": when}
        yield WorklistItem(
            person_id=appointment.person_id or 0,
            reason="scheduling.soon",
            text=text,
            due_at=appointment.starts_at,
            link=reverse("scheduling:appointment", args=[appointment.pk]),
            key=f"appointment:{appointment.pk}",
        )
