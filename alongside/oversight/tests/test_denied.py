"""Denied attempts: a signed-in user who asks for a person's record outside their scope,
on a page or through the API, gets the same 404 as for a record that does not exist, and
leaves a `denied` event; a burst of them is emailed to their organization's admins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.accounts.tokens import token_create
from alongside.audit.models import AuditEvent
from alongside.audit.selectors import verify_chain
from alongside.intake import services as intake
from alongside.intake.models import Need, ScreeningResponse
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.matching.services import person_merge
from alongside.matching.tests.conftest import add_screening
from alongside.oversight import routes
from alongside.people import services as people
from alongside.people.models import ContactPoint, Enrollment, Person
from conftest import World, add_role, make_person, make_user

NOWHERE = 987654321  # an id no record has
SECRETS = ("Guadalupe", "Hernández", "Lupe", "knock")


@dataclass
class Records:
    """Riverbend's records, which Lakeside's outsider must not reach."""

    person: Person
    twin: Person
    contact: ContactPoint
    enrollment: Enrollment
    screening: ScreeningResponse
    need: Need
    pair: DuplicatePair
    merge: MergeRecord


@pytest.fixture
def records(world: World) -> Records:
    intake.instruments_load()
    person = world.person
    twin = make_person(world.coordinator, world.housing, legal_given_name="Lupe")
    extra = make_person(world.coordinator, world.housing, legal_given_name="Lupita")
    merge = person_merge(actor=world.admin, survivor=twin, merged=extra, reason="Same person.")
    contact = people.contact_point_create(
        actor=world.coordinator, person=person, data={"kind": "phone", "value": "212-555-0187"}
    )
    screening = add_screening(person, "food_insecurity")
    first, second = sorted((person, twin), key=lambda p: p.pk)
    pair = DuplicatePair.objects.create(
        organization_id=person.organization_id,
        person_a=first,
        person_b=second,
        score=28.5,
        decision="likely",
        found_at=screening.started_at,
        last_seen_at=screening.started_at,
    )
    return Records(
        person=person,
        twin=twin,
        contact=contact,
        enrollment=person.enrollments.get(),
        screening=screening,
        need=Need.objects.get(source_response=screening),
        pair=pair,
        merge=merge,
    )


def denied_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="denied").order_by("id"))


# (route, method, what its first id names, how to build its arguments)
PAGES = [
    ("people:detail", "get", "people.person", lambda r: [r.person.pk]),
    ("people:edit", "post", "people.person", lambda r: [r.person.pk]),
    ("people:access", "get", "people.person", lambda r: [r.person.pk]),
    ("people:contact-edit", "get", "people.person", lambda r: [r.person.pk, r.contact.pk]),
    ("people:enrollment-edit", "get", "people.person", lambda r: [r.person.pk, r.enrollment.pk]),
    ("intake:start", "get", "people.person", lambda r: [r.person.pk]),
    ("intake:history", "get", "people.person", lambda r: [r.person.pk]),
    ("intake:response", "get", "intake.screeningresponse", lambda r: [r.screening.pk]),
    ("intake:response-fhir", "get", "intake.screeningresponse", lambda r: [r.screening.pk]),
    ("intake:need-status", "post", "intake.need", lambda r: [r.need.pk]),
    ("matching:compare", "get", "people.person", lambda r: [r.person.pk, r.twin.pk]),
    ("matching:pair-review", "post", "matching.duplicatepair", lambda r: [r.pair.pk]),
    ("matching:merge-detail", "get", "matching.mergerecord", lambda r: [r.merge.pk]),
]


@pytest.mark.parametrize(
    ("route", "method", "object_type", "args"), PAGES, ids=[p[0] for p in PAGES]
)
def test_it_records_a_denied_page(client, world, records, route, method, object_type, args):
    client.force_login(world.outsider)
    ids = args(records)
    path = reverse(route, args=ids)
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert not any(secret in response.content.decode() for secret in SECRETS)
    [event] = denied_events()
    assert (event.actor_id, event.actor_label) == (world.outsider.pk, "olu")
    assert event.organization_id == world.other_org.pk
    assert (event.object_type, event.object_id) == (object_type, str(ids[0]))
    assert event.person_id is None
    assert event.channel == "web"
    assert event.detail["outcome"] == "denied"
    assert event.detail["route"] == route
    assert event.detail["method"] == method.upper()
    assert event.detail["path"] == path
    assert list(event.detail["ids"].values()) == [str(i) for i in ids]


# (method, path, what its id names)
API = [
    ("get", "/people/{person}", "people.person"),
    ("patch", "/people/{person}", "people.person"),
    ("get", "/people/{person}/profile", "people.person"),
    ("get", "/people/{person}/enrollments", "people.person"),
    ("get", "/people/{person}/contact-points", "people.person"),
    ("get", "/people/{person}/screenings", "people.person"),
    ("get", "/people/{person}/needs", "people.person"),
    ("get", "/screenings/{screening}", "intake.screeningresponse"),
    ("get", "/screenings/{screening}/fhir", "intake.screeningresponse"),
    ("patch", "/enrollments/{enrollment}", "people.enrollment"),
    ("delete", "/contact-points/{contact}", "people.contactpoint"),
]


def api_path(records: Records, template: str) -> tuple[str, int]:
    values = {
        "person": records.person.pk,
        "screening": records.screening.pk,
        "enrollment": records.enrollment.pk,
        "contact": records.contact.pk,
    }
    [key] = [k for k in values if "{" + k + "}" in template]
    return "/api/v1" + template.format(**values), values[key]


def bearer(user: Any) -> dict[str, str]:
    _, secret = token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(
    ("method", "template", "object_type"), API, ids=[f"{m} {p}" for m, p, _ in API]
)
def test_it_records_a_denied_api_call(world, records, method, template, object_type):
    path, object_id = api_path(records, template)
    response = Client().generic(
        method.upper(), path, "{}", content_type="application/json", headers=bearer(world.outsider)
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    [event] = denied_events()
    assert (event.actor_id, event.organization_id) == (world.outsider.pk, world.other_org.pk)
    assert (event.object_type, event.object_id) == (object_type, str(object_id))
    assert event.channel == "api"
    assert event.detail["outcome"] == "denied"
    assert event.detail["route"].startswith("api-v1:")
    assert event.detail["method"] == method.upper()
    assert event.detail["path"] == path


def test_it_records_a_session_api_call_as_its_user(client, world):
    client.force_login(world.colleague)
    response = client.get(f"/api/v1/people/{world.person.pk}")
    assert response.status_code == 404
    [event] = denied_events()
    assert (event.actor_label, event.channel) == ("morgan", "api")
    assert event.organization_id == world.org.pk


def test_it_answers_a_denied_page_exactly_as_a_missing_one(client, world):
    client.force_login(world.outsider)
    denied = client.get(reverse("people:detail", args=[world.person.pk]))
    missing = client.get(reverse("people:detail", args=[NOWHERE]))
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content
    assert denied["Content-Type"] == missing["Content-Type"]
    assert sorted(denied.headers) == sorted(missing.headers)
    # The log does not tell them apart either: both are denied, with the id asked for.
    first, second = denied_events()
    assert (first.detail["outcome"], second.detail["outcome"]) == ("denied", "denied")
    assert (first.object_id, second.object_id) == (str(world.person.pk), str(NOWHERE))


def test_it_answers_a_denied_api_call_exactly_as_a_missing_one(world, records):
    headers = bearer(world.outsider)
    for template in ("/people/{}", "/screenings/{}", "/people/{}/needs"):
        known = records.screening.pk if "screenings" in template else records.person.pk
        denied = Client().get("/api/v1" + template.format(known), headers=headers)
        missing = Client().get("/api/v1" + template.format(NOWHERE), headers=headers)
        assert denied.status_code == missing.status_code == 404
        assert denied.content == missing.content
        assert denied["Content-Type"] == missing["Content-Type"]
        assert sorted(denied.headers) == sorted(missing.headers)
    assert len(denied_events()) == 6


def test_it_keeps_the_event_when_the_request_is_rolled_back(
    transactional_db, client, world, monkeypatch
):
    # With ATOMIC_REQUESTS each view runs in a transaction that its 404 rolls back (real
    # commits and rollbacks here: transactional_db); the event is written after it.
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    client.force_login(world.outsider)
    assert client.get(reverse("people:detail", args=[world.person.pk])).status_code == 404
    assert client.get(f"/api/v1/people/{world.person.pk}").status_code == 404
    assert [e.channel for e in denied_events()] == ["web", "api"]
    assert verify_chain().ok


def test_it_records_nothing_when_the_record_is_shown(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("people:detail", args=[world.person.pk])).status_code == 200
    assert client.get(f"/api/v1/people/{world.person.pk}").status_code == 200
    assert denied_events() == []


def test_it_records_nothing_for_routes_that_name_no_person(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("manage:programs", args=[world.org.pk])).status_code == 404
    assert client.get("/api/v1/no-such-endpoint").status_code == 404
    assert client.get("/people/not-a-number/").status_code == 404
    assert denied_events() == []


def test_it_records_nothing_for_anonymous_requests(client, world):
    assert client.get(reverse("people:detail", args=[world.person.pk])).status_code == 302
    assert Client().get(f"/api/v1/people/{world.person.pk}").status_code == 401
    assert client.get(reverse("intake:link", args=["not-a-real-token"])).status_code == 404
    assert denied_events() == []


def test_it_never_writes_a_screening_links_token(client, world):
    client.force_login(world.coordinator)
    token = "a-secret-looking-token-1234567890"
    assert client.get(reverse("intake:link", args=[token])).status_code == 404
    assert not AuditEvent.objects.filter(detail__icontains=token).exists()


# Namespaces with ids in their paths that name no person's records: organization
# administration and the instrument builder, a teammate's worklist (a staff member),
# Django's admin, password reset links.
# scheduling-reply: a reminder's or a waitlist offer's link, whose only parameter is a
# signed token.
NOT_PERSON_BEARING = frozenset({"manage", "admin", "worklist", "scheduling-reply", ""})


def test_it_names_what_every_person_bearing_route_asks_for():
    """Every route with a parameter in its path is either person-bearing, with an entry
    saying what its id names, or in a namespace known to name no person: a new route or
    app cannot go unrecorded, or be recorded as 'unknown'."""
    checked = 0
    for namespace, route, path in _routes_with_parameters(get_resolver()):
        if namespace not in routes.NAMESPACES:
            assert namespace in NOT_PERSON_BEARING, route
            continue
        asked = routes.asked_for(resolve(path))
        # Their only parameter is a secret (a screening link's, a calendar feed's), never
        # recorded.
        if route in ("intake:link", "scheduling:feed", "scheduling:person-feed"):
            assert asked is None
            continue
        assert asked is not None, route
        assert asked.object_type != routes.UNKNOWN, route
        checked += 1
    assert checked >= 40


def _routes_with_parameters(resolver: URLResolver, namespace: str = "") -> Any:
    """(namespace, route name, a path to it) for every route with a path parameter."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes_with_parameters(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and getattr(pattern.pattern, "converters", {}):
            route = f"{namespace}:{pattern.name}"
            if namespace not in routes.NAMESPACES:
                yield namespace, route, ""
                continue
            converters = pattern.pattern.converters  # type: ignore[attr-defined]
            kwargs = {name: conv.to_python("7") for name, conv in converters.items()}
            yield namespace, route, reverse(route, kwargs=kwargs)


# ---------------------------------------------------------------- bursts


@pytest.fixture
def lakeside_admin(world: World) -> Any:
    admin = make_user("lee", first_name="Lee", last_name="Park")
    add_role(admin, Role.ORG_ADMIN, organization=world.other_org)
    gone = make_user("gone")
    add_role(gone, Role.ORG_ADMIN, organization=world.other_org)
    gone.is_active = False
    gone.save()
    return admin


def probe(client: Client, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        assert client.get(reverse("people:detail", args=[NOWHERE + n])).status_code == 404


def test_it_emails_the_admins_once_per_burst(
    client, world, lakeside_admin, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DENIED_ALERT_THRESHOLD = 3
    settings.DENIED_ALERT_MINUTES = 10
    settings.SITE_URL = "https://care.example.org"
    client.force_login(world.outsider)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        probe(client, 2)
    assert (callbacks, mailoutbox) == ([], [])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        probe(client, 4, start=2)
    assert len(callbacks) == 1
    [mail] = mailoutbox
    assert mail.to == ["lee@example.org"]  # not Riverbend's admin, not an inactive one
    assert "Olu Bello" in mail.subject and "3" in mail.subject
    body = mail.body
    assert "Olu Bello (olu) asked 3 times" in body
    assert "https://care.example.org/audit/?outcome=denied&actor=olu&org=" in body
    assert f"org={world.other_org.pk}" in body and "Lakeside Health" in body
    for detail in (*SECRETS, str(NOWHERE), "/people/"):
        assert detail not in mail.subject + body
    [alert] = AuditEvent.objects.filter(action="denied_alert")
    assert (alert.object_type, alert.object_id) == ("accounts.user", str(world.outsider.pk))
    assert alert.organization_id == world.other_org.pk and alert.actor_id is None
    assert alert.detail["denied"] == 3 and alert.detail["emailed"] == 1
    assert alert.detail["username"] == "olu"
    assert len(denied_events()) == 6


def test_it_raises_a_new_alert_for_a_new_burst(
    client,
    world,
    lakeside_admin,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    settings.DENIED_ALERT_THRESHOLD = 2
    settings.DENIED_ALERT_MINUTES = 10
    real_now, later = timezone.now, dt.timedelta()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + later)
    client.force_login(world.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        probe(client, 3)
    assert len(mailoutbox) == 1
    later = dt.timedelta(minutes=11)  # the first burst is out of the window
    with django_capture_on_commit_callbacks(execute=True):
        probe(client, 1, start=3)
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        probe(client, 1, start=4)
    assert len(mailoutbox) == 2
    assert [a.detail["denied"] for a in AuditEvent.objects.filter(action="denied_alert")] == [2, 2]


def test_it_alerts_for_each_user_on_their_own(
    client, world, lakeside_admin, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DENIED_ALERT_THRESHOLD = 2
    other = make_user("ade", first_name="Ade", last_name="Ola")
    add_role(other, Role.COORDINATOR, program=world.other_program)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(world.outsider)
        probe(client, 1)
        client.force_login(other)
        probe(client, 1)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        probe(client, 1)
        client.force_login(world.outsider)
        probe(client, 1)
    assert sorted(m.subject.split(" was")[0] for m in mailoutbox) == [
        "Alongside: Ade Ola",
        "Alongside: Olu Bello",
    ]


def test_it_alerts_riverbends_admins_about_a_colleague(
    client, world, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DENIED_ALERT_THRESHOLD = 2
    client.force_login(world.colleague)
    with django_capture_on_commit_callbacks(execute=True):
        probe(client, 2)
    assert [m.to for m in mailoutbox] == [["alex@example.org"]]


def test_it_sends_no_alert_when_turned_off(
    client, world, lakeside_admin, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DENIED_ALERT_THRESHOLD = 0
    client.force_login(world.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        probe(client, 6)
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="denied_alert").exists()
