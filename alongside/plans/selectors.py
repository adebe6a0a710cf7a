"""Reads of plans, starting from the people the viewer may see (`Person.objects.
visible_to`), with what the one sensitivity rule hides taken out before anything leaves
here: a goal about mental health, substance use or safety reads as restricted to anyone
off the person's care team. Reads of a plan are audited as views of the person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.lib import compiled, links
from alongside.lib.links import link
from alongside.lib.urls import MAX_ID
from alongside.organizations.models import Program
from alongside.organizations.program_settings import programs_with
from alongside.people import related_rows
from alongside.people.contributions import PanelContext, WorklistItem, WorklistRow
from alongside.people.models import Enrollment, Person
from alongside.people.selectors import audit_person_view
from alongside.people.sensitivity import RESTRICTED, disclosure_for
from alongside.plans import charts, display, snapshot_rows, stored
from alongside.plans.models import (
    SENSITIVE_DOMAINS,
    Goal,
    GoalTemplate,
    Plan,
    PlanSettings,
    PlanVersion,
    Step,
)
from alongside.plans.programs import settings_of
from alongside.plans.snapshot import Snapshot, plan_snapshot, redacted

REVIEW_DUE = "plans.review_due"
# A review shows on the worklist this many days before it falls due.
REVIEW_NOTICE_DAYS = 14
PANEL_GOALS = 5


def plans_for(user: Actor) -> QuerySet[Plan]:
    return Plan.objects.filter(person__in=Person.objects.visible_to(user))


def _with_person(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.select_related(
        "person__profile", "person__organization", "enrollment__program"
    ).prefetch_related(Prefetch("person__enrollments", queryset=Enrollment.objects.all()))


# Read with a plan that is shown whole, in the same query on PostgreSQL
# (people/related_rows.py): the enrollments the sensitivity rule reads and the languages
# the print form offers.
_PERSON_ROWS = ("enrollments", "languages")


def _shown_whole(user: Actor) -> QuerySet[Plan]:
    """The plans the user may see, each with its person, program and plan settings."""
    return plans_for(user).select_related(
        "person__profile", "person__organization", "enrollment__program__plan_settings"
    )


def _whole(user: Actor, pk: int) -> QuerySet[Plan]:
    """The plan `pk` if the user may see it, with everything `_read_whole` reads with it
    on PostgreSQL."""
    plans = _shown_whole(user)
    for name in _PERSON_ROWS:
        plans = plans.annotate(**related_rows.rows_of_person(name, "person_id"))
    return plans.annotate(**snapshot_rows.annotation()).filter(pk=pk)


def _read_whole(user: Actor, pk: int) -> Plan:
    """A plan of a person the user may see, with its person, program and plan settings,
    and, on PostgreSQL, its snapshot's rows (plans/snapshot_rows.py) and the person's
    enrollments and languages, all in one query; on SQLite with prefetches.

    On PostgreSQL the statement depends only on the viewer's scope (who they may see):
    it is compiled once per process and scope (`lib.compiled`), the plan's id its
    parameter, since building it through the ORM cost several times what the database
    takes to answer it (bench/README.md)."""
    if not snapshot_rows.inline():
        return (
            _shown_whole(user)
            .prefetch_related(Prefetch("person__enrollments", queryset=Enrollment.objects.all()))
            .get(pk=pk)
        )
    found = compiled.objects("plans.page", scope_for(user), partial(_whole, user), pk)
    if not found:
        raise Plan.DoesNotExist("No such plan")
    plan: Plan = found[0]
    for name in _PERSON_ROWS:
        related_rows.store_rows(plan, plan.person, name)
    return plan


def enrollment_for(user: Actor, pk: int) -> Enrollment:
    """An enrollment of a person the user may see (DoesNotExist otherwise)."""
    return (
        Enrollment.objects.filter(person__in=Person.objects.visible_to(user))
        .select_related("person", "program")
        .prefetch_related("person__enrollments")
        .get(pk=pk)
    )


def plan_for(user: Actor, pk: int, *, purpose: str = "plan") -> Plan:
    """A plan of a person the user may see, with its person and enrollment, recorded as
    a view of the person (DoesNotExist otherwise)."""
    plan = _with_person(plans_for(user)).get(pk=pk)
    audit_person_view(user, plan.person, purpose)
    return plan


def person_plans(user: Actor, person_id: int) -> tuple[Person, Sequence[Plan]]:
    """A person the user may see (DoesNotExist otherwise) with their plans, newest
    first, each with its program and how many current goals and open steps it has;
    recorded as a view of the person. Four queries (and the audit), however many."""
    person = Person.objects.visible_to(user).get(pk=person_id)
    audit_person_view(user, person, "plans")
    current = ~Q(goals__lifecycle__in=["cancelled", "rejected", "entered-in-error"])
    plans = list(
        Plan.objects.filter(person=person)
        .select_related("enrollment__program")
        .annotate(
            current_goals=Count("goals", filter=current, distinct=True),
            open_steps=Count(
                "goals__steps", filter=Q(goals__steps__done_at__isnull=True), distinct=True
            ),
        )
        .order_by("-created_at", "-id")
    )
    return person, plans


def goal_of(plan: Plan, pk: int) -> Goal:
    goal = Goal.objects.get(pk=pk, plan=plan)
    goal.plan = plan
    return goal


def step_of(plan: Plan, pk: int) -> Step:
    step = Step.objects.select_related("goal").get(pk=pk, goal__plan=plan)
    step.goal.plan = plan
    return step


def plan_read(user: Actor, pk: int, *, purpose: str = "plan") -> tuple[Plan, Snapshot, Snapshot]:
    """A plan (audited as a read of the person), its whole snapshot as it is now, and the
    snapshot as the user may see it (`snapshot.redacted`). On PostgreSQL one query
    reads them all (`_read_whole`)."""
    plan = _read_whole(user, pk)
    audit_person_view(user, plan.person, purpose)
    whole = plan_snapshot(plan)
    shown = redacted(whole, sensitive=disclosure_for(user, plan.person).sensitive)
    return plan, whole, shown


def plan_page(user: Actor, pk: int) -> dict[str, Any]:
    """What the plan page shows, as the user may see it, in a fixed number of queries
    whatever the plan holds: the plan as it is now (drawn from its snapshot, the way a
    past version is), the balance view, the GAS chart, and what the user may do."""
    plan, whole, shown = plan_read(user, pk)
    disclosure = disclosure_for(user, plan.person)
    today = timezone.localdate()
    view = _with_links(display.readable(whole, shown, today), plan.pk)
    settings = settings_of(plan.enrollment.program)
    return {
        "plan": plan,
        "person": plan.person,
        "view": view,
        "chart": charts.gas_chart(view["scores"]),
        "settings": settings,
        "can_edit": disclosure.sensitive and plan.is_open,
        "can_approve": plan.is_open
        and settings.requires_approval
        and plan.approved_at is None
        and disclosure.sensitive
        and scope_for(user).oversees_program(plan.enrollment.program_id),
        "restricted": RESTRICTED,
    }


def _id_link(name: str, plan_pk: int) -> Callable[[int], str]:
    """`reverse(name, args=[plan_pk, id])` for any id, from the route's path cut once
    (`lib.links`): the plan page links each goal and step, and reversing each link
    costs more than the rest of it."""
    head, _sentinel, tail = links.link(name, plan_pk, MAX_ID).rpartition(str(MAX_ID))
    return lambda pk: f"{head}{pk}{tail}"


def _with_links(view: dict[str, Any], plan_pk: int) -> dict[str, Any]:
    """The readable plan with the links of what the care team can do to each goal and
    step (unused where the viewer may not)."""
    edit, step, readiness, done = (
        _id_link(f"plans:{name}", plan_pk)
        for name in ("goal-edit", "step-add", "readiness", "step-done")
    )
    for goal in view["goals"]:
        goal["edit_url"] = edit(goal["id"])
        goal["step_url"] = step(goal["id"])
        goal["readiness_url"] = readiness(goal["id"])
        for s in goal.get("steps", []):
            s["done_url"] = done(s["id"])
    return view


def plan_versions(plan: Plan) -> list[PlanVersion]:
    """The plan's versions, each summary in the reader's language (stored in English)."""
    versions = list(
        PlanVersion.objects.filter(plan=plan).select_related("created_by").defer("snapshot")
    )
    for version in versions:
        version.summary = stored.say(version.summary)
    return versions


def version_page(user: Actor, plan: Plan, number: int) -> dict[str, Any]:
    """One past version of the plan, exactly as it was, as the user may see it."""
    version = PlanVersion.objects.select_related("created_by").get(plan=plan, number=number)
    version.summary = stored.say(version.summary)
    disclosure = disclosure_for(user, plan.person)
    shown = redacted(version.snapshot, sensitive=disclosure.sensitive)
    view = display.readable(version.snapshot, shown, timezone.localdate(version.created_at))
    return {
        "plan": plan,
        "person": plan.person,
        "version": version,
        "view": view,
        "chart": charts.gas_chart(view["scores"]),
        "restricted": RESTRICTED,
    }


# ---------------------------------------------------------------- the person page


def _panel_plans(person_id: int) -> QuerySet[Plan]:
    """Every plan of the person, newest first, with its open steps counted."""
    return (
        Plan.objects.filter(person_id=person_id)
        .annotate(open_steps=Count("goals__steps", filter=Q(goals__steps__done_at__isnull=True)))
        .order_by("-created_at", "-id")
    )


def _panel_goals(person_id: int) -> QuerySet[Goal]:
    """The goals of the person's open plans still being worked on, in priority order."""
    return (
        Goal.objects.filter(plan__person_id=person_id, plan__status__in=Plan.OPEN_STATUSES)
        .exclude(lifecycle__in=["cancelled", "rejected", "entered-in-error"])
        .order_by("priority", "id")
    )


def person_panel(context: PanelContext) -> dict[str, Any] | None:
    """The "Plan" panel: each open plan of the person with its goals in the person's
    priority order (a sensitive goal restricted for viewers off the care team), the open
    enrollments a plan could start for, and the plans that ended. Two queries."""
    if not context.disclosure.identity:
        return None
    person = context.person
    # Both statements depend on nothing but the person's id: compiled once per process.
    every: list[Plan] = compiled.objects("plans.panel", None, _panel_plans, person.pk)
    # Each plan's enrollment, with its program, came with the person.
    enrollments = {e.pk: e for e in person.enrollments.all()}
    for plan in every:
        if plan.enrollment_id in enrollments:
            plan.enrollment = enrollments[plan.enrollment_id]
    plans = [p for p in every if p.is_open]
    goals: dict[int, list[Goal]] = {p.pk: [] for p in plans}
    # By the person, not the plans' ids: the same two queries with or without a plan.
    for goal in compiled.objects("plans.panel_goals", None, _panel_goals, person.pk):
        goals.setdefault(goal.plan_id, []).append(goal)
    today = timezone.localdate()
    with_plan = {p.enrollment_id for p in plans}
    return {
        "plans": [
            {
                "plan": p,
                "goals": goals[p.pk][:PANEL_GOALS],
                "more_goals": max(0, len(goals[p.pk]) - PANEL_GOALS),
                "review_overdue": p.status in Plan.IN_FORCE
                and p.next_review_on is not None
                and p.next_review_on < today,
            }
            for p in plans
        ],
        "startable": [e for e in person.enrollments.all() if e.is_open and e.pk not in with_plan]
        if context.disclosure.sensitive
        else [],
        "earlier": [p for p in every if not p.is_open],
        "sees_sensitive": context.disclosure.sensitive,
        "sensitive_domains": SENSITIVE_DOMAINS,
        "restricted": RESTRICTED,
    }


# ---------------------------------------------------------------- the worklist


def plans_to_review(viewer: Actor, caseload: QuerySet[Person], now: dt.datetime) -> QuerySet[Any]:
    """Plans in force whose review falls due within `REVIEW_NOTICE_DAYS`, or is
    overdue."""
    today = timezone.localdate(now)
    return Plan.objects.filter(
        person__in=caseload,
        status__in=Plan.IN_FORCE,
        next_review_on__lte=today + dt.timedelta(days=REVIEW_NOTICE_DAYS),
    ).values("pk", "person_id", "next_review_on")


def reviews_due(viewer: Actor, rows: list[WorklistRow], now: dt.datetime) -> list[WorklistItem]:
    """Due the day the review falls due."""
    today = timezone.localdate(now)
    items = []
    for row in rows:
        pk, person_id, due = row["pk"], row["person_id"], row["next_review_on"]
        days = (today - due).days
        if days > 0:
            text = ngettext(
                "plan review overdue by %(days)d day", "plan review overdue by %(days)d days", days
            ) % {"days": days}
        elif days == 0:
            text = _("plan review due today")
        else:
            text = ngettext(
                "plan review due in %(days)d day", "plan review due in %(days)d days", -days
            ) % {"days": -days}
        items.append(
            WorklistItem(
                person_id=person_id,
                reason=REVIEW_DUE,
                text=text,
                due_at=timezone.make_aware(dt.datetime.combine(due, dt.time.min)),
                link=link("plans:plan", pk),
                # Each review's due date is its own occurrence: done today hides this one.
                key=f"plan:{pk}:{due.isoformat()}",
            )
        )
    return items


def plan_goals(plan: Plan) -> list[Goal]:
    return list(Goal.objects.filter(plan=plan).order_by("priority", "id"))


def program_settings(organization_id: int) -> list[tuple[Program, PlanSettings]]:
    """Each of the organization's programs with how it runs its plans (the defaults where
    it has no row) and its active goal templates counted, in one query: for its admins'
    settings page."""
    return programs_with(
        PlanSettings,
        organization_id,
        templates=Count("goal_templates", filter=Q(goal_templates__is_active=True)),
    )


def goal_templates_of(program: Program) -> list[GoalTemplate]:
    """The program's library of goal templates, those offered first."""
    return list(GoalTemplate.objects.filter(program=program).order_by("-is_active", "title", "pk"))


def goal_template_of(program: Program, pk: int) -> GoalTemplate:
    return GoalTemplate.objects.get(program=program, pk=pk)
