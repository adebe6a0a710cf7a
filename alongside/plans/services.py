"""Writes to plans. Each goes through the steps in plans/changes.py: an explicit actor
on the person's care team, the plan's version checked (a stale one raises
`PlanChanged`, naming what changed since), then bumped, with a `PlanVersion` snapshot,
an audit event and an announcement (plans/hooks.py), all in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor, account_of
from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import scope_for
from alongside.lib.english import in_english
from alongside.lib.errors import NotPermitted
from alongside.lib.validation import full_clean
from alongside.people.models import Enrollment, SupportContact
from alongside.plans import changes
from alongside.plans.models import (
    Agreement,
    GasRating,
    Goal,
    Plan,
    Readiness,
    Review,
    Step,
)
from alongside.plans.programs import settings_for

APPROVERS_ONLY = "Only a supervisor of the program can approve its plans."
GOAL_FIELDS = (
    "words",
    "restatement",
    "domain",
    "importance",
    "profile_link",
    "priority",
    "target_date",
    "lifecycle",
    "achievement",
    "gas_minus2",
    "gas_minus1",
    "gas_0",
    "gas_plus1",
    "gas_plus2",
    "weight",
)


# ---------------------------------------------------------------- the plan


def plan_start(*, actor: Actor, enrollment: Enrollment, started_on: dt.date | None = None) -> Plan:
    """A draft plan for an open enrollment that has none open."""
    person = enrollment.person
    changes.ensure_care_team(actor, person)
    if not enrollment.is_open:
        raise ValidationError(_("Plans are made for open enrollments."))
    with transaction.atomic():
        Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if Plan.objects.filter(enrollment=enrollment, status__in=Plan.OPEN_STATUSES).exists():
            raise ValidationError(_("This enrollment already has a plan; open that one."))
        plan = Plan(
            person=person,
            enrollment=enrollment,
            started_on=started_on or timezone.localdate(),
            created_by=account_of(actor),
            version=0,
        )
        full_clean(plan)
        plan.save()
        changes.commit(actor, plan, "plan_started", in_english(lambda: _("Plan started")))
    return plan


def _activation_problems(plan: Plan) -> list[str]:
    settings = settings_for(plan.enrollment.program_id)
    problems = []
    if (
        not Goal.objects.filter(plan=plan)
        .exclude(lifecycle__in=["cancelled", "rejected", "entered-in-error"])
        .exists()
    ):
        problems.append(_("Add at least one goal before the plan starts."))
    latest = Agreement.objects.filter(plan=plan).order_by("-recorded_at", "-id").first()
    if settings.requires_agreement and (latest is None or not latest.agrees):
        problems.append(_("Record the person's agreement before the plan starts."))
    elif (
        settings.requires_signature
        and latest is not None
        and latest.method != Agreement.Method.SIGNED
    ):
        problems.append(_("This program asks for the person's signature before the plan starts."))
    if settings.requires_approval and plan.approved_at is None:
        problems.append(_("This program asks for a supervisor's approval before the plan starts."))
    return problems


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Plan.Status.ACTIVE: (Plan.Status.DRAFT, Plan.Status.UNDER_REVIEW),
    Plan.Status.UNDER_REVIEW: (Plan.Status.ACTIVE, Plan.Status.REVISED),
    Plan.Status.COMPLETED: Plan.OPEN_STATUSES,
    Plan.Status.CLOSED: Plan.OPEN_STATUSES,
}


def plan_status_set(
    *, actor: Actor, plan: Plan, status: str, reason: str = "", expected_version: int | None
) -> Plan:
    """Move the plan on: draft to active (with the person's agreement, and approval where
    the program asks for it), in force to under review and back, or end it, completed
    or closed, with a reason. A review moves it to revised (`review_record`)."""
    with transaction.atomic():
        plan = changes.locked(actor, plan, expected_version)
        if status not in TRANSITIONS or plan.status not in TRANSITIONS[status]:
            raise ValidationError(
                {
                    "status": _("A plan that is %(now)s cannot become %(to)s.")
                    % {
                        "now": plan.get_status_display().lower(),
                        "to": Plan.Status(status).label.lower()
                        if status in Plan.Status.values
                        else status,
                    }
                }
            )
        if status in Plan.ENDED and not reason.strip():
            raise ValidationError({"reason": _("Say why the plan is ending.")})
        now = timezone.now()
        if status == Plan.Status.ACTIVE and plan.status == Plan.Status.DRAFT:
            problems = _activation_problems(plan)
            if problems:
                raise ValidationError({"status": problems})
            plan.activated_at = now
            interval = settings_for(plan.enrollment.program_id).review_interval_days
            plan.next_review_on = timezone.localdate(now) + dt.timedelta(days=interval)
        plan.status = status
        plan.ended_reason = reason.strip() if status in Plan.ENDED else ""
        changes.commit(
            actor,
            plan,
            "status_changed",
            in_english(
                lambda: _("Plan %(status)s") % {"status": plan.get_status_display().lower()}
            ),
            fields=["status"],
        )
    return plan


def plan_approve(*, actor: Actor, plan: Plan, expected_version: int | None) -> Plan:
    with transaction.atomic():
        plan = changes.locked(actor, plan, expected_version)
        if not scope_for(actor).oversees_program(plan.enrollment.program_id):
            raise NotPermitted(APPROVERS_ONLY)
        changes.ensure_open(plan)
        plan.approved_by = account_of(actor)
        plan.approved_at = timezone.now()
        changes.commit(
            actor,
            plan,
            "plan_approved",
            in_english(lambda: _("Plan approved")),
            fields=["approved_at"],
        )
    return plan


# ---------------------------------------------------------------- goals


def _clean_goal(goal: Goal, plan: Plan) -> None:
    errors: dict[str, str] = {}
    if not goal.words.strip():
        errors["words"] = _("Write the goal in the person's own words.")
    if goal.target_date is not None and goal.target_date < plan.started_on:
        errors["target_date"] = _("The target date cannot be before the plan started (%(d)s).") % {
            "d": plan.started_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    full_clean(goal)


def goal_add(
    *, actor: Actor, plan: Plan, data: Mapping[str, Any], expected_version: int | None
) -> Goal:
    """A new goal. Its words are the person's, stored exactly as given."""
    with transaction.atomic():
        plan = changes.locked(actor, plan, expected_version)
        changes.ensure_open(plan)
        goal = Goal(plan=plan, **{k: v for k, v in data.items() if k in GOAL_FIELDS})
        if "priority" not in data or data["priority"] is None:
            goal.priority = Goal.objects.filter(plan=plan).count() + 1
        if goal.weight is None:
            goal.weight = 1
        _clean_goal(goal, plan)
        goal.save()
        changes.commit(
            actor,
            plan,
            "goal_added",
            in_english(lambda: _("Goal added: %(goal)s") % {"goal": changes.goal_label(goal)}),
            obj=goal,
            goal=goal,
        )
    return goal


def goal_update(
    *, actor: Actor, goal: Goal, data: Mapping[str, Any], expected_version: int | None
) -> Goal:
    """Change a goal in place (its identity never changes); `data` names the fields."""
    with transaction.atomic():
        plan = changes.locked(actor, goal.plan, expected_version)
        changes.ensure_open(plan)
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        changed = [k for k in GOAL_FIELDS if k in data and getattr(goal, k) != data[k]]
        for name in changed:
            setattr(goal, name, data[name])
        _clean_goal(goal, plan)
        if not changed:
            return goal
        goal.save()
        changes.commit(
            actor,
            plan,
            "goal_changed",
            in_english(lambda: _("Goal changed: %(goal)s") % {"goal": changes.goal_label(goal)}),
            obj=goal,
            fields=changed,
            goal=goal,
        )
    return goal


def readiness_record(
    *,
    actor: Actor,
    goal: Goal,
    importance: int,
    confidence: int,
    why_not_lower: str = "",
    expected_version: int | None,
) -> Readiness:
    with transaction.atomic():
        plan = changes.locked(actor, goal.plan, expected_version)
        changes.ensure_open(plan)
        errors = {
            name: _("Choose a number from 0 to 10.")
            for name, value in (("importance", importance), ("confidence", confidence))
            if value is None or not 0 <= value <= 10
        }
        if errors:
            raise ValidationError(errors)
        reading = Readiness(
            goal=goal,
            importance=importance,
            confidence=confidence,
            why_not_lower=why_not_lower,
            measured_at=timezone.now(),
            recorded_by=account_of(actor),
        )
        full_clean(reading)
        reading.save()
        changes.commit(
            actor,
            plan,
            "readiness_recorded",
            in_english(
                lambda: _("Readiness recorded for %(goal)s") % {"goal": changes.goal_label(goal)}
            ),
            obj=reading,
            goal=goal,
        )
    return reading


# ---------------------------------------------------------------- steps


def step_owners(plan: Plan) -> tuple[list[User], list[SupportContact]]:
    """Who may own a step: staff of the enrollment's program (schedulers aside) and its
    primary coordinator, and the people who matter to the person who agreed to be
    involved."""
    enrollment = plan.enrollment
    staff_ids = set(
        Membership.objects.filter(program_id=enrollment.program_id)
        .exclude(role=Role.SCHEDULER)
        .values_list("user_id", flat=True)
    )
    if enrollment.primary_coordinator_id:
        staff_ids.add(enrollment.primary_coordinator_id)
    staff = list(User.objects.filter(pk__in=staff_ids, is_active=True).order_by("first_name"))
    contacts = list(SupportContact.objects.filter(person_id=plan.person_id, may_involve=True))
    return staff, contacts


def _check_owner(plan: Plan, step: Step) -> None:
    staff, contacts = step_owners(plan)
    if step.owner_kind == Step.Owner.STAFF:
        step.owner_contact = None
        if step.owner_user_id not in {u.pk for u in staff}:
            raise ValidationError({"owner_user": _("Choose a staff member on the person's team.")})
    elif step.owner_kind == Step.Owner.SUPPORT:
        step.owner_user = None
        if step.owner_contact_id not in {c.pk for c in contacts}:
            raise ValidationError(
                {
                    "owner_contact": _(
                        "Choose someone from the person's support network whom they agreed "
                        "to involve."
                    )
                }
            )
    else:
        step.owner_user = step.owner_contact = None


# A step is a task in the hub, due at the end of its day; further than this it is a typo
# (and past year 9999 in UTC, a date no database can store).
STEP_HORIZON = dt.timedelta(days=366 * 10)


def _check_due(step: Step) -> None:
    if step.due_on is not None and step.due_on > timezone.localdate() + STEP_HORIZON:
        raise ValidationError({"due_on": _("Choose a date within the next ten years.")})


def step_add(
    *, actor: Actor, goal: Goal, data: Mapping[str, Any], expected_version: int | None
) -> Step:
    with transaction.atomic():
        plan = changes.locked(actor, goal.plan, expected_version)
        changes.ensure_open(plan)
        step = Step(
            goal=goal,
            text=data.get("text", ""),
            owner_kind=data.get("owner_kind", ""),
            owner_user=data.get("owner_user"),
            owner_contact=data.get("owner_contact"),
            due_on=data.get("due_on"),
        )
        if not step.text.strip():
            raise ValidationError({"text": _("Say what will be done.")})
        _check_due(step)
        _check_owner(plan, step)
        full_clean(step)
        step.save()
        changes.commit(
            actor,
            plan,
            "step_added",
            in_english(lambda: _("Step added to %(goal)s") % {"goal": changes.goal_label(goal)}),
            obj=step,
            goal=goal,
            step=step,
        )
    return step


def step_done(*, actor: Actor, step: Step, done: bool = True, expected_version: int | None) -> Step:
    with transaction.atomic():
        plan = changes.locked(actor, step.goal.plan, expected_version)
        changes.ensure_open(plan)
        step = Step.objects.select_for_update().select_related("goal").get(pk=step.pk)
        if (step.done_at is not None) == done:
            return step
        step.done_at = timezone.now() if done else None
        step.save(update_fields=["done_at"])
        summary = in_english(
            lambda: _("Step done for %(goal)s") if done else _("Step reopened for %(goal)s")
        )
        changes.commit(
            actor,
            plan,
            "step_done" if done else "step_reopened",
            summary % {"goal": changes.goal_label(step.goal)},
            obj=step,
            fields=["done_at"],
            goal=step.goal,
            step=step,
        )
    return step


# ---------------------------------------------------------------- reviews and agreement


def review_record(
    *,
    actor: Actor,
    plan: Plan,
    held_on: dt.date,
    participants: str,
    person_view: str = "",
    what_changed: str = "",
    ratings: Mapping[int, tuple[int, str]],
    expected_version: int | None,
) -> Review:
    """A review of a plan in force: who took part, the person's view in their words,
    what changed, and a GAS rating (-2..+2, with a note) for each goal rated. The plan
    becomes revised and its next review falls due one interval after this one."""
    with transaction.atomic():
        plan = changes.locked(actor, plan, expected_version)
        if plan.status not in Plan.IN_FORCE:
            raise ValidationError(_("A plan is reviewed once it is active."))
        errors: dict[str, Any] = {}
        if not participants.strip():
            errors["participants"] = _("Say who took part.")
        if held_on > timezone.localdate() or held_on < plan.started_on:
            errors["held_on"] = _("The review is held between the plan's start and today.")
        goals = {g.pk: g for g in Goal.objects.filter(plan=plan)}
        for goal_id, (level, _note) in ratings.items():
            if goal_id not in goals:
                errors["ratings"] = _("Rate only this plan's goals.")
            elif level not in (-2, -1, 0, 1, 2):
                errors[f"level_{goal_id}"] = _("A rating is from -2 to +2.")
        if errors:
            raise ValidationError(errors)
        review = Review(
            plan=plan,
            held_on=held_on,
            participants=participants,
            person_view=person_view,
            what_changed=what_changed,
            recorded_by=account_of(actor),
        )
        full_clean(review)
        review.save()
        GasRating.objects.bulk_create(
            GasRating(review=review, goal_id=goal_id, level=level, note=note)
            for goal_id, (level, note) in ratings.items()
        )
        interval = settings_for(plan.enrollment.program_id).review_interval_days
        plan.status = Plan.Status.REVISED
        plan.next_review_on = held_on + dt.timedelta(days=interval)
        changes.commit(
            actor, plan, "review_recorded", in_english(lambda: _("Review recorded")), obj=review
        )
    return review


def agreement_record(
    *,
    actor: Actor,
    plan: Plan,
    method: str,
    signature: str = "",
    witness: str = "",
    person_words: str = "",
    expected_version: int | None,
) -> Agreement:
    """How the person agreed to the plan (a typed signature on screen, or verbally with
    a witness), or that they declined, with their words."""
    with transaction.atomic():
        plan = changes.locked(actor, plan, expected_version)
        changes.ensure_open(plan)
        errors: dict[str, str] = {}
        if method == Agreement.Method.SIGNED and not signature.strip():
            errors["signature"] = _("Ask the person to type their name to sign.")
        if method == Agreement.Method.VERBAL and not witness.strip():
            errors["witness"] = _("Name the witness to the person's agreement.")
        if method == Agreement.Method.DECLINED and not person_words.strip():
            errors["person_words"] = _("Write what the person said, in their words.")
        if errors:
            raise ValidationError(errors)
        agreement = Agreement(
            plan=plan,
            method=method,
            signature=signature.strip() if method == Agreement.Method.SIGNED else "",
            witness=witness.strip() if method == Agreement.Method.VERBAL else "",
            person_words=person_words,
            plan_version=plan.version,
            recorded_at=timezone.now(),
            recorded_by=account_of(actor),
        )
        full_clean(agreement)
        agreement.save()
        changes.commit(
            actor,
            plan,
            "agreement_recorded",
            in_english(
                lambda: (
                    _("Agreement recorded: %(how)s")
                    % {"how": agreement.get_method_display().lower()}
                )
            ),
            obj=agreement,
        )
    return agreement
