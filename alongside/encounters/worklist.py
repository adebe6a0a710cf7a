"""The worklist's "note awaiting your co-signature": for a supervisor, the signed notes
of the programs they supervise that the program asked them to co-sign, about people on
the caseload being read, not written by the supervisor themself. One query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from alongside.accounts.scope import scope_for
from alongside.encounters.models import Note
from alongside.people.contributions import WorklistItem, WorklistReason, worklist_reasons
from alongside.people.models import Person

AWAITING_COSIGNATURE = "encounters.awaiting_cosignature"


def awaiting_cosignature(
    viewer: Any, caseload: QuerySet[Person], now: dt.datetime
) -> list[WorklistItem]:
    """Due from when the note was signed: the longer it waits, the higher it sits. One
    query for a supervisor; none for anyone who supervises no program (their scope,
    read once per request, says so), who is most of those opening a worklist."""
    supervised = scope_for(viewer).supervised_program_ids
    if not supervised:
        return []
    rows = (
        Note.objects.filter(
            status=Note.Status.SIGNED,
            cosignature_required=True,
            cosigned_at__isnull=True,
            encounter__program_id__in=supervised,
            encounter__person__in=caseload,
        )
        .exclude(author_id=viewer.pk)
        .values_list("pk", "encounter__person_id", "signed_at", "template_version__template__name")
    )
    return [
        WorklistItem(
            person_id=person_id,
            reason=AWAITING_COSIGNATURE,
            text=_("%(note)s awaiting your co-signature") % {"note": name},
            due_at=signed_at or now,  # a signed note has its time (a check constraint)
            link=reverse("encounters:note", args=[pk]),
            key=f"note:{pk}:cosign",
        )
        for pk, person_id, signed_at, name in rows
    ]


def register_worklist() -> None:
    worklist_reasons.register(
        WorklistReason(
            key=AWAITING_COSIGNATURE,
            label="Note awaiting your co-signature",
            find=awaiting_cosignature,
            queries=1,
            urgency=80,
        )
    )
