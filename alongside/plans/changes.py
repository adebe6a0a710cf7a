"""The one way every change to a plan is made: the actor must be on the person's care
team, the plan is locked and its version checked (a stale one raises `PlanChanged`,
naming what changed since), and `commit` bumps the version, keeps a `PlanVersion`
snapshot, records an audit event and announces the change (plans/hooks.py), in the
caller's transaction. The services (plans/services.py) build on these steps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor, account_of
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.people.models import Person
from alongside.people.sensitivity import disclosure_for
from alongside.plans import hooks
from alongside.plans.models import Goal, Plan, PlanVersion, Step
from alongside.plans.snapshot import plan_snapshot

CARE_TEAM_ONLY = "Only the person's care team can change their plan."


class PlanChanged(StaleVersion):
    """The plan changed since the caller read it: what changed, version by version."""

    def __init__(self, current_version: int, changes: list[str]) -> None:
        super().__init__(current_version)
        self.changes = changes


def ensure_care_team(actor: Actor, person: Person) -> None:
    if not disclosure_for(actor, person).sensitive:
        raise NotPermitted(CARE_TEAM_ONLY)


def locked(actor: Actor, plan: Plan, expected_version: int | None) -> Plan:
    """The plan, locked for this transaction, after checking who acts and the version."""
    locked = Plan.objects.select_for_update().select_related("person").get(pk=plan.pk)
    ensure_care_team(actor, locked.person)
    if expected_version is not None and expected_version != locked.version:
        changes = list(
            PlanVersion.objects.filter(plan_id=locked.pk, number__gt=expected_version)
            .order_by("number")
            .values_list("summary", flat=True)
        )
        raise PlanChanged(locked.version, changes)
    return locked


def ensure_open(plan: Plan) -> None:
    if not plan.is_open:
        raise ValidationError(
            _("This plan is %(status)s; start a new plan to make changes.")
            % {"status": plan.get_status_display().lower()}
        )


def commit(
    actor: Actor,
    plan: Plan,
    kind: str,
    summary: str,
    *,
    obj: Any = None,
    fields: list[str] | None = None,
    goal: Goal | None = None,
    step: Step | None = None,
) -> None:
    """Bump the plan's version, keep the snapshot, audit and announce the change."""
    plan.version += 1
    plan.save()
    now = timezone.now()
    PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        summary=summary[:300],
        snapshot=plan_snapshot(plan),
        created_at=now,
        created_by=account_of(actor),
    )
    audit.record_for_person(
        actor=actor,
        action=Action.CREATE if fields is None else Action.UPDATE,
        person=plan.person,
        obj=obj if obj is not None else plan,
        fields=fields or (),
        detail={"plan": plan.pk, "change": kind, "version": plan.version},
    )
    about = goal or (step.goal if step else None)
    sensitive = about is not None and about.is_sensitive
    hooks.announce(
        hooks.PlanChange(
            actor=actor,
            plan=plan,
            kind=kind,
            summary=summary,
            version=plan.version,
            goal=goal,
            step=step,
            sensitive=sensitive,
        )
    )


def goal_label(goal: Goal) -> str:
    # Version summaries are read by everyone who sees the plan: a sensitive goal is
    # named by its number, never its words.
    return f"goal {goal.pk}" if goal.is_sensitive else f"“{goal.words[:80]}”"
