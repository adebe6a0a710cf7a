"""Scheduling's worklist reason: the caseload's appointments today and tomorrow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.lib.links import link
from alongside.people.contributions import WorklistItem, WorklistRow
from alongside.people.models import Person
from alongside.people.sensitivity import sees_sensitive
from alongside.scheduling.availability import zone
from alongside.scheduling.common import type_shown
from alongside.scheduling.models import Appointment
from alongside.scheduling.selectors import appointments_for


def upcoming(viewer: Any, caseload: QuerySet[Person], now: dt.datetime) -> QuerySet[Any]:
    """Booked appointments of people on the caseload from now to the end of tomorrow
    (server time), with whether the viewer may read a sensitive type's name (the one
    sensitivity rule, in the query)."""
    today = timezone.localdate(now)
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=2), dt.time.min))
    return (
        appointments_for(viewer)
        .filter(
            person__in=caseload.values("pk"),
            status__in=Appointment.UPCOMING_STATUSES,
            starts_at__gte=now - dt.timedelta(hours=1),
            starts_at__lt=end,
        )
        .values(
            "pk",
            "person_id",
            "starts_at",
            "time_zone",
            "appointment_type__name",
            "appointment_type__sensitive",
            shows=sees_sensitive(viewer, "person_id"),
        )
    )


def appointments_soon(
    viewer: Any, rows: list[WorklistRow], now: dt.datetime
) -> Iterator[WorklistItem]:
    """Soonest first: "Intake today at 10:00", the type neutral ("Appointment") for a
    sensitive one off the person's care team."""
    today = timezone.localdate(now)
    for row in sorted(rows, key=lambda r: r["starts_at"]):
        local = timezone.localtime(row["starts_at"], zone(row["time_zone"]))
        when = formats.time_format(local, "TIME_FORMAT")
        text = (
            _("%(kind)s today at %(time)s")
            if local.date() == today
            else _("%(kind)s tomorrow at %(time)s")
        ) % {
            "kind": type_shown(
                row["appointment_type__name"], row["appointment_type__sensitive"], row["shows"]
            ),
            "time": when,
        }
        yield WorklistItem(
            person_id=row["person_id"] or 0,
            reason="scheduling.soon",
            text=text,
            due_at=row["starts_at"],
            link=link("scheduling:appointment", row["pk"]),
            key=f"appointment:{row['pk']}",
        )
