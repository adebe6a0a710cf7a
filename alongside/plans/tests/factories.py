"""A plan for the `world` fixture's person, built through the services."""

from __future__ import annotations

from typing import Any

from alongside.plans import services
from alongside.plans.models import Goal, Plan
from conftest import World


def start_plan(world: World) -> Plan:
    enrollment = world.person.enrollments.get(program=world.housing)
    return services.plan_start(actor=world.coordinator, enrollment=enrollment)


def add_goal(world: World, plan: Plan, **data: Any) -> Goal:
    values = {
        "words": "I want my own place where my kids can visit.",
        "domain": Goal.Domain.HOUSING,
        "importance": Goal.Importance.TO,
        "lifecycle": Goal.Lifecycle.ACTIVE,
    } | data
    plan.refresh_from_db()
    return services.goal_add(
        actor=world.coordinator, plan=plan, data=values, expected_version=plan.version
    )


def fresh(plan: Plan) -> Plan:
    plan.refresh_from_db()
    return plan
