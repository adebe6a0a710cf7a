"""Writes for the worklist: a coordinator marks an item done for today or snoozes it
until a date, with why, and may undo either. Each is audited in its transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted
from alongside.people.contributions import worklist_reasons
from alongside.people.models import Person
from alongside.people.sensitivity import disclosure_for
from alongside.worklist.models import WorklistDecision

MAX_SNOOZE_DAYS = 365
CARE_TEAM_ONLY = "Only the person's care team can set worklist items aside."


def _ensure_care_team(actor: User, person: Person) -> None:
    # Setting aside an urgent result, or a person nobody has reached, is a care
    # decision: those who see the person without their details (schedulers, admins)
    # read the worklist but leave the decisions to the care team.
    if not disclosure_for(actor, person).sensitive:
        raise NotPermitted(CARE_TEAM_ONLY)


def _check(action: str, reason_key: str, until: dt.date | None, note: str, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if reason_key not in worklist_reasons:
        errors["reason_key"] = "That is not a reason on the worklist."
    if action == WorklistDecision.Action.SNOOZED:
        if until is None:
            errors["until"] = "Choose the date to bring it back."
        elif until <= today:
            errors["until"] = "Choose a date after today."
        elif until > today + dt.timedelta(days=MAX_SNOOZE_DAYS):
            errors["until"] = "Choose a date within a year."
        if not note.strip():
            errors["note"] = "Say why it can wait, so whoever reads it later knows."
    elif action != WorklistDecision.Action.DONE:
        errors["action"] = "Choose done today or snooze."
    if errors:
        raise ValidationError(errors)


def decision_record(
    *,
    actor: User,
    person: Person,
    reason_key: str,
    item_key: str = "",
    action: str,
    until: dt.date | None = None,
    note: str = "",
    covering_for: User | None = None,
) -> WorklistDecision:
    """Set one worklist item aside: done for today, or snoozed until `until` (the day it
    comes back). The caller has read `person` through the worklist's selectors, on the
    actor's caseload or the one of the teammate they cover for (`covering_for`)."""
    _ensure_care_team(actor, person)
    now = timezone.now()
    _check(action, reason_key, until, note, timezone.localdate(now))
    decision = WorklistDecision(
        person=person,
        reason_key=reason_key,
        item_key=item_key,
        action=action,
        until=until if action == WorklistDecision.Action.SNOOZED else None,
        note=note.strip(),
        decided_by=actor,
        covering_for=covering_for,
        created_at=now,
    )
    decision.full_clean()
    with transaction.atomic():
        decision.save()
        detail: dict[str, Any] = {"decision": action, "reason": reason_key, "item": item_key}
        if until is not None:
            detail["until"] = until.isoformat()
        if covering_for is not None:
            detail["covering_for"] = covering_for.pk
        audit.record_for_person(
            actor=actor, action=Action.CREATE, person=person, obj=decision, detail=detail
        )
    return decision


def decision_undo(*, actor: User, decision: WorklistDecision) -> WorklistDecision:
    """Bring a set-aside item back now. The decision is kept, marked undone."""
    with transaction.atomic():
        locked = WorklistDecision.objects.select_for_update().select_related("person")
        decision = locked.get(pk=decision.pk)
        if decision.undone_at is not None:
            return decision
        _ensure_care_team(actor, decision.person)
        decision.undone_at = timezone.now()
        decision.undone_by = actor
        decision.save(update_fields=["undone_at", "undone_by"])
        audit.record_for_person(
            actor=actor,
            action=Action.UPDATE,
            person=decision.person,
            obj=decision,
            fields=["undone_at"],
            detail={"decision": decision.action, "undone": True, "reason": decision.reason_key},
        )
    return decision
