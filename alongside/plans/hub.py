"""Plans and the coordinator's hub: every plan change goes on the person's journey, and
a step a staff member owns is a task for them (done when the step is). A listener on
`plans.hooks`, registered in PlansConfig.ready(); it runs inside the change's
transaction, so the entry and the task exist exactly when the change does."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.people import timeline
from alongside.people.contributions import TimelineKind, timeline_kinds
from alongside.plans import stored
from alongside.plans.hooks import PlanChange, listen
from alongside.plans.models import Step
from alongside.tasks import services as tasks
from alongside.tasks.models import Task

# The changes the plan services announce, and how the journey labels them. A change not
# listed here (one added later) goes on as "plans.changed".
KINDS = {
    "plan_started": _("Plan started"),
    "status_changed": _("Plan status changed"),
    "plan_approved": _("Plan approved"),
    "goal_added": _("Goal added"),
    "goal_changed": _("Goal changed"),
    "readiness_recorded": _("Readiness recorded"),
    "step_added": _("Step added"),
    "step_done": _("Step done"),
    "step_reopened": _("Step reopened"),
    "review_recorded": _("Plan reviewed"),
    "agreement_recorded": _("Agreement recorded"),
    "changed": _("Plan changed"),
}
STEP_DUE = dt.timedelta(days=7)
STEP_DONE = "The step is done in the plan."


def register() -> None:
    for kind, label in KINDS.items():
        # Not sensitive as a kind: an entry about a sensitive goal is marked so itself.
        timeline_kinds.register(
            TimelineKind(key=f"plans.{kind}", label=label, group="plans", said=stored.say)
        )
    listen(on_change)


def on_change(change: PlanChange) -> None:
    _on_journey(change)
    step = change.step
    if step is None or step.owner_kind != Step.Owner.STAFF:
        return
    if change.kind == "step_added":
        _task_for(change, step)
    elif change.kind in ("step_done", "step_reopened"):
        _follow(change, step)


def _details(change: PlanChange) -> str:
    if change.step is not None:
        return change.step.text
    if change.goal is not None:
        return change.goal.words
    return ""


def _on_journey(change: PlanChange) -> None:
    plan = change.plan
    kind = change.kind if change.kind in KINDS else "changed"
    timeline.add_entry(
        person=plan.person,
        kind=f"plans.{kind}",
        occurred_at=timezone.now(),
        summary=change.summary,
        details=_details(change),
        sensitive=change.sensitive,
        actor=change.actor,
        program=plan.enrollment.program,
        subject=change.step or change.goal or plan,
        link=reverse("plans:plan", args=[plan.pk]),
    )


def step_key(step: Step) -> str:
    return f"step:{step.pk}"


def _due(step: Step) -> dt.datetime:
    """The end of the step's due day, in the server's time zone; a week from now when it
    has none. A step already overdue is due by the end of today (a task is never due in
    the past)."""
    now = timezone.now()
    if step.due_on is None:
        return now + STEP_DUE
    zone = timezone.get_current_timezone()
    end = dt.datetime.combine(step.due_on, dt.time(23, 59), tzinfo=zone)
    if end < now:
        end = dt.datetime.combine(timezone.localdate(now), dt.time(23, 59), tzinfo=zone)
    return end


def _task_for(change: PlanChange, step: Step) -> None:
    program = change.plan.enrollment.program
    assignee = step.owner_user
    try:
        tasks.check_assignee(program, assignee)
    except ValidationError:
        # The primary coordinator may own a step without working in the program: the
        # task waits in the program's team queue instead.
        assignee = None
    # Tasks are read by everyone who sees the person: a sensitive goal's step is named
    # by its goal's number, its words stay on the plan.
    title = f"Plan step for goal {step.goal_id}" if change.sensitive else step.text
    tasks.task_create(
        actor=change.actor,
        program=program,
        person=change.plan.person,
        assignee=assignee,
        data={
            "title": title[:200],
            "description": f"A step in the plan: {reverse('plans:plan', args=[change.plan.pk])}",
            "due_at": _due(step),
            "priority": "routine",
        },
        origin=Task.Origin.PLAN,
        occurrence_key=step_key(step),
        sensitive=change.sensitive,
    )


def _follow(change: PlanChange, step: Step) -> None:
    task = Task.objects.filter(origin=Task.Origin.PLAN, occurrence_key=step_key(step)).first()
    if task is None:
        return
    if change.kind == "step_done" and task.is_open:
        tasks.task_complete(actor=change.actor, task=task, note=STEP_DONE)
    elif change.kind == "step_reopened" and task.status == Task.Status.DONE:
        tasks.task_reopen(actor=change.actor, task=task)
