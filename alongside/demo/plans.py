"""Rosa's plan, made with her through the plans services: goals in her words tied to her
profile, one only important for her (the balance view flags it), a safety goal only her
care team reads, steps for her, Casey and her sister, readiness, her signature and a
review 85 days ago, so the next one is due within the week (on Casey's worklist)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.demo.showcase import Showcase, Staff
from alongside.plans import services
from alongside.plans.models import Plan

GOALS = [
    {
        "words": "A place that's ours, with a door that locks.",
        "restatement": "Move into a safe, affordable apartment.",
        "domain": "housing",
        "importance": "to",
        "profile_link": "hopes",
        "lifecycle": "active",
        "achievement": "improving",
        "gas_minus2": "Still at the shelter, no applications in",
        "gas_minus1": "Applications in, no viewing yet",
        "gas_0": "Approved for an apartment",
        "gas_plus1": "Moved in",
        "gas_plus2": "Moved in, near the girls' school",
    },
    {
        "words": "Keep Valeria and Sofía in the same school.",
        "domain": "family",
        "importance": "both",
        "profile_link": "important_to",
        "lifecycle": "active",
        "gas_0": "The girls finish the year at their school",
    },
    {
        "words": "Get my blood pressure checked.",
        "restatement": "Establish primary care; hypertension follow-up.",
        "domain": "health",
        "importance": "for",
        "lifecycle": "proposed",
    },
    {
        "words": "Feel safe when I get home.",
        "domain": "safety",
        "importance": "to",
        "lifecycle": "active",
    },
]


def build(staff: Staff, shown: Showcase) -> Plan:
    casey = staff.coordinator
    rosa = shown.people["rosa"]
    today = timezone.localdate()
    plan = services.plan_start(
        actor=casey,
        enrollment=rosa.enrollments.get(program=staff.housing),
        started_on=today - dt.timedelta(days=120),
    )
    goals = [
        services.goal_add(actor=casey, plan=plan, data=data, expected_version=None)
        for data in GOALS
    ]
    home, school = goals[0], goals[1]
    sister = rosa.support_contacts.get(may_involve=True)
    for goal, text, owner, due in (
        (home, "Bring ID and pay stubs to the housing office", {"owner_kind": "person"}, -20),
        (
            home,
            "Call the landlord about the viewing",
            {"owner_kind": "staff", "owner_user": casey},
            -3,
        ),
        (
            school,
            "Pick the girls up on Tuesdays",
            {"owner_kind": "support", "owner_contact": sister},
            10,
        ),
    ):
        services.step_add(
            actor=casey,
            goal=goal,
            data={"text": text, "due_on": today + dt.timedelta(days=due), **owner},
            expected_version=None,
        )
    services.readiness_record(
        actor=casey,
        goal=home,
        importance=10,
        confidence=6,
        why_not_lower="Because the girls deserve their own room.",
        expected_version=None,
    )
    services.agreement_record(
        actor=casey, plan=plan, method="signed", signature="Rosa Delgado", expected_version=None
    )
    services.plan_status_set(actor=casey, plan=plan, status="active", expected_version=None)
    return services.review_record(
        actor=casey,
        plan=plan,
        held_on=today - dt.timedelta(days=85),
        participants="Rosa, Casey, and Lucía by phone",
        person_view="Más tranquila. The application is in and the girls are still at school.",
        what_changed="Added the Tuesday pick-ups with Lucía.",
        ratings={home.pk: (-1, "Application in, no viewing yet."), school.pk: (0, "")},
        expected_version=None,
    ).plan
