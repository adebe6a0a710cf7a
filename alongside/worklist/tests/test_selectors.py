"""Who needs attention today: the reasons, their words, the order, and what decisions
set aside (never silently)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.intake.models import UrgentFlag
from alongside.people import services as people
from alongside.people.contributions import worklist_reasons
from alongside.people.models import Enrollment
from alongside.worklist import selectors, services
from alongside.worklist.models import WorklistDecision
from alongside.worklist.tests.conftest import contacted, coordinated, crowd, decide
from conftest import add_role, make_person, make_user

OURS = {"intake.urgent_flag", "worklist.not_yet_contacted", "worklist.no_recent_contact"}


def _activate(person, actor):
    enrollment = person.enrollments.get()
    people.enrollment_update(
        actor=actor, enrollment=enrollment, data={"status": "active"}, version=None
    )


def _texts(worklist):
    return {r.person.first_name: [i.text for i in r.items] for r in worklist.rows}


def test_it_lists_a_new_person_not_yet_contacted(world):
    worklist = selectors.worklist_for(world.coordinator)
    assert _texts(worklist) == {"Lupe": ["new, not yet contacted"]}
    [row] = worklist.rows
    assert row.person.pronouns == "she/her" and row.person.has_care_note is True  # type: ignore[attr-defined]


def test_it_says_how_long_since_the_last_contact(world, settings):
    settings.WORKLIST_NO_CONTACT_DAYS = 30
    _activate(world.person, world.coordinator)
    contacted(world.person, 34)
    assert _texts(selectors.worklist_for(world.coordinator)) == {"Lupe": ["no contact for 34 days"]}
    contacted(world.person, 2)
    assert selectors.worklist_for(world.coordinator).rows == []


def test_the_contact_rule_comes_from_the_setting(world, settings):
    _activate(world.person, world.coordinator)
    contacted(world.person, 10)
    settings.WORKLIST_NO_CONTACT_DAYS = 7
    assert _texts(selectors.worklist_for(world.coordinator)) == {"Lupe": ["no contact for 10 days"]}
    settings.WORKLIST_NO_CONTACT_DAYS = 14
    assert selectors.worklist_for(world.coordinator).rows == []


def test_a_person_never_reached_long_after_enrolling_says_so(world, settings):
    settings.WORKLIST_NO_CONTACT_DAYS = 30
    enrollment = world.person.enrollments.get()
    Enrollment.objects.filter(pk=enrollment.pk).update(
        referred_on=timezone.localdate() - dt.timedelta(days=45)
    )
    assert _texts(selectors.worklist_for(world.coordinator)) == {
        "Lupe": ["not yet contacted, enrolled 45 days ago"]
    }


def test_an_urgent_flag_comes_first_and_says_when(world, flag):
    contacted(world.person, 1)
    other = coordinated(world, "Ana")
    flag(world.person)
    worklist = selectors.worklist_for(world.coordinator)
    assert [r.person.pk for r in worklist.rows] == [world.person.pk, other.pk]
    assert worklist.rows[0].items[0].text == "urgent screening result just now"
    assert worklist.rows[0].items[0].reason == "intake.urgent_flag"


def test_one_row_a_person_with_every_reason_most_urgent_first(world, flag):
    flag(world.person)
    [row] = selectors.worklist_for(world.coordinator).rows
    assert [i.reason for i in row.items] == ["intake.urgent_flag", "worklist.not_yet_contacted"]


def test_those_outside_the_care_team_are_told_to_speak_with_the_coordinator(world, flag):
    flag(world.person)
    worklist = selectors.worklist_for(world.admin, world.coordinator)
    texts = [i.text for r in worklist.rows for i in r.items]
    assert "urgent result — speak with the coordinator" in texts
    assert not any("screening result" in t for t in texts)


def test_longest_waiting_comes_first_among_equals(world):
    contacted(world.person, 1)
    early = coordinated(world, "Bo")
    late = coordinated(world, "Cy")
    Enrollment.objects.filter(person=early).update(
        referred_on=timezone.localdate() - dt.timedelta(days=5)
    )
    Enrollment.objects.filter(person=late).update(
        referred_on=timezone.localdate() - dt.timedelta(days=2)
    )
    assert [r.person.pk for r in selectors.worklist_for(world.coordinator).rows] == [
        early.pk,
        late.pk,
    ]


def test_it_leaves_out_people_someone_else_coordinates(world):
    mine = selectors.worklist_for(world.coordinator)
    assert [r.person.pk for r in mine.rows] == [world.person.pk]
    assert selectors.worklist_for(world.colleague).rows == []


def test_a_supervisors_caseload_is_their_programs_people(world):
    assert [r.person.pk for r in selectors.worklist_for(world.supervisor).rows] == [world.person.pk]


def test_done_today_hides_the_item_but_lists_it(world):
    decide(world.coordinator, world.person)
    worklist = selectors.worklist_for(world.coordinator)
    assert worklist.rows == []
    [done] = worklist.done
    assert done.person.pk == world.person.pk and done.item.text == "new, not yet contacted"
    assert done.decision.decided_by == world.coordinator


def test_done_today_lasts_only_today(world):
    decision = decide(world.coordinator, world.person)
    WorklistDecision.objects.filter(pk=decision.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1)
    )
    worklist = selectors.worklist_for(world.coordinator)
    assert [r.person.pk for r in worklist.rows] == [world.person.pk] and worklist.done == []


def test_a_snooze_hides_until_its_date_with_the_reason_kept(world):
    until = timezone.localdate() + dt.timedelta(days=3)
    decide(world.coordinator, world.person, action="snoozed", until=until, note="Away until Monday")
    worklist = selectors.worklist_for(world.coordinator)
    assert worklist.rows == []
    [snoozed] = worklist.snoozed
    assert (snoozed.decision.until, snoozed.decision.note) == (until, "Away until Monday")
    later = timezone.now() + dt.timedelta(days=3)
    assert [r.person.pk for r in selectors.worklist_for(world.coordinator, now=later).rows] == [
        world.person.pk
    ]


def test_a_snooze_of_one_flag_does_not_hide_the_next(world, flag):
    first = flag(world.person)
    decide(
        world.coordinator,
        world.person,
        reason_key="intake.urgent_flag",
        item_key=f"flag:{first.pk}",
    )
    flag(world.person)
    [row] = selectors.worklist_for(world.coordinator).rows
    assert [i.reason for i in row.items] == ["intake.urgent_flag", "worklist.not_yet_contacted"]


def test_undo_brings_the_item_back_and_keeps_the_decision(world):
    decision = decide(world.coordinator, world.person)
    services.decision_undo(actor=world.coordinator, decision=decision)
    decision.refresh_from_db()
    assert decision.undone_by == world.coordinator and decision.undone_at is not None
    assert [r.person.pk for r in selectors.worklist_for(world.coordinator).rows] == [
        world.person.pk
    ]
    event = AuditEvent.objects.filter(object_type="worklist.worklistdecision").latest("id")
    assert event.action == "update" and event.detail["undone"] is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"action": "snoozed", "until": None, "note": "x"}, "Choose the date"),
        ({"action": "snoozed", "until": "today", "note": "x"}, "after today"),
        ({"action": "snoozed", "until": "far", "note": "x"}, "within a year"),
        ({"action": "snoozed", "until": "soon", "note": " "}, "Say why it can wait"),
        ({"action": "maybe"}, "done today or snooze"),
        ({"action": "done", "reason_key": "nope.nothing"}, "not a reason on the worklist"),
    ],
)
def test_it_refuses_bad_decisions(world, changes, message):
    today = timezone.localdate()
    dates = {
        "today": today,
        "far": today + dt.timedelta(days=400),
        "soon": today + dt.timedelta(days=1),
    }
    args = {"reason_key": "worklist.not_yet_contacted", "item_key": "new"} | changes
    args["until"] = dates.get(args.get("until"), args.get("until"))
    with pytest.raises(ValidationError, match=message):
        services.decision_record(actor=world.coordinator, person=world.person, **args)
    assert not WorklistDecision.objects.exists()


def test_a_decision_is_audited_with_whom_it_covered_for(world):
    decide(world.supervisor, world.person, covering_for=world.coordinator)
    event = AuditEvent.objects.filter(object_type="worklist.worklistdecision").latest("id")
    assert event.action == "create" and event.person_id == world.person.pk
    assert (
        event.detail["covering_for"] == world.coordinator.pk
        and event.actor_id == world.supervisor.pk
    )


def test_opening_a_teammates_worklist_is_recorded_as_covering(world):
    teammate = make_user("robin", first_name="Robin")
    add_role(teammate, "coordinator", program=world.housing)
    assert selectors.teammate(world.coordinator, teammate.pk) == teammate
    selectors.worklist_for(teammate, world.coordinator)
    event = AuditEvent.objects.filter(action="list", actor_id=teammate.pk).latest("id")
    assert (
        event.detail["page"] == "worklist" and event.detail["covering_for"] == world.coordinator.pk
    )
    assert event.detail["ids"] == [world.person.pk]


def test_teammates_are_those_sharing_a_program(world):
    assert world.colleague not in selectors.teammates(world.coordinator)
    assert world.scheduler not in selectors.teammates(world.coordinator)  # no caseload
    assert world.supervisor in selectors.teammates(world.coordinator)
    assert world.coordinator in selectors.teammates(world.admin)
    assert world.coordinator not in selectors.teammates(world.outsider)


@pytest.mark.parametrize("count", [1, 5])
def test_every_reason_alone_is_one_query(world, flag, count, django_assert_max_num_queries):
    for person in crowd(world, flag, count, lambda n: 50):
        _activate(person, world.coordinator)
    caseload = selectors.caseload_of(world.coordinator)
    selectors.scope_for(world.coordinator)  # read once per request, before any reason
    assert len(worklist_reasons) >= 3
    for reason in worklist_reasons:
        with django_assert_max_num_queries(1):
            found = list(reason.find(world.coordinator, caseload, timezone.now()))
        # Reasons other apps contribute may have nothing to find in this world.
        assert found or reason.key not in OURS, reason.key


def test_an_urgent_flag_says_how_long_ago_it_was_raised(world, flag):
    raised = flag(world.person)
    UrgentFlag.objects.filter(pk=raised.pk).update(
        raised_at=timezone.now() - dt.timedelta(hours=2, minutes=5)
    )
    [row] = selectors.worklist_for(world.coordinator).rows
    assert row.items[0].text == "urgent screening result 2\xa0hours ago"
    assert row.items[0].link == reverse("intake:response", args=[raised.response_id])


def test_it_shows_the_first_rows_and_says_how_many_in_all(world):
    for n in range(3):
        coordinated(world, f"Kai{n}")
    worklist = selectors.worklist_for(world.coordinator, limit=2)
    assert (len(worklist.rows), worklist.total) == (2, 4)


def test_each_owners_decisions_from_one_compiled_statement(world):
    """The standing decisions' statement is kept for the viewer's scope and the day, the
    owner's id its parameter: a teammate covering two worklists sees each its own."""
    robin = make_user("robin", first_name="Robin")
    add_role(robin, "coordinator", program=world.housing)
    theirs = make_person(world.coordinator, world.housing, primary_coordinator=robin)
    for owner, person in ((world.coordinator, world.person), (robin, theirs)):
        decide(owner, person)
    quinn = make_user("quinn", first_name="Quinn")
    add_role(quinn, "coordinator", program=world.housing)
    for owner, person in ((world.coordinator, world.person), (robin, theirs), (robin, theirs)):
        worklist = selectors.worklist_for(quinn, owner)
        assert [d.person.pk for d in worklist.done] == [person.pk]
        assert worklist.done[0].decision.decided_by == owner
