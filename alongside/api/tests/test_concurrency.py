"""Optimistic concurrency: ETag out, If-Match (or version) in, 409 when stale, 428 when
missing."""

import re

import pytest
from django.test import Client

from alongside.api.tests.conftest import assert_error
from alongside.people import services
from alongside.people.models import Person


@pytest.fixture
def contact(world):
    return services.contact_point_create(
        actor=world.coordinator, person=world.person, data={"kind": "email", "value": "l@x.org"}
    )


def _writes(world, contact):
    person, enrollment = world.person.pk, world.person.enrollments.get().pk
    return [
        ("PATCH", f"/people/{person}", {"pronouns": "she/they"}),
        ("PUT", f"/people/{person}/profile", {"hopes": "A garden."}),
        ("PATCH", f"/enrollments/{enrollment}", {"status": "active"}),
        ("PATCH", f"/contact-points/{contact.pk}", {"label": "home"}),
        ("DELETE", f"/contact-points/{contact.pk}", None),
    ]


def test_it_sends_an_etag_with_every_representation(world, api_as, contact):
    api = api_as(world.coordinator)
    assert api.get(f"/people/{world.person.pk}")["ETag"] == '"1"'
    assert api.get(f"/people/{world.person.pk}/profile")["ETag"] == '"1"'
    created = api.post(
        f"/people/{world.person.pk}/contact-points", {"kind": "email", "value": "x@y.org"}
    )
    assert created["ETag"] == '"1"'


def test_it_requires_a_version_for_every_change(world, api_as, contact):
    api = api_as(world.coordinator)
    for method, path, body in _writes(world, contact):
        error = assert_error(api.send(method, path, body), 428, "precondition_required")
        assert "If-Match" in error["message"]
    assert Person.objects.get(pk=world.person.pk).version == 1


def test_it_refuses_a_stale_version_and_says_which_is_current(world, api_as, contact):
    api = api_as(world.coordinator)
    services.person_update(
        actor=world.supervisor, person=world.person, data={"pronouns": "she/her/ella"}, version=1
    )
    response = api.patch(f"/people/{world.person.pk}", {"pronouns": "she/they", "version": 1})
    error = assert_error(response, 409, "stale_version")
    assert error["current_version"] == 2
    assert response["ETag"] == '"2"'
    assert Person.objects.get(pk=world.person.pk).pronouns == "she/her/ella"


@pytest.mark.parametrize("index", range(5))
def test_it_refuses_every_stale_write(world, api_as, contact, index):
    method, path, body = _writes(world, contact)[index]
    response = api_as(world.coordinator).send(method, path, body, **{"If-Match": '"7"'})
    assert assert_error(response, 409, "stale_version")["current_version"] == 1


@pytest.mark.parametrize("etag", ['"1"', 'W/"1"', "1", ' "1" '])
def test_it_reads_the_etag_forms_clients_send(world, api_as, etag):
    response = api_as(world.coordinator).patch(
        f"/people/{world.person.pk}", {"pronouns": "she/they"}, **{"If-Match": etag}
    )
    assert response.status_code == 200, response.content


UNREADABLE = ["*", '"abc"', '"1", "2"', '"0"', "0", "9" * 30, ""]


@pytest.mark.parametrize("etag", UNREADABLE)
def test_it_explains_an_if_match_it_cannot_read(world, api_as, etag):
    response = api_as(world.coordinator).patch(
        f"/people/{world.person.pk}", {"pronouns": "she/they"}, **{"If-Match": etag}
    )
    assert "If-Match" in assert_error(response, 422, "invalid")["fields"]


def test_it_documents_the_if_match_forms_it_reads(db):
    [parameter] = [
        p
        for p in Client()
        .get("/api/v1/openapi.json")
        .json()["paths"]["/api/v1/people/{person_id}"]["patch"]["parameters"]
        if p["name"] == "If-Match"
    ]
    pattern = re.compile(parameter["schema"]["pattern"])
    for etag in ['"1"', 'W/"1"', "1", ' "1" ', '"0001"', '"9223372036854775807"', "0" * 19 + "1"]:
        assert pattern.search(etag), etag
    for etag in UNREADABLE:
        assert not pattern.search(etag), etag


def test_it_needs_if_match_to_delete(world, api_as, contact):
    response = api_as(world.coordinator).delete(f"/contact-points/{contact.pk}")
    assert assert_error(response, 428, "precondition_required")


def test_it_refuses_a_version_that_disagrees_with_if_match(world, api_as):
    response = api_as(world.coordinator).patch(
        f"/people/{world.person.pk}", {"pronouns": "x", "version": 2}, **{"If-Match": '"1"'}
    )
    assert "version" in assert_error(response, 422)["fields"]


def test_it_lets_a_client_retry_with_the_current_version(world, api_as):
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}"
    assert api.patch(path, {"pronouns": "a", "version": 1}).status_code == 200
    stale = api.patch(path, {"pronouns": "b", "version": 1})
    current = stale.json()["error"]["current_version"]
    retried = api.patch(path, {"pronouns": "b"}, **{"If-Match": stale["ETag"]})
    assert retried.status_code == 200
    assert retried.json()["version"] == current + 1
