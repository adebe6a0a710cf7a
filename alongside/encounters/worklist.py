"""The worklist's "note awaiting your co-signature": for a supervisor, the signed notes
of the programs they supervise that the program asked them to co-sign, about people on
the caseload being read, not written by the supervisor themself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from alongside.accounts.scope import scope_for
from alongside.encounters.models import Note
from alongside.lib.links import link
from alongside.people.contributions import (
    WorklistItem,
    WorklistReason,
    WorklistRow,
    worklist_reasons,
)
from alongside.people.models import Person

AWAITING_COSIGNATURE = "encounters.awaiting_cosignature"


def notes_to_cosign(
    viewer: Any, caseload: QuerySet[Person], now: dt.datetime
) -> QuerySet[Any] | None:
    """Nothing to ask (no query) for anyone who supervises no program (their scope,
    read once per request, says so), who is most of those opening a worklist."""
    supervised = scope_for(viewer).supervised_program_ids
    if not supervised:
        return None
    return (
        Note.objects.filter(
            status=Note.Status.SIGNED,
            cosignature_required=True,
            cosigned_at__isnull=True,
            encounter__program_id__in=supervised,
            encounter__person__in=caseload,
        )
        .exclude(author_id=viewer.pk)
        .values("pk", "encounter__person_id", "signed_at", "template_version__template__name")
    )


def awaiting_cosignature(
    viewer: Any, rows: list[WorklistRow], now: dt.datetime
) -> list[WorklistItem]:
    """Due from when the note was signed: the longer it waits, the higher it sits."""
    return [
        WorklistItem(
            person_id=row["encounter__person_id"],
            reason=AWAITING_COSIGNATURE,
            text=_("%(note)s awaiting your co-signature")
            % {"note": row["template_version__template__name"]},
            # A signed note has its time (a check constraint).
            due_at=row["signed_at"] or now,
            link=link("encounters:note", row["pk"]),
            key=f"note:{row['pk']}:cosign",
        )
        for row in rows
    ]


def register_worklist() -> None:
    worklist_reasons.register(
        WorklistReason(
            key=AWAITING_COSIGNATURE,
            label="Note awaiting your co-signature",
            rows=notes_to_cosign,
            items=awaiting_cosignature,
            urgency=80,
        )
    )
