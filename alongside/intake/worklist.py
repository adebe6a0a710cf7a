"""Intake's worklist reason: a person with an open urgent flag. The flag's reason names
what was answered, so the worklist never shows it: the care team reads "urgent screening
result 2 hours ago" and follows the link to the flag; anyone else who sees the person
(a scheduler covering the front desk, an organization admin) is told to speak with the
coordinator (`people.sensitivity.sees_sensitive`, the one rule)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from alongside.intake.models import Need
from alongside.intake.selectors import urgent_flags_of
from alongside.intake.sensitive import is_sensitive_need, visible_needs
from alongside.lib.links import link
from alongside.lib.when import ago
from alongside.people.contributions import (
    CaseloadFilter,
    WorklistItem,
    WorklistReason,
    WorklistRow,
    caseload_filters,
    worklist_reasons,
)
from alongside.people.models import Person
from alongside.people.sensitivity import sees_sensitive

URGENT_FLAG = "intake.urgent_flag"


def _when(raised_at: dt.datetime, now: dt.datetime) -> str:
    # The project's one way of saying how long ago ("just now", "2 hours ago").
    return _("urgent screening result %(ago)s") % {"ago": ago(raised_at, now)}


def flag_rows(viewer: Any, caseload: QuerySet[Person], now: dt.datetime) -> QuerySet[Any]:
    """The open flags of the caseload's people, with whether the viewer is on the care
    team (`shows`)."""
    return (
        urgent_flags_of(caseload.values("pk"), open_only=True)
        .annotate(shows=sees_sensitive(viewer, "person_id"))
        .values("pk", "person_id", "response_id", "raised_at", "shows")
    )


def open_urgent_flags(viewer: Any, rows: list[WorklistRow], now: dt.datetime) -> list[WorklistItem]:
    """One item per open flag."""
    items = []
    for row in rows:
        person_id, raised_at = row["person_id"], row["raised_at"]
        if row["shows"]:
            text = _when(raised_at, now)
            where = link("intake:response", row["response_id"])
        else:
            text = _("urgent result — speak with the coordinator")
            where = link("people:detail", person_id)
        items.append(
            WorklistItem(
                person_id=person_id,
                reason=URGENT_FLAG,
                text=text,
                due_at=raised_at,
                link=where,
                key=f"flag:{row['pk']}",
            )
        )
    return items


def need_choices() -> list[tuple[str, str]]:
    """Open-need kinds to filter a caseload by: not the sensitive ones, whose very name
    on a list of people would say what only the care team may know."""
    return [(k.value, str(k.label)) for k in Need.Kind if not is_sensitive_need(k.value)]


def with_open_need(viewer: Any, people: QuerySet[Person], kind: str) -> QuerySet[Person]:
    needs = Need.objects.filter(
        person_id=OuterRef("pk"), kind=kind, status__in=Need.OPEN_STATUSES
    ).filter(visible_needs(viewer))
    return people.filter(Exists(needs))


def register_worklist() -> None:
    caseload_filters.register(
        CaseloadFilter(
            key="intake.open_need",
            param="need",
            label="Open need",
            choices=need_choices,
            apply=with_open_need,
        )
    )
    worklist_reasons.register(
        WorklistReason(
            key=URGENT_FLAG,
            label="Open urgent flag",
            rows=flag_rows,
            items=open_urgent_flags,
            urgency=10,
        )
    )
