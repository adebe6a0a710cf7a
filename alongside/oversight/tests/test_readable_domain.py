"""The domain apps' records in the audit browser's words: tasks, worklist decisions,
encounters and notes, plans and what is in them, and what was done about an urgent
flag, each named by kind, day and (beside it) the person, never by what was written, and
a sensitive record's topic only for the person's care team."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import formats, timezone

from alongside.audit import services as audit
from alongside.audit.models import AuditEvent
from alongside.audit.readable import describe, names_for, short_day
from alongside.audit.services import Action
from alongside.encounters.models import Addendum, LabelingTerm
from alongside.encounters.tests.factories import encounter, signed_note, version
from alongside.intake.models import UrgentFlag
from alongside.intake.services.flags import urgent_flag_acknowledge
from alongside.intake.tests import conftest as intake
from alongside.intake.tests.test_responses import NEARLY, SEVERAL, phq9
from alongside.plans.models import Agreement, Goal, PlanSettings, Readiness, Review, Step
from alongside.plans.tests.factories import add_goal, start_plan
from alongside.tasks.models import TaskComment
from alongside.tasks.tests.factories import make_rule, make_task
from alongside.worklist.models import WorklistDecision

# Screenings, for an urgent flag to act on.
instruments = intake.instruments
screen = intake.screen

# What was written on the records below: none of it may be in any name.
WORDS = {
    "comment": "She told me about the relapse last week.",
    "goal": "I want to stop drinking before my son's birthday.",
    "step": "Go to the Tuesday meeting at the clinic.",
    "why": "Because my son asked me to.",
    "review": "Drinking less since the last review.",
    "agreement": "I agree, as long as it stays between us.",
    "addendum": "Corrected the date of the detox appointment.",
    "snooze": "Waiting to hear back from detox.",
    "encounter": "Talked about the relapse.",
}


@pytest.fixture
def records(world: Any, screen: Any) -> dict[str, Any]:
    """One record of every kind the domain apps name, written about world.person."""
    now = timezone.now()
    w = world
    task = make_task(w, due_at=now + dt.timedelta(days=2))
    plan = start_plan(w)
    housing = add_goal(w, plan)
    drinking = add_goal(w, plan, words=WORDS["goal"], domain=Goal.Domain.SUBSTANCE_USE)
    the_encounter = encounter(w, summary=WORDS["encounter"])
    note = signed_note(w, the_encounter)
    screen("phq-9", phq9(NEARLY, **{"44260-8": SEVERAL}))
    flag = UrgentFlag.objects.get(person=w.person)
    return {
        "tasks.task": task,
        "tasks.taskcomment": TaskComment.objects.create(
            task=task, author=w.coordinator, body=WORDS["comment"]
        ),
        "tasks.followuprule": make_rule(w),
        "worklist.worklistdecision": WorklistDecision.objects.create(
            person=w.person,
            reason_key="worklist.no_recent_contact",
            action=WorklistDecision.Action.SNOOZED,
            until=timezone.localdate() + dt.timedelta(days=5),
            note=WORDS["snooze"],
            decided_by=w.coordinator,
            created_at=now,
        ),
        "encounters.encounter": the_encounter,
        "encounters.note": note,
        "encounters.addendum": Addendum.objects.create(
            note=note, content=WORDS["addendum"], author=w.coordinator, signed_at=now
        ),
        "encounters.notetemplate": version("dap").template,
        "encounters.notetemplateversion": version("dap"),
        "encounters.labelingterm": LabelingTerm.objects.get(organization=None, term="refused"),
        "plans.plan": plan,
        "plans.goal": housing,
        "plans.goal#sensitive": drinking,
        "plans.step": Step.objects.create(goal=drinking, text=WORDS["step"], owner_kind="person"),
        "plans.readiness": Readiness.objects.create(
            goal=drinking,
            importance=8,
            confidence=5,
            why_not_lower=WORDS["why"],
            measured_at=now,
            recorded_by=w.coordinator,
        ),
        "plans.review": Review.objects.create(
            plan=plan,
            held_on=timezone.localdate(),
            participants="Lupe and Casey",
            person_view=WORDS["review"],
            recorded_by=w.coordinator,
        ),
        "plans.agreement": Agreement.objects.create(
            plan=plan,
            method=Agreement.Method.VERBAL,
            witness="Sam Okoro",
            person_words=WORDS["agreement"],
            plan_version=plan.version,
            recorded_at=now,
            recorded_by=w.coordinator,
        ),
        "plans.plansettings": PlanSettings.objects.create(program=w.housing),
        "intake.urgentflagaction": urgent_flag_acknowledge(
            actor=w.coordinator, flag=flag, action="safety_plan"
        ),
    }


def _described(world: Any, records: dict[str, Any], viewer: Any) -> dict[str, Any]:
    """A view of each record, as the trail keeps it, described for `viewer` as one page."""
    keyed = {
        key: audit.record_for_person(
            actor=world.coordinator, action=Action.VIEW, person=world.person, obj=obj
        ).pk
        for key, obj in records.items()
    }
    events: dict[int, Any] = {e.pk: e for e in AuditEvent.objects.filter(pk__in=keyed.values())}
    describe(viewer, list(events.values()), search_terms=False)
    return {key: events[pk].described for key, pk in keyed.items()}


def _expected(records: dict[str, Any]) -> dict[str, str]:
    """What the admin (who sees the person but is not on their care team) reads."""
    r = records
    return {
        "tasks.task": "Task: Call about the housing application, due "
        + short_day(r["tasks.task"].due_at),
        "tasks.taskcomment": "Comment on task “Call about the housing application”, "
        + short_day(r["tasks.taskcomment"].created_at),
        "tasks.followuprule": "Follow-up rule: Reach out after a long silence (Housing Navigation)",
        "worklist.worklistdecision": "Worklist: snoozed until "
        + formats.date_format(r["worklist.worklistdecision"].until, "MONTH_DAY_FORMAT")
        + " (No recent contact)",
        "encounters.encounter": "Encounter: Home visit, "
        + short_day(r["encounters.encounter"].started_at),
        "encounters.note": "Note: Motivational interviewing progress note, "
        + short_day(r["encounters.note"].created_at),
        "encounters.addendum": "Addendum to a note: Motivational interviewing progress note, "
        + short_day(r["encounters.addendum"].signed_at),
        "encounters.notetemplate": "Note template: DAP note",
        "encounters.notetemplateversion": "Note template: DAP note, version "
        + str(r["encounters.notetemplateversion"].number),
        "encounters.labelingterm": "Respectful-language term: “refused”",
        "plans.plan": "Plan in Housing Navigation, started "
        + formats.date_format(r["plans.plan"].started_on, "MONTH_DAY_FORMAT"),
        "plans.goal": "Goal: Housing",
        "plans.goal#sensitive": "Goal (details restricted to the care team)",
        "plans.step": "Step toward a goal (details restricted to the care team)",
        "plans.readiness": "Readiness for a goal (details restricted to the care team)",
        "plans.review": "Plan review, "
        + formats.date_format(timezone.localdate(), "MONTH_DAY_FORMAT"),
        "plans.agreement": "Agreement to the plan: Agreed verbally, with a witness, "
        + short_day(r["plans.agreement"].recorded_at),
        "plans.plansettings": "Plan settings of Housing Navigation",
        "intake.urgentflagaction": "Action on an urgent flag, "
        + short_day(r["intake.urgentflagaction"].taken_at),
    }


def test_every_domain_record_is_named_by_kind_and_day_and_never_by_its_words(
    world: Any, records: dict[str, Any]
) -> None:
    read = _described(world, records, world.admin)
    assert {key: d.what for key, d in read.items()} == _expected(records)
    assert {d.person_name for d in read.values()} == {"Lupe Hernández"}
    said = " | ".join(d.what for d in read.values()).lower()
    for words in (*WORDS.values(), "substance use", "safety plan", "drinking", "relapse"):
        assert words.lower() not in said


def test_the_care_team_reads_a_sensitive_records_topic_but_never_its_words(
    world: Any, records: dict[str, Any]
) -> None:
    read = {key: d.what for key, d in _described(world, records, world.coordinator).items()}
    assert read["plans.goal#sensitive"] == "Goal: Substance use"
    assert read["plans.step"] == "Step toward a goal: Substance use"
    assert read["plans.readiness"] == "Readiness for a goal: Substance use"
    assert read["intake.urgentflagaction"].startswith(
        "Action on an urgent flag: Made a safety plan with them, "
    )
    said = " | ".join(read.values()).lower()
    for words in WORDS.values():
        assert words.lower() not in said


def test_nothing_on_a_person_is_named_for_someone_who_does_not_see_them(
    world: Any, records: dict[str, Any]
) -> None:
    shipped = {"encounters.notetemplate", "encounters.notetemplateversion"}
    shipped.add("encounters.labelingterm")
    wanted: dict[str, list[str]] = {}
    for key, obj in records.items():
        if key not in shipped:
            wanted.setdefault(key.split("#")[0], []).append(str(obj.pk))
    # the person's records, and the other organization's rules and settings
    assert names_for(world.outsider, wanted) == {key: {} for key in wanted}
    # shipped templates and terms are everyone's
    assert all(names_for(world.outsider, {key: [str(records[key].pk)]})[key] for key in shipped)


def test_a_page_of_every_kind_asks_one_query_per_kind(
    world: Any, records: dict[str, Any], django_assert_num_queries: Any
) -> None:
    keyed = [
        audit.record_for_person(
            actor=world.coordinator, action=Action.VIEW, person=world.person, obj=obj
        ).pk
        for obj in [*records.values(), *records.values()]
    ]
    events = list(AuditEvent.objects.filter(pk__in=keyed))
    kinds = {e.object_type for e in events}
    # one query per kind of record on the page, and one for the person's name
    with django_assert_num_queries(len(kinds) + 1):
        describe(world.admin, events, search_terms=False)
