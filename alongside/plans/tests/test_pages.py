import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone

from alongside.accounts.models import Role
from alongside.people import services as people
from alongside.people.models import Person
from alongside.people.sensitivity import RESTRICTED
from alongside.plans import services
from alongside.plans.models import Goal, Plan, Step
from alongside.plans.tests.factories import add_goal, fresh, start_plan
from conftest import NAV_COUNTS, add_role


@pytest.fixture
def plan(world):
    plan = start_plan(world)
    people.profile_update(
        actor=world.coordinator,
        person=world.person,
        data={"hopes": "To finish my GED.", "important_to": "Being there for my kids."},
        version=None,
    )
    house = add_goal(world, plan, profile_link="important_to", gas_0="Signed a lease.")
    add_goal(
        world,
        plan,
        words="Take my pills every morning.",
        domain="health",
        importance="for",
    )
    secret = add_goal(world, plan, words="Stop drinking before noon.", domain="substance_use")
    services.step_add(
        actor=world.coordinator,
        goal=house,
        data={
            "text": "Call the housing authority",
            "owner_kind": "staff",
            "owner_user": world.coordinator,
            "due_on": timezone.localdate() - dt.timedelta(days=2),
        },
        expected_version=None,
    )
    services.step_add(
        actor=world.coordinator,
        goal=secret,
        data={"text": "Go to the Tuesday meeting", "owner_kind": "person"},
        expected_version=None,
    )
    services.readiness_record(
        actor=world.coordinator,
        goal=house,
        importance=9,
        confidence=5,
        why_not_lower="My kids.",
        expected_version=None,
    )
    return fresh(plan)


def _page(client, user, plan):
    client.force_login(user)
    return client.get(reverse("plans:plan", args=[plan.pk]))


def test_the_plan_page_shows_goals_in_their_order_with_their_words(client, world, plan):
    response = _page(client, world.coordinator, plan)
    assert response.status_code == 200
    body = response.content.decode()
    body = body[body.index('id="goals-heading"') :]
    first = body.index("I want my own place where my kids can visit.")
    assert first < body.index("Take my pills every morning.") < body.index("Stop drinking")
    assert "Call the housing authority" in body and "overdue" in body
    assert "importance 9/10, confidence 5/10" in body
    assert "Being there for my kids." in body  # the profile value the goal serves


def test_the_balance_view_flags_what_needs_a_conversation(client, world, plan):
    body = _page(client, world.coordinator, plan).content.decode()
    assert "Only important for them — worth a conversation" in body
    assert 'href="#goal-' in body
    assert "To finish my GED." in body  # a hope no goal serves yet


def test_a_plan_with_no_goal_they_named_is_flagged(client, world):
    plan = start_plan(world)
    add_goal(world, plan, importance="for")
    body = _page(client, world.coordinator, plan).content.decode()
    assert "No goal here is one they named as important to them" in body


def test_a_sensitive_goal_is_restricted_off_the_care_team(client, world, plan):
    body = _page(client, world.scheduler, plan).content.decode()
    assert "Stop drinking" not in body and "Tuesday meeting" not in body
    assert str(RESTRICTED) in body
    assert "I want my own place" in body  # not sensitive: everyone who sees her sees it
    assert "Add a goal" not in body  # and only the care team changes the plan


def test_the_plan_page_answers_404_out_of_scope(client, world, plan):
    assert _page(client, world.colleague, plan).status_code == 404
    assert _page(client, world.outsider, plan).status_code == 404


def test_the_plan_read_follows_each_viewers_scope(client, world, plan):
    """On PostgreSQL the read is compiled once per viewer's scope (`lib.compiled`): one
    viewer's statement never answers for another, and a new membership is a new scope."""
    assert _page(client, world.coordinator, plan).status_code == 200
    assert _page(client, world.colleague, plan).status_code == 404
    add_role(world.colleague, Role.COORDINATOR, program=world.housing)
    response = _page(client, world.colleague, plan)
    assert response.status_code == 200
    assert "Stop drinking before noon." in response.content.decode()  # now on the care team
    assert _page(client, world.outsider, plan).status_code == 404


def test_the_plan_page_makes_the_same_number_of_queries_however_full(
    client, world, plan, django_assert_num_queries
):
    client.force_login(world.coordinator)
    url = reverse("plans:plan", args=[plan.pk])
    with django_assert_num_queries(QUERIES):
        client.get(url)
    for n in range(4):
        goal = add_goal(world, plan, words=f"Goal {n}", importance="both")
        services.step_add(
            actor=world.coordinator,
            goal=goal,
            data={"text": "A step", "owner_kind": "person"},
            expected_version=None,
        )
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


# Session and user (2), the scope (1), the plan with its person, program and plan
# settings (1), the audited read (one statement on PostgreSQL, three on SQLite:
# audit/services.py), and the navigation's counts. On SQLite also the person's
# enrollments (1), the plan's snapshot (6) and the person's languages for the print form
# (1); on PostgreSQL they come with the plan (plans/snapshot_rows.py).
QUERIES = 4 + (1 if connection.vendor == "postgresql" else 3 + 8) + NAV_COUNTS


def test_it_adds_a_goal_in_their_words_from_a_template(client, world, plan):
    client.force_login(world.coordinator)
    url = reverse("plans:goal-add", args=[plan.pk])
    page = client.get(url + "?from=template:food")
    assert page.status_code == 200
    assert "Have enough food for the household every week." in page.content.decode()
    response = client.post(
        url,
        {
            "version": plan.version,
            "words": "Fill the fridge ",
            "restatement": "Have enough food for the household every week.",
            "domain": "food",
            "importance": "to",
            "lifecycle": "active",
            "weight": 1,
        },
    )
    goal = Goal.objects.get(domain="food")
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.pk}")
    assert goal.words == "Fill the fridge "


def test_a_goal_with_no_words_is_refused_on_the_form(client, world, plan):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("plans:goal-add", args=[plan.pk]),
        {
            "version": plan.version,
            "words": "  ",
            "domain": "food",
            "importance": "to",
            "lifecycle": "active",
            "weight": 1,
        },
    )
    assert response.status_code == 422
    assert "Write the goal in the person&#x27;s own words." in response.content.decode()


def test_a_stale_save_is_a_409_saying_what_changed(client, world, plan):
    client.force_login(world.coordinator)
    opened = plan.version
    add_goal(world, plan, words="Get a bike.", domain="transportation")
    goal = Goal.objects.filter(plan=plan).earliest("id")
    response = client.post(
        reverse("plans:goal-edit", args=[plan.pk, goal.pk]),
        {
            "version": opened,
            "words": "Changed",
            "domain": "housing",
            "importance": "to",
            "lifecycle": "active",
            "weight": 1,
        },
    )
    assert response.status_code == 409
    assert "Goal added: “Get a bike.”" in response.content.decode()
    goal.refresh_from_db()
    assert goal.words != "Changed"


def test_staff_outside_the_care_team_cannot_open_the_forms(client, world, plan):
    client.force_login(world.scheduler)
    assert client.get(reverse("plans:goal-add", args=[plan.pk])).status_code == 403


def test_it_adds_a_step_for_someone_who_matters(client, world, plan):
    sister = people.support_contact_create(
        actor=world.coordinator,
        person=world.person,
        data={"name": "Ana", "relationship": "family", "may_involve": True},
    )
    goal = Goal.objects.filter(plan=plan).earliest("id")
    client.force_login(world.coordinator)
    url = reverse("plans:step-add", args=[plan.pk, goal.pk])
    assert "Ana (family)" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "version": fresh(plan).version,
            "text": "Drive to the viewing",
            "owner_kind": "support",
            "owner_contact": sister.pk,
        },
    )
    assert response.status_code == 302
    assert Step.objects.get(text="Drive to the viewing").owner_contact == sister


def test_it_records_readiness_agreement_review_and_shows_the_gas_chart(client, world, plan):
    client.force_login(world.coordinator)
    goal = Goal.objects.filter(plan=plan).earliest("id")
    ok = client.post(
        reverse("plans:readiness", args=[plan.pk, goal.pk]),
        {
            "version": fresh(plan).version,
            "importance": 10,
            "confidence": 7,
            "why_not_lower": "I am ready.",
        },
    )
    assert ok.status_code == 302
    bad = client.post(
        reverse("plans:readiness", args=[plan.pk, goal.pk]),
        {"version": fresh(plan).version, "importance": 11, "confidence": 7},
    )
    assert bad.status_code == 422
    agreed = client.post(
        reverse("plans:agreement", args=[plan.pk]),
        {"version": fresh(plan).version, "method": "signed", "signature": "Lupe Hernández"},
    )
    assert agreed.status_code == 302
    client.post(
        reverse("plans:status", args=[plan.pk]),
        {"version": fresh(plan).version, "status": "active"},
    )
    assert fresh(plan).status == "active"
    goals = list(Goal.objects.filter(plan=plan))
    review = client.post(
        reverse("plans:review", args=[plan.pk]),
        {
            "version": fresh(plan).version,
            "held_on": timezone.localdate().isoformat(),
            "participants": "Lupe and Casey",
            "person_view": "I feel more settled.",
            f"level_{goals[0].pk}": "1",
            f"note_{goals[0].pk}": "Lease signed early.",
            f"level_{goals[1].pk}": "0",
        },
    )
    assert review.status_code == 302
    body = _page(client, world.coordinator, plan).content.decode()
    assert "I feel more settled." in body and "Lease signed early." in body
    assert '<svg class="trend-chart"' in body
    assert "GAS T-score at the one review so far" in body


def test_an_activation_without_agreement_is_refused_with_a_message(client, world, plan):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("plans:status", args=[plan.pk]),
        {"version": plan.version, "status": "active"},
        follow=True,
    )
    assert "Record the person&#x27;s agreement before the plan starts." in response.content.decode()
    assert fresh(plan).status == "draft"


def _reword_first_goal(world, plan, words):
    goal = Goal.objects.filter(plan=plan).earliest("id")
    services.goal_update(
        actor=world.coordinator, goal=goal, data={"words": words}, expected_version=None
    )


def test_a_past_version_reads_exactly_as_it_was(client, world, plan):
    client.force_login(world.coordinator)
    _reword_first_goal(world, plan, "A home of our own.")
    listing = client.get(reverse("plans:versions", args=[plan.pk])).content.decode()
    assert "Goal changed" in listing and "Plan started" in listing
    old = client.get(reverse("plans:version", args=[plan.pk, 2])).content.decode()
    assert "I want my own place where my kids can visit." in old
    assert "A home of our own." not in old
    assert client.get(reverse("plans:version", args=[plan.pk, 999])).status_code == 404


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_goals_words_are_escaped_on_the_versions_and_the_journey(client, world, plan, language):
    # The stored summary ("Goal changed: “…”") is said again in the reader's language
    # with the goal's words put back: they stay text, never markup.
    world.coordinator.language = language
    world.coordinator.save(update_fields=["language"])
    client.force_login(world.coordinator)
    _reword_first_goal(world, plan, "<script>alert(1)</script>")
    pages = [
        reverse("plans:versions", args=[plan.pk]),
        reverse("plans:version", args=[plan.pk, fresh(plan).version]),
        reverse("people:timeline", args=[world.person.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
        assert "<script>alert(1)" not in body, url


def test_a_past_version_hides_sensitive_goals_off_the_care_team(client, world, plan):
    client.force_login(world.scheduler)
    page = client.get(reverse("plans:version", args=[plan.pk, fresh(plan).version]))
    body = page.content.decode()
    assert page.status_code == 200 and "Stop drinking" not in body and str(RESTRICTED) in body


def test_the_person_page_has_a_plan_panel(client, world, plan):
    client.force_login(world.coordinator)
    body = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Plan in Housing Navigation" in body
    assert "I want my own place" in body
    client.force_login(world.scheduler)
    body = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Stop drinking" not in body and "A goal about health or safety." in body


def test_the_panel_offers_to_start_a_plan(client, world):
    client.force_login(world.coordinator)
    body = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Start a plan in Housing Navigation" in body
    enrollment = world.person.enrollments.get()
    response = client.post(reverse("plans:start", args=[enrollment.pk]))
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:plan", args=[plan.pk])


def test_the_panel_keeps_to_two_queries_with_a_plan(world, plan, django_assert_num_queries):
    from alongside.people.contributions import PanelContext
    from alongside.people.selectors import with_record
    from alongside.people.sensitivity import disclosure_for
    from alongside.plans.selectors import person_panel

    person = with_record(Person.objects.all()).get(pk=world.person.pk)
    context = PanelContext(world.coordinator, person, disclosure_for(world.coordinator, person))
    with django_assert_num_queries(2):
        data = person_panel(context)
    assert data is not None
    assert [len(p["goals"]) for p in data["plans"]] == [3]
    assert data["plans"][0]["plan"].open_steps == 2


def test_the_review_form_asks_for_a_rating_of_each_goal_once(client, world, plan):
    client.force_login(world.coordinator)
    body = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    for goal in Goal.objects.filter(plan=plan):
        assert body.count(f'id="id_level_{goal.pk}"') == 1
    assert body.count('id="id_held_on"') == 1
    refused = client.post(
        reverse("plans:review", args=[plan.pk]),
        {"version": plan.version, "held_on": "", "participants": ""},
    )
    assert refused.status_code == 422


def test_an_ended_plan_stays_reachable_from_the_person_page(client, world, plan):
    services.plan_status_set(
        actor=world.coordinator, plan=plan, status="closed", reason="Moved.", expected_version=None
    )
    client.force_login(world.coordinator)
    body = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "1 earlier plan" in body and reverse("plans:plan", args=[plan.pk]) in body
    assert "Start a plan in Housing Navigation" in body
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Moved." in page and "Add a goal" not in page


def test_a_goal_saved_with_its_priority_left_blank_keeps_its_place(client, world, plan):
    goal = Goal.objects.filter(plan=plan).earliest("id")
    client.force_login(world.coordinator)
    response = client.post(
        reverse("plans:goal-edit", args=[plan.pk, goal.pk]),
        {
            "version": plan.version,
            "words": goal.words,
            "domain": goal.domain,
            "importance": "both",
            "lifecycle": "active",
            "weight": 2,
            "priority": "",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.priority, goal.importance, goal.weight) == (1, "both", 2)


def test_a_past_version_shows_their_profile_words_as_they_were(client, world, plan):
    number = fresh(plan).version
    people.profile_update(
        actor=world.coordinator,
        person=world.person,
        data={"important_to": "My kids, and my garden."},
        version=None,
    )
    client.force_login(world.coordinator)
    old = client.get(reverse("plans:version", args=[plan.pk, number])).content.decode()
    assert "Being there for my kids." in old and "my garden" not in old
    now = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "My kids, and my garden." in now


def test_a_step_is_marked_done_in_place_and_every_form_gets_the_new_version(client, world, plan):
    client.force_login(world.coordinator)
    url = reverse("plans:plan", args=[plan.pk])
    step = Step.objects.get(text="Call the housing authority")
    action = reverse("plans:step-done", args=[plan.pk, step.pk])
    body = client.get(url).content.decode()
    # htmx posts it and swaps the page it is sent back to in as the whole <main>;
    # without JavaScript the same form posts and the page reloads.
    assert f'<form method="post" action="{action}" class="inline-form"' in body
    assert f'id="step-{step.pk}-done" hx-post="{action}"' in body
    assert '<div hx-target="#main" hx-select="#main" hx-swap="outerHTML">' in body
    reply = client.post(
        action, {"version": plan.version, "done": "on"}, follow=True, HTTP_HX_REQUEST="true"
    )
    assert reply.redirect_chain == [(f"{url}#goal-{step.goal_id}", 302)]
    step.refresh_from_db()
    assert step.done_at is not None
    page = reply.content.decode()
    assert '<main id="main"' in page and "Not done after all" in page
    assert f'name="version" value="{plan.version}"' not in page
    assert page.count(f'name="version" value="{plan.version + 1}"') >= 3


def test_steps_and_goals_are_worded_as_the_template_tags_did(client, world, plan):
    """The step dates and goal headings plans/display.py words once (not per step in the
    template): the local date format, "Goal n" also on a restricted goal's heading."""
    step = Step.objects.get(text="Call the housing authority")
    services.step_done(
        actor=world.coordinator, step=step, done=True, expected_version=fresh(plan).version
    )
    body = _page(client, world.coordinator, plan).content.decode()
    due = formats.date_format(timezone.localdate() - dt.timedelta(days=2))
    done = formats.date_format(timezone.localdate())
    assert f"· due {due}" in body and f"done {done}</span>" in body
    assert f'id="goal-{step.goal_id}-heading">Goal {step.goal.priority}</h3>' in body
    assert f"In {world.person.first_name}’s words" in body
    secret = Goal.objects.get(words__startswith="Stop drinking")
    restricted = _page(client, world.scheduler, plan).content.decode()
    assert f'id="goal-{secret.pk}-heading">Goal {secret.priority} · ' in restricted


def test_the_compiled_panel_reads_what_the_orm_reads_for_every_viewer(world, plan):
    from alongside.people.contributions import PanelContext
    from alongside.people.selectors import with_record
    from alongside.people.sensitivity import disclosure_for
    from alongside.plans.selectors import _panel_goals, _panel_plans, person_panel

    person = with_record(Person.objects.all()).get(pk=world.person.pk)
    every = list(_panel_plans(person.pk))
    plans = [(p.pk, p.status, p.open_steps) for p in every]  # type: ignore[attr-defined]
    goals = [(g.pk, g.words, g.domain) for g in _panel_goals(person.pk)]
    for viewer, sees in ((world.coordinator, True), (world.scheduler, False)):
        disclosure = disclosure_for(viewer, person)
        assert disclosure.sensitive is sees
        for _ in range(2):  # compiling, then compiled
            data = person_panel(PanelContext(viewer, person, disclosure))
            assert data is not None and data["sees_sensitive"] is sees
            shown = data["plans"] + [{"plan": p, "goals": []} for p in data["earlier"]]
            assert [(p["plan"].pk, p["plan"].status, p["plan"].open_steps) for p in shown] == plans
            assert [(g.pk, g.words, g.domain) for p in shown for g in p["goals"]] == goals
    # Off the care team, the page shows the sensitive goal as restricted.
    page = _person_page_as(world.scheduler, world.person.pk)
    assert "Stop drinking before noon." not in page and str(RESTRICTED) in page


def _person_page_as(user, pk):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(reverse("people:detail", args=[pk])).content.decode()
