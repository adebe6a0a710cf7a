"""The worklist pages: the home page for anyone with a caseload, a teammate's worklist,
the team, the caseload with filters, and done/snooze/undo from the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.intake.models import Need
from alongside.worklist.models import WorklistDecision
from alongside.worklist.tests.conftest import contacted, coordinated, crowd
from conftest import LANGUAGES_INLINE, NAV_COUNTS, add_role, make_person, make_user


@pytest.fixture
def teammate(world):
    robin = make_user("robin", first_name="Robin", last_name="Diaz")
    add_role(robin, "coordinator", program=world.housing)
    return robin


def _decide(client, world, **data):
    body = {"person": world.person.pk, "reason": "worklist.not_yet_contacted", "item": "new"} | data
    return client.post(reverse("worklist:decide"), body)


def test_the_home_page_is_the_worklist(client, world, flag):
    flag(world.person)
    client.force_login(world.coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Who needs attention today" in page
    assert "Urgent screening result just now" in page
    assert "New, not yet contacted" in page
    assert "Approach with care" in page and "Please knock" not in page
    assert "she/her" in page


def test_the_home_page_records_one_event_naming_both_lists(client, world, flag):
    supervised = make_person(world.supervisor, world.housing, legal_given_name="Noor")
    flag(supervised)  # on the supervisor's caseload (their program), nobody's primary
    client.force_login(world.supervisor)
    before = AuditEvent.objects.count()
    page = client.get(reverse("home")).content.decode()
    [event] = AuditEvent.objects.order_by("id")[before:]
    assert (event.action, event.object_type) == ("list", "people.person")
    assert event.detail["page"] == "home" and supervised.pk in event.detail["worklist"]
    table = client.get(reverse("home")).context["people"]
    assert set(event.detail["ids"]) == {p.pk for p in table} | set(event.detail["worklist"])
    assert event.detail["count"] == len(event.detail["ids"])
    assert f'href="/people/{supervised.pk}/"' in page
    assert reverse("people:detail", args=[supervised.pk]) == f"/people/{supervised.pk}/"
    client.force_login(world.coordinator)  # their own people: in both lists
    before = AuditEvent.objects.count()
    client.get(reverse("home"))
    [event] = AuditEvent.objects.order_by("id")[before:]
    assert event.detail["ids"] == [world.person.pk] == event.detail["worklist"]


def test_the_home_page_without_a_caseload_has_no_worklist(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("home")).content.decode()
    assert "Who needs attention today" not in page and "Find a person" in page


def test_done_today_from_the_page(client, world):
    client.force_login(world.coordinator)
    response = _decide(client, world, action="done", next="/")
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "Done today (1)" in page and "Nobody needs attention right now" in page
    assert WorklistDecision.objects.get().decided_by == world.coordinator


def test_a_snooze_without_a_reason_is_refused_with_a_message(client, world):
    client.force_login(world.coordinator)
    until = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = _decide(client, world, action="snoozed", until=until, note="")
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Say why it can wait" in page and not WorklistDecision.objects.exists()


def test_snooze_then_undo_from_the_page(client, world):
    client.force_login(world.coordinator)
    until = timezone.localdate() + dt.timedelta(days=2)
    _decide(client, world, action="snoozed", until=until.isoformat(), note="In hospital this week")
    page = client.get("/").content.decode()
    assert "Snoozed (1)" in page and "In hospital this week" in page
    decision = WorklistDecision.objects.get()
    client.post(reverse("worklist:undo"), {"decision": decision.pk})
    page = client.get("/").content.decode()
    assert "Snoozed (" not in page and "New, not yet contacted" in page


def test_deciding_about_someone_off_the_caseload_is_404(client, world):
    client.force_login(world.colleague)
    assert _decide(client, world, action="done").status_code == 404
    client.force_login(world.outsider)
    assert _decide(client, world, action="done").status_code == 404
    assert not WorklistDecision.objects.exists()


def test_undoing_someone_elses_decision_out_of_scope_is_404(client, world):
    client.force_login(world.coordinator)
    _decide(client, world, action="done")
    client.force_login(world.outsider)
    response = client.post(
        reverse("worklist:undo"), {"decision": WorklistDecision.objects.get().pk}
    )
    assert response.status_code == 404
    assert WorklistDecision.objects.get().undone_at is None


def test_covering_for_a_teammate(client, world, teammate):
    client.force_login(teammate)
    page = client.get(reverse("worklist:member", args=[world.coordinator.pk])).content.decode()
    assert "You are covering for Casey Nguyen" in page and "Lupe Hernández" in page
    assert 'name="covering_for"' in page
    event = AuditEvent.objects.filter(action="list", actor_id=teammate.pk).latest("id")
    assert event.detail["covering_for"] == world.coordinator.pk
    _decide(client, world, action="done", covering_for=world.coordinator.pk)
    decision = WorklistDecision.objects.get()
    assert (decision.decided_by, decision.covering_for) == (teammate, world.coordinator)
    client.force_login(world.coordinator)
    page = client.get("/").content.decode()
    assert "by Robin Diaz" in page and "(covering for Casey Nguyen)" in page


def test_a_teammate_out_of_scope_is_404(client, world):
    client.force_login(world.colleague)  # another program
    assert client.get(reverse("worklist:member", args=[world.coordinator.pk])).status_code == 404
    client.force_login(world.outsider)  # another organization
    assert client.get(reverse("worklist:member", args=[world.coordinator.pk])).status_code == 404
    client.force_login(world.coordinator)
    assert client.get(reverse("worklist:member", args=[2**62])).status_code == 404
    response = _decide(client, world, action="done", covering_for=world.outsider.pk)
    assert response.status_code == 404


def test_ones_own_worklist_is_the_home_page(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("worklist:member", args=[world.coordinator.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_the_supervisor_sees_each_members_sizes(client, world, teammate):
    contacted(world.person, 1)
    coordinated(world, "Ana")
    make_person(
        world.coordinator, world.housing, legal_given_name="Bo", primary_coordinator=teammate
    )
    client.force_login(world.supervisor)
    response = client.get(reverse("worklist:team"))
    members = {m.user.username: (m.caseload, m.worklist) for m in response.context["members"]}
    assert members == {"casey": (2, 1), "robin": (1, 1)}
    assert "Need attention today" in response.content.decode()


def test_a_coordinator_sees_teammates_to_cover_without_sizes(client, world, teammate):
    client.force_login(world.coordinator)
    response = client.get(reverse("worklist:team"))
    assert [m.user for m in response.context["members"]] == [teammate, world.supervisor]
    page = response.content.decode()
    assert "Open Robin Diaz’s worklist" in page and "Need attention today" not in page


def test_the_caseload_filters_and_counts(client, world):
    contacted(world.person, 40)
    coordinated(world, "Ana", legal_family_name="Bell")
    client.force_login(world.coordinator)
    found = client.get(reverse("worklist:caseload")).context["found"]
    assert (found.total, found.never, found.overdue, found.matching) == (2, 1, 1, 2)
    found = client.get(reverse("worklist:caseload"), {"contact": "never"}).context["found"]
    assert [p.first_name for p in found.people] == ["Ana"]
    found = client.get(reverse("worklist:caseload"), {"contact": "overdue"}).context["found"]
    assert [p.first_name for p in found.people] == ["Lupe"]
    found = client.get(reverse("worklist:caseload"), {"status": "active"}).context["found"]
    assert found.people == [] and found.total == 2
    found = client.get(reverse("worklist:caseload"), {"program": world.housing.pk}).context["found"]
    assert found.matching == 2


def test_the_caseload_refuses_a_program_not_ones_own(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("worklist:caseload"), {"program": world.wellness.pk})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


# ---------------------------------------------------------------- query counts

# An audit event is one statement on PostgreSQL, three on SQLite (audit/services.py).
AUDIT = 1 if connection.vendor == "postgresql" else 3
# Every registered reason's rows are read in one statement (worklist/gather.py): a new
# app's reason adds nothing, nor does a row. (Nine reasons were nine queries before.)
REASONS = 1
# One list event for both lists (the people table's languages are inline on PG); no
# "has a caseload?" query for whoever coordinates someone.
HOME = 7 + REASONS + AUDIT + NAV_COUNTS - LANGUAGES_INLINE
MEMBER = 7 + REASONS + AUDIT + NAV_COUNTS
CASELOAD = 8 + AUDIT + NAV_COUNTS
TEAM = 6 + REASONS + NAV_COUNTS


def _crowd(world, flag, count):
    """Every other one contacted 40 days ago or more, each with a care note."""
    profile = {"approach_with_care": "Speak softly."}
    crowd(world, flag, count, lambda n: 40 + n if n % 2 else None, profile=profile)


@pytest.mark.parametrize("count", [1, 6])
def test_it_pins_the_home_page(client, world, flag, count, django_assert_num_queries):
    _crowd(world, flag, count)
    client.force_login(world.coordinator)
    client.get("/")
    with django_assert_num_queries(HOME):
        client.get("/")


@pytest.mark.parametrize("count", [1, 6])
def test_it_pins_a_teammates_worklist(
    client, world, flag, teammate, count, django_assert_num_queries
):
    _crowd(world, flag, count)
    client.force_login(teammate)
    url = reverse("worklist:member", args=[world.coordinator.pk])
    client.get(url)
    with django_assert_num_queries(MEMBER):
        client.get(url)


@pytest.mark.parametrize("count", [1, 6])
def test_it_pins_the_caseload(client, world, flag, count, django_assert_num_queries):
    _crowd(world, flag, count)
    client.force_login(world.coordinator)
    client.get(reverse("worklist:caseload"))
    with django_assert_num_queries(CASELOAD):
        client.get(reverse("worklist:caseload"), {"contact": "never"})


@pytest.mark.parametrize("count", [1, 6])
def test_it_pins_the_team_page(client, world, flag, teammate, count, django_assert_num_queries):
    _crowd(world, flag, count)
    client.force_login(world.supervisor)
    client.get(reverse("worklist:team"))
    with django_assert_num_queries(TEAM):
        client.get(reverse("worklist:team"))


def test_only_the_care_team_sets_items_aside(client, world, flag):
    flag(world.person)
    client.force_login(world.scheduler)
    page = client.get(reverse("worklist:member", args=[world.coordinator.pk])).content.decode()
    assert "Urgent result — speak with the coordinator" in page
    assert "Done today<" not in page and "worklist/decide/" not in page
    response = _decide(client, world, action="done", covering_for=world.coordinator.pk)
    assert response.status_code == 403 and not WorklistDecision.objects.exists()


def test_a_snooze_with_an_impossible_date_says_which_field(client, world):
    client.force_login(world.coordinator)
    response = _decide(client, world, action="snoozed", until="2026-02-31", note="x", next="/")
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Nothing was saved. Bring back on: Enter a valid date." in page
    assert not WorklistDecision.objects.exists()


def test_the_caseload_filters_by_an_open_need_from_intake(client, world):
    other = coordinated(world, "Ana")
    for person, kind in ((world.person, "food_insecurity"), (other, "depression")):
        Need.objects.create(person=person, kind=kind, identified_at=timezone.now())
    client.force_login(world.coordinator)
    response = client.get(reverse("worklist:caseload"), {"need": "food_insecurity"})
    assert [p.first_name for p in response.context["found"].people] == ["Lupe"]
    page = response.content.decode()
    assert "Open need" in page and "Depression" not in page  # never offered: sensitive
    # A sensitive kind is not a choice, so asking for it is refused, not answered.
    response = client.get(reverse("worklist:caseload"), {"need": "depression"})
    assert response.status_code == 422 and response.context["found"].matching == 2


def test_each_reason_s_form_carries_its_own_values_escaped(world):
    from django.test import Client

    from alongside.people.models import Person

    Person.objects.filter(pk=world.person.pk).update(preferred_name='Lu <"&>')
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    page = client.get("/?from=a&b=%3Cc%3E").content.decode()
    assert (
        f'<input type="hidden" name="person" value="{world.person.pk}">'
        '<input type="hidden" name="reason" value="worklist.not_yet_contacted">'
        '<input type="hidden" name="item" value="new">'
        '<input type="hidden" name="next" value="/?from=a&amp;b=%3Cc%3E">'
    ) in page
    assert 'visually-hidden">: Lu &lt;&quot;&amp;&gt;' in page and 'Lu <"&>' not in page
    assert 'id="until-1-1"' in page and 'for="note-1-1"' in page
    # The form's CSRF field is this session's: the decision goes through.
    [token] = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    response = client.post(
        reverse("worklist:decide"),
        {
            "csrfmiddlewaretoken": token,
            "person": world.person.pk,
            "reason": "worklist.not_yet_contacted",
            "item": "new",
            "action": "done",
        },
    )
    assert response.status_code == 302 and WorklistDecision.objects.filter(action="done").exists()
