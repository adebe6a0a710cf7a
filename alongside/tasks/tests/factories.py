"""Rules and tasks for the hub's tests, made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alongside.organizations.models import Program
from alongside.tasks import rules, services
from alongside.tasks.models import FollowUpRule, Task
from alongside.tasks.triggers import NEW_ENROLLMENT, NO_CONTACT
from conftest import World


def make_rule(w: World, program: Program | None = None, **data: Any) -> FollowUpRule:
    fields: dict[str, Any] = {
        "trigger": NO_CONTACT,
        "days": 30,
        "deadline": "business_days",
        "deadline_amount": 2,
        "priority": "urgent",
        "assign_to": "coordinator",
        "title": "Reach out after a long silence",
    } | data
    return rules.rule_create(
        actor=w.admin, organization=w.org, program=program or w.housing, data=fields
    )


def new_enrollment_rule(w: World, **data: Any) -> FollowUpRule:
    return make_rule(w, **{"trigger": NEW_ENROLLMENT, "days": 0, "title": "Welcome call", **data})


def make_task(w: World, **data: Any) -> Task:
    person = data.pop("person", w.person)
    assignee = data.pop("assignee", w.coordinator)
    program = data.pop("program", w.housing)
    actor = data.pop("actor", w.coordinator)
    sensitive = data.pop("sensitive", False)
    fields = {
        "title": "Call about the housing application",
        "due_at": timezone.now() + dt.timedelta(days=1),
        "priority": "routine",
    } | data
    return services.task_create(
        actor=actor,
        program=program,
        person=person,
        assignee=assignee,
        data=fields,
        sensitive=sensitive,
    )
