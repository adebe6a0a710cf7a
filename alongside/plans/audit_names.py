"""Plans and what is in them as the audit browser names them
(`alongside.audit.readable`): "Goal: Housing", "Plan review, 3 Dec". Only for people the
viewer sees; never by the person's words (a goal's, a step's, a review's or an
agreement's), and a goal about mental health, substance use or safety is not even named
by its domain for a viewer the one sensitivity rule keeps from it."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit.readable import ObjectNamer, int_ids, object_namers, short_day
from alongside.people.models import Person
from alongside.people.sensitivity import sees_sensitive
from alongside.plans.models import (
    SENSITIVE_DOMAINS,
    Agreement,
    Goal,
    GoalTemplate,
    Plan,
    PlanSettings,
    Readiness,
    Review,
    Step,
)

DOMAINS = dict(Goal.Domain.choices)


def _of_visible(model: type[models.Model], viewer: Actor, ids: Collection[str], plan: str) -> Any:
    """Rows of `model` (`plan`: the lookup path to their plan) on people the viewer sees."""
    people = Person.objects.visible_to(viewer, include_merged=True)
    at = f"{plan}__" if plan else ""
    return model._default_manager.filter(pk__in=int_ids(ids), **{f"{at}person__in": people})


def _goal_rows(model: type[models.Model], viewer: Actor, ids: Collection[str], goal: str) -> Any:
    """(pk, the goal's domain or "" when the viewer may not see it, day) of `model`
    (`goal`: the lookup path to its goal)."""
    at = f"{goal}__" if goal else ""
    shown = ExpressionWrapper(
        ~Q(**{f"{at}domain__in": SENSITIVE_DOMAINS})
        | Q(sees_sensitive(viewer, f"{at}plan__person_id")),
        output_field=BooleanField(),
    )
    rows = _of_visible(model, viewer, ids, f"{at}plan").annotate(shown=shown)
    return [
        (pk, str(DOMAINS.get(domain, domain)) if visible else "")
        for pk, domain, visible in rows.values_list("pk", f"{at}domain", "shown")
    ]


def plan_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = _of_visible(Plan, viewer, ids, "").values_list(
        "pk", "enrollment__program__name", "started_on"
    )
    return {
        str(pk): _("Plan in %(program)s, started %(day)s")
        % {"program": program, "day": short_day(started)}
        for pk, program, started in rows
    }


def goal_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    return {
        str(pk): _("Goal: %(domain)s") % {"domain": domain}
        if domain
        else _("Goal (details restricted to the care team)")
        for pk, domain in _goal_rows(Goal, viewer, ids, "")
    }


def step_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    return {
        str(pk): _("Step toward a goal: %(domain)s") % {"domain": domain}
        if domain
        else _("Step toward a goal (details restricted to the care team)")
        for pk, domain in _goal_rows(Step, viewer, ids, "goal")
    }


def readiness_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    return {
        str(pk): _("Readiness for a goal: %(domain)s") % {"domain": domain}
        if domain
        else _("Readiness for a goal (details restricted to the care team)")
        for pk, domain in _goal_rows(Readiness, viewer, ids, "goal")
    }


def review_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = _of_visible(Review, viewer, ids, "plan").values_list("pk", "held_on")
    return {str(pk): _("Plan review, %(day)s") % {"day": short_day(held)} for pk, held in rows}


def agreement_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    methods = dict(Agreement.Method.choices)
    rows = _of_visible(Agreement, viewer, ids, "plan").values_list("pk", "method", "recorded_at")
    return {
        str(pk): _("Agreement to the plan: %(how)s, %(day)s")
        % {"how": methods.get(method, method), "day": short_day(at)}
        for pk, method, at in rows
    }


def settings_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = PlanSettings.objects.filter(
        pk__in=int_ids(ids), program__organization_id__in=scope_for(viewer).organization_ids
    ).values_list("pk", "program__name")
    return {
        str(pk): _("Plan settings of %(program)s") % {"program": program} for pk, program in rows
    }


def template_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = GoalTemplate.objects.filter(
        pk__in=int_ids(ids), program__organization_id__in=scope_for(viewer).organization_ids
    ).values_list("pk", "title", "program__name")
    return {
        str(pk): _("Goal template “%(title)s” of %(program)s")
        % {"title": title, "program": program}
        for pk, title, program in rows
    }


def register() -> None:
    for key, names in (
        ("plans.plan", plan_names),
        ("plans.goal", goal_names),
        ("plans.step", step_names),
        ("plans.readiness", readiness_names),
        ("plans.review", review_names),
        ("plans.agreement", agreement_names),
        ("plans.plansettings", settings_names),
        ("plans.goaltemplate", template_names),
    ):
        object_namers.register(ObjectNamer(key=key, names=names))
