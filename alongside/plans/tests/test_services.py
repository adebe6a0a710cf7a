import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.lib.errors import NotPermitted
from alongside.people import services as people
from alongside.plans import changes, hooks, programs, selectors, services
from alongside.plans.models import Agreement, Goal, Plan, PlanSettings, PlanVersion, Step
from alongside.plans.tests.factories import add_goal, fresh, start_plan


def _agree(world, plan, method="signed", **extra):
    data = {"signature": "Lupe H."} if method == "signed" else {}
    return services.agreement_record(
        actor=world.coordinator,
        plan=fresh(plan),
        method=method,
        expected_version=plan.version,
        **(data | extra),
    )


def _activate(world, plan):
    return services.plan_status_set(
        actor=world.coordinator, plan=fresh(plan), status="active", expected_version=plan.version
    )


def test_it_starts_a_draft_plan_with_its_first_version(world):
    plan = start_plan(world)
    assert (plan.status, plan.version, plan.person_id) == ("draft", 1, world.person.pk)
    first = PlanVersion.objects.get(plan=plan)
    assert first.number == 1 and first.snapshot["goals"] == []
    assert AuditEvent.objects.filter(
        action="create", person_id=world.person.pk, object_type="plans.plan"
    ).exists()


def test_it_allows_one_open_plan_per_enrollment(world):
    plan = start_plan(world)
    with pytest.raises(ValidationError, match="already has a plan"):
        services.plan_start(actor=world.coordinator, enrollment=plan.enrollment)


def test_only_the_care_team_changes_a_plan(world):
    plan = start_plan(world)
    with pytest.raises(NotPermitted, match="Only the person's care team"):
        services.goal_add(
            actor=world.scheduler,
            plan=plan,
            data={"words": "x", "domain": "food", "importance": "to"},
            expected_version=None,
        )


def test_it_keeps_the_persons_words_exactly(world):
    plan = start_plan(world)
    words = "  I want to cook for my kids again.\n  Every Sunday.  "
    goal = add_goal(world, plan, words=words, restatement="Food security for the household.")
    goal.refresh_from_db()
    assert goal.words == words
    assert goal.restatement == "Food security for the household."


def test_it_refuses_a_goal_with_no_words(world):
    plan = start_plan(world)
    with pytest.raises(ValidationError, match="in the person's own words"):
        add_goal(world, plan, words="   ")
    assert not Goal.objects.exists()


def test_it_refuses_a_target_date_before_the_plan_started(world):
    plan = start_plan(world)
    with pytest.raises(ValidationError, match="cannot be before the plan started"):
        add_goal(world, plan, target_date=plan.started_on - dt.timedelta(days=1))


def test_a_stale_version_is_refused_with_what_changed(world):
    plan = start_plan(world)
    opened_at = plan.version
    add_goal(world, plan, words="Get my license back.", domain="transportation")
    with pytest.raises(changes.PlanChanged, match="changed since you opened it") as stale:
        services.goal_add(
            actor=world.coordinator,
            plan=plan,
            data={"words": "Another", "domain": "food", "importance": "to"},
            expected_version=opened_at,
        )
    assert stale.value.current_version == opened_at + 1
    assert stale.value.changes == ["Goal added: “Get my license back.”"]
    assert Goal.objects.count() == 1


def test_a_goal_keeps_its_identity_and_every_version_is_kept(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    changed = services.goal_update(
        actor=world.coordinator,
        goal=goal,
        data={"restatement": "Stable housing.", "importance": "both"},
        expected_version=fresh(plan).version,
    )
    assert changed.pk == goal.pk
    versions = {v.number: v.snapshot for v in PlanVersion.objects.filter(plan=plan)}
    assert sorted(versions) == [1, 2, 3]
    assert versions[2]["goals"][0]["restatement"] == ""
    assert versions[2]["goals"][0]["importance"] == "to"
    assert versions[3]["goals"][0]["restatement"] == "Stable housing."
    assert versions[3]["goals"][0]["id"] == goal.pk
    event = AuditEvent.objects.filter(object_type="plans.goal", action="update").get()
    assert event.fields == ["importance", "restatement"]


def test_a_sensitive_goal_is_never_named_by_its_words_in_a_summary(world):
    plan = start_plan(world)
    goal = add_goal(world, plan, words="Stop drinking before noon.", domain="substance_use")
    assert goal.is_sensitive
    summary = PlanVersion.objects.get(plan=plan, number=2).summary
    assert summary == f"Goal added: goal {goal.pk}"


def test_it_refuses_readiness_outside_zero_to_ten(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    with pytest.raises(ValidationError, match="from 0 to 10") as refused:
        services.readiness_record(
            actor=world.coordinator,
            goal=goal,
            importance=11,
            confidence=-1,
            expected_version=fresh(plan).version,
        )
    assert set(refused.value.message_dict) == {"importance", "confidence"}


def test_it_records_readiness_with_their_words(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    reading = services.readiness_record(
        actor=world.coordinator,
        goal=goal,
        importance=9,
        confidence=4,
        why_not_lower="Because my kids need a home.",
        expected_version=fresh(plan).version,
    )
    snapshot = PlanVersion.objects.get(plan=plan, number=fresh(plan).version).snapshot
    assert snapshot["goals"][0]["readiness"][0]["why_not_lower"] == reading.why_not_lower


def _step(world, plan, goal, **data):
    return services.step_add(
        actor=world.coordinator,
        goal=goal,
        data={"text": "Call the landlord", **data},
        expected_version=fresh(plan).version,
    )


def test_steps_are_owned_by_the_person_staff_or_someone_who_matters(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    sister = people.support_contact_create(
        actor=world.coordinator,
        person=world.person,
        data={"name": "Ana", "relationship": "family", "may_involve": True},
    )
    mine = _step(world, plan, goal, owner_kind="person")
    staff = _step(world, plan, goal, owner_kind="staff", owner_user=world.coordinator)
    family = _step(world, plan, goal, owner_kind="support", owner_contact=sister)
    assert [s.owner_kind for s in Step.objects.order_by("id")] == ["person", "staff", "support"]
    assert (staff.owner_user, family.owner_contact, mine.owner_user) == (
        world.coordinator,
        sister,
        None,
    )


def test_it_refuses_a_staff_owner_off_the_persons_team(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    for outside in (world.colleague, world.outsider, world.scheduler):
        with pytest.raises(ValidationError, match="staff member on the person's team"):
            _step(world, plan, goal, owner_kind="staff", owner_user=outside)


def test_it_refuses_someone_the_person_did_not_agree_to_involve(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    cousin = people.support_contact_create(
        actor=world.coordinator,
        person=world.person,
        data={"name": "Rico", "relationship": "family", "may_involve": False},
    )
    with pytest.raises(ValidationError, match="whom they agreed to involve"):
        _step(world, plan, goal, owner_kind="support", owner_contact=cousin)


def test_it_refuses_a_step_due_further_than_ten_years_ahead(world):
    """The step becomes a task due at the end of its day: 9999-12-31 in New York is past
    what a database stores in UTC."""
    import datetime as dt

    from django.utils import timezone

    plan = start_plan(world)
    goal = add_goal(world, plan)
    for far in (dt.date(9999, 12, 31), timezone.localdate() + dt.timedelta(days=366 * 11)):
        with pytest.raises(ValidationError, match="within the next ten years"):
            _step(world, plan, goal, owner_kind="staff", owner_user=world.coordinator, due_on=far)
    assert not Step.objects.filter(goal=goal).exists()


def test_a_step_is_done_and_reopened(world):
    plan = start_plan(world)
    step = _step(world, plan, add_goal(world, plan), owner_kind="person", due_on=None)
    done = services.step_done(actor=world.coordinator, step=step, expected_version=None)
    assert done.done_at is not None
    again = services.step_done(
        actor=world.coordinator, step=step, done=False, expected_version=None
    )
    assert again.done_at is None


def test_it_refuses_to_activate_without_the_persons_agreement(world):
    plan = start_plan(world)
    add_goal(world, plan)
    with pytest.raises(ValidationError, match="Record the person's agreement"):
        _activate(world, plan)
    _agree(world, plan, "declined", person_words="Not yet, I need to think.")
    with pytest.raises(ValidationError, match="Record the person's agreement"):
        _activate(world, plan)
    _agree(world, plan, "verbal", witness="Sam Okoro")
    plan = _activate(world, plan)
    assert plan.status == "active"
    assert plan.next_review_on == timezone.localdate() + dt.timedelta(days=90)


def test_it_refuses_to_activate_a_plan_with_no_goal(world):
    plan = start_plan(world)
    _agree(world, plan)
    with pytest.raises(ValidationError, match="at least one goal"):
        _activate(world, plan)


def test_a_program_can_ask_for_a_signature_and_a_supervisors_approval(world):
    PlanSettings.objects.create(
        program=world.housing, requires_signature=True, requires_approval=True
    )
    plan = start_plan(world)
    add_goal(world, plan)
    _agree(world, plan, "verbal", witness="Sam Okoro")
    with pytest.raises(ValidationError, match="signature") as refused:
        _activate(world, plan)
    assert "supervisor’s approval" in str(refused.value) or "supervisor's approval" in str(
        refused.value
    )
    _agree(world, plan, "signed")
    with pytest.raises(NotPermitted, match="Only a supervisor"):
        services.plan_approve(actor=world.coordinator, plan=plan, expected_version=None)
    services.plan_approve(actor=world.supervisor, plan=plan, expected_version=None)
    assert _activate(world, plan).status == "active"


def test_an_agreement_needs_a_signature_a_witness_or_their_words(world):
    plan = start_plan(world)
    for method, missing in (
        ("signed", "type their name"),
        ("verbal", "witness"),
        ("declined", "their words"),
    ):
        with pytest.raises(ValidationError, match=missing):
            services.agreement_record(
                actor=world.coordinator, plan=plan, method=method, expected_version=None
            )
    assert not Agreement.objects.exists()


def _active_plan(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    _agree(world, plan)
    return _activate(world, plan), goal


def test_a_review_records_ratings_and_sets_the_next_review(world):
    plan, goal = _active_plan(world)
    today = timezone.localdate()
    review = services.review_record(
        actor=world.coordinator,
        plan=plan,
        held_on=today,
        participants="Lupe, Casey, her sister Ana",
        person_view="Things are better since the move.",
        what_changed="Added a step for Ana.",
        ratings={goal.pk: (1, "Moved in early.")},
        expected_version=fresh(plan).version,
    )
    plan = fresh(plan)
    assert plan.status == "revised"
    assert plan.next_review_on == today + dt.timedelta(days=90)
    assert [(r.level, r.note) for r in review.ratings.all()] == [(1, "Moved in early.")]


def test_it_refuses_a_gas_rating_outside_minus_two_to_plus_two(world):
    plan, goal = _active_plan(world)
    with pytest.raises(ValidationError, match=r"from -2 to \+2"):
        services.review_record(
            actor=world.coordinator,
            plan=plan,
            held_on=timezone.localdate(),
            participants="Lupe, Casey",
            ratings={goal.pk: (3, "")},
            expected_version=None,
        )


def test_a_draft_plan_is_not_reviewed(world):
    plan = start_plan(world)
    with pytest.raises(ValidationError, match="reviewed once it is active"):
        services.review_record(
            actor=world.coordinator,
            plan=plan,
            held_on=timezone.localdate(),
            participants="Lupe",
            ratings={},
            expected_version=None,
        )


def test_an_ended_plan_needs_a_reason_and_takes_no_more_changes(world):
    plan, goal = _active_plan(world)
    with pytest.raises(ValidationError, match="Say why the plan is ending"):
        services.plan_status_set(
            actor=world.coordinator, plan=plan, status="closed", expected_version=None
        )
    services.plan_status_set(
        actor=world.coordinator,
        plan=plan,
        status="completed",
        reason="Goals met.",
        expected_version=None,
    )
    with pytest.raises(ValidationError, match="This plan is completed"):
        add_goal(world, plan)
    assert Plan.objects.get().ended_reason == "Goals met."


def test_a_plan_cannot_jump_from_draft_to_under_review(world):
    plan = start_plan(world)
    with pytest.raises(ValidationError, match="cannot become under review"):
        services.plan_status_set(
            actor=world.coordinator, plan=plan, status="under_review", expected_version=None
        )


def test_every_change_is_announced_for_the_hub_to_hear(world):
    heard: list[hooks.PlanChange] = []
    hooks.listen(heard.append)
    try:
        plan = start_plan(world)
        goal = add_goal(world, plan, domain="mental_health", words="Sleep through the night.")
        _step(world, plan, goal, owner_kind="staff", owner_user=world.coordinator)
    finally:
        hooks.forget(heard.append)
    assert [c.kind for c in heard] == ["plan_started", "goal_added", "step_added"]
    assert heard[-1].step is not None and heard[-1].step.owner_user == world.coordinator
    assert heard[-1].sensitive and not heard[0].sensitive


def test_only_an_admin_changes_how_a_program_runs_plans(world):
    with pytest.raises(NotPermitted, match="organization admin"):
        programs.plan_settings_update(
            actor=world.coordinator, program_id=world.housing.pk, data={"requires_approval": True}
        )
    programs.plan_settings_update(
        actor=world.admin, program_id=world.housing.pk, data={"review_interval_days": 30}
    )
    assert programs.settings_for(world.housing.pk).review_interval_days == 30


def test_the_plan_read_whole_gives_the_snapshot_a_version_keeps(world):
    """The plan page reads the plan with its rows (in one query on PostgreSQL:
    plans/snapshot_rows.py); what it draws is the snapshot a version keeps, exactly."""
    plan, goal = _active_plan(world)
    sister = people.support_contact_create(
        actor=world.coordinator,
        person=world.person,
        data={"name": "Ana", "relationship": "family", "may_involve": True},
    )
    _step(world, plan, goal, owner_kind="staff", owner_user=world.coordinator)
    _step(world, plan, goal, owner_kind="support", owner_contact=sister)
    done = _step(world, plan, goal, owner_kind="person", due_on=timezone.localdate())
    services.step_done(actor=world.coordinator, step=done, done=True, expected_version=None)
    services.readiness_record(
        actor=world.coordinator,
        goal=goal,
        importance=8,
        confidence=4,
        why_not_lower="I have done it before.",
        expected_version=None,
    )
    add_goal(world, plan, words="Keep calm at night.", domain="mental_health", priority=2)
    services.review_record(
        actor=world.coordinator,
        plan=fresh(plan),
        held_on=timezone.localdate(),
        participants="Lupe, Casey",
        ratings={goal.pk: (-1, "Slower than hoped.")},
        expected_version=fresh(plan).version,
    )
    kept = PlanVersion.objects.filter(plan=plan).order_by("-number")[0]
    _plan, whole, _shown = selectors.plan_read(world.coordinator, plan.pk)
    assert len(whole["goals"]) == 2 and len(whole["goals"][0]["steps"]) == 3
    assert whole["reviews"][0]["ratings"][0]["note"] == "Slower than hoped."
    assert whole == kept.snapshot
