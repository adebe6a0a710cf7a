"""The audit trail browser: for organization admins only, their organization only,
newest first, filtered, paged by keyset, and itself recorded."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from alongside.accounts.models import Role
from alongside.audit import services as audit
from alongside.audit.models import AuditEvent
from alongside.audit.services import Action
from alongside.audit.tests.tampering import protections_lifted
from alongside.organizations import services as organizations
from alongside.oversight.selectors import PAGE_SIZE
from conftest import NAV_COUNTS, add_role, make_user

# session, user, scope, the events, their actors' names, the navigation's counts, audit
# (head lock, insert, head update; one statement on PostgreSQL)
AUDIT_LIST = (6 if connection.vendor == "postgresql" else 8) + NAV_COUNTS


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def events_for(world, count, **extra):
    fields = {
        "actor": world.coordinator,
        "action": Action.VIEW,
        "object_type": "people.person",
        "organization_id": world.org.pk,
    } | extra
    return [audit.record(**fields) for _ in range(count)]


def shown(response):
    return [e.pk for e in response.context["events"]]


def test_it_shows_the_organizations_events_newest_first(admin_client, world):
    organizations.program_create(
        actor=world.admin, organization=world.org, data={"name": "Peer Support"}
    )
    elsewhere = audit.record(
        actor=world.outsider,
        action=Action.VIEW,
        object_type="people.person",
        organization_id=world.other_org.pk,
    )
    response = admin_client.get(reverse("audit:list"), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    ids = shown(response)
    assert ids == sorted(ids, reverse=True) and elsewhere.pk not in ids
    assert set(AuditEvent.objects.filter(pk__in=ids).values_list("organization_id", flat=True)) == {
        world.org.pk
    }
    page = response.content.decode()
    assert "Program: Peer Support" in page and "Alex Kim" in page
    assert "Changed: name" in page  # the fields that changed
    assert 'aria-current="page"' in page


def test_it_shows_time_in_local_time_ip_and_request_id(admin_client, world):
    event = audit.record(
        actor=world.admin,
        action=Action.UPDATE,
        object_type="x.y",
        organization_id=world.org.pk,
        fields=["name"],
    )
    page = admin_client.get(reverse("audit:list")).content.decode()
    local = timezone.localtime(event.at)
    assert formats.date_format(local, "DATETIME_FORMAT") in page
    assert f"Times are in {timezone.get_current_timezone_name()}" in page
    assert event.request_id in page


def test_it_records_each_look_at_the_trail(admin_client, world):
    admin_client.get(reverse("audit:list"), {"action": "view"}, REMOTE_ADDR="10.1.1.1")
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type) == ("list", "audit.auditevent")
    assert event.actor_id == world.admin.pk and event.organization_id == world.org.pk
    assert event.ip == "10.1.1.1" and event.detail["filters"] == {"action": "view"}


@pytest.mark.parametrize(
    "persona", ["coordinator", "colleague", "supervisor", "scheduler", "outsider"]
)
def test_it_answers_404_to_everyone_who_is_not_an_admin(client, world, persona):
    client.force_login(getattr(world, persona))
    before = AuditEvent.objects.count()
    assert client.get(reverse("audit:list")).status_code == 404
    assert client.post(reverse("audit:verify")).status_code == 404
    assert AuditEvent.objects.count() == before


def test_it_sends_anonymous_visitors_to_sign_in(client, world):
    for response in (client.get(reverse("audit:list")), client.post(reverse("audit:verify"))):
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_keeps_an_admin_to_organizations_they_administer(admin_client, world):
    url = reverse("audit:list")
    for org in [world.other_org.pk, "abc", "99999999999999999999999", "-1"]:
        assert admin_client.get(url, {"org": org}).status_code == 404, org
    add_role(world.admin, Role.ORG_ADMIN, organization=world.other_org)
    theirs = events_for(world, 1, organization_id=world.other_org.pk)[0]
    response = admin_client.get(url, {"org": world.other_org.pk})
    assert response.status_code == 200 and shown(response) == [theirs.pk]


def test_it_filters_by_action_actor_and_person(admin_client, world):
    url = reverse("audit:list")
    events_for(world, 3, actor=world.supervisor, action=Action.UPDATE)
    person_id = world.person.pk
    response = admin_client.get(url, {"action": "update"})
    assert {AuditEvent.objects.get(pk=pk).action for pk in shown(response)} == {"update"}
    response = admin_client.get(url, {"actor": "SAM"})
    assert len(shown(response)) == 3
    response = admin_client.get(url, {"person": person_id})
    assert shown(response) and all(
        AuditEvent.objects.get(pk=pk).person_id == person_id for pk in shown(response)
    )
    response = admin_client.get(url, {"actor": "nobody-here"})
    assert shown(response) == [] and "No events match" in response.content.decode()


@pytest.mark.parametrize(
    "params, field",
    [
        ({"person": "abc"}, "person"),
        ({"person": "0"}, "person"),
        ({"person": str(10**30)}, "person"),
        ({"action": "drop table"}, "action"),
        ({"actor": "x" * 151}, "actor"),
    ],
)
def test_it_shows_filter_errors_instead_of_failing(admin_client, world, params, field):
    response = admin_client.get(reverse("audit:list"), params)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()


def test_it_survives_odd_cursors_and_unicode(admin_client, world):
    url = reverse("audit:list")
    for params in [
        {"before": "abc"},
        {"after": str(10**40)},
        {"before": "-3"},
        {"actor": "Nguyễn 🙂"},
        {"before": "1", "after": "2"},
    ]:
        assert admin_client.get(url, params).status_code == 200, params


def test_it_pages_by_keyset_25_at_a_time(admin_client, world):
    events_for(world, 60)
    url = reverse("audit:list")
    first = admin_client.get(url)
    assert len(shown(first)) == PAGE_SIZE and first.context["has_older"]
    assert not first.context["has_newer"]
    second = admin_client.get(url, {"before": shown(first)[-1]})
    assert len(shown(second)) == PAGE_SIZE and max(shown(second)) < min(shown(first))
    assert second.context["has_newer"]
    back = admin_client.get(url, {"after": shown(second)[0]})
    assert shown(back) == shown(first)
    assert 'href="?before=' in first.content.decode()


def test_it_pins_the_audit_list_query_count(admin_client, world, django_assert_num_queries):
    url = reverse("audit:list")
    events_for(world, 5)
    # The world's setup is on the page too: the person's and their enrollment's names.
    with django_assert_num_queries(AUDIT_LIST + 2):
        admin_client.get(url)
    for n in range(40):
        events_for(world, 1, actor=make_user(f"staff{n}"))
    with django_assert_num_queries(AUDIT_LIST):
        admin_client.get(url, {"before": 10**6})


def test_it_verifies_the_chain_on_request(admin_client, world):
    response = admin_client.get(reverse("audit:list"))
    assert b"Verify chain" in response.content
    assert admin_client.get(reverse("audit:verify")).status_code == 405
    response = admin_client.post(reverse("audit:verify"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Intact" in page and 'role="status"' in page
    event = AuditEvent.objects.latest("id")
    assert event.detail["verify_chain"] == "ok" and event.action == "view"


def test_it_shows_a_missing_chain_head_as_a_broken_chain(admin_client, world):
    events_for(world, 2)
    count = AuditEvent.objects.count()
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead")
    response = admin_client.post(reverse("audit:verify"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "Broken" in page and "Intact" not in page
    assert f"The chain head is missing while {count} events exist" in page
    # Nothing can be recorded on a headless chain, the check included.
    assert AuditEvent.objects.count() == count


def test_it_filters_for_denied_attempts(admin_client, world, settings):
    settings.DENIED_ALERT_THRESHOLD = 2
    client = Client()
    client.force_login(world.colleague)  # in another program: Lupe is out of scope
    assert client.get(reverse("people:detail", args=[world.person.pk])).status_code == 404
    assert client.get(f"/api/v1/people/{world.person.pk}/needs").status_code == 404
    events_for(world, 2)
    url = reverse("audit:list")
    response = admin_client.get(url, {"outcome": "denied"})
    assert response.status_code == 200
    denied = AuditEvent.objects.filter(action__in=["denied", "denied_alert"])
    assert sorted(shown(response)) == sorted(denied.values_list("pk", flat=True))
    assert [e.action for e in response.context["events"]] == ["denied_alert", "denied", "denied"]
    page = response.content.decode()
    assert 'name="outcome"' in page and "Outcome" in page
    assert f"Not shown: GET <code>/people/{world.person.pk}/</code>" in page
    assert "2 denied attempts by morgan within 10 minutes" in page
    allowed = admin_client.get(url, {"outcome": "allowed"})
    assert shown(allowed) and not set(shown(allowed)) & set(shown(response))
    mine = admin_client.get(url, {"outcome": "denied", "actor": "morgan"})
    assert len(shown(mine)) == 2  # the alert is the system's, about morgan
    assert admin_client.get(url, {"outcome": "maybe"}).status_code == 422


def test_it_finds_denied_attempts_by_the_record_asked_for(admin_client, world):
    client = Client()
    client.force_login(world.colleague)
    client.get(reverse("people:detail", args=[world.person.pk]))
    client.get(reverse("people:detail", args=[world.person.pk + 1000]))
    response = admin_client.get(reverse("audit:list"), {"person": world.person.pk})
    kinds = {e.action for e in response.context["events"]}
    assert "denied" in kinds and "create" in kinds
    asked = [e.object_id for e in response.context["events"] if e.action == "denied"]
    assert asked == [str(world.person.pk)]
