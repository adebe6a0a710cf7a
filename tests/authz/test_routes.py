"""The route enumeration the authorization walk stands on: it finds every route, and a
route it cannot fill fails loudly instead of escaping the walk."""

from __future__ import annotations

from typing import Any

import pytest

from tests.authz import routes
from tests.authz.world import AuthzWorld, build, fillers


@pytest.fixture
def authz(world: Any) -> AuthzWorld:
    return build(world)


def test_it_walks_every_url_pattern_but_the_exempt_ones() -> None:
    walked = {r.template for r in routes.page_routes()} | {r.template for r in routes.api_routes()}
    for route in routes.url_routes():
        assert route.template in walked or routes.is_exempt(route), route.label
    assert any(r.template == "/people/{pk}/contacts/{contact_pk}/" for r in routes.page_routes())
    assert {"/api/v1/openapi.json", "/api/{rest}"} <= {r.template for r in routes.page_routes()}


def test_every_api_pattern_is_an_operation_of_the_openapi_document() -> None:
    assert routes.api_patterns_outside_the_document() == []
    operations = {(r.method, r.template) for r in routes.api_routes()}
    assert ("GET", "/api/v1/people/{person_id}/needs") in operations
    assert ("DELETE", "/api/v1/contact-points/{contact_id}") in operations


def test_it_knows_the_smallest_body_each_api_write_takes() -> None:
    bodies = {r.name: r.body for r in routes.api_routes() if r.method != "GET"}
    assert bodies["POST /api/v1/people/{person_id}/contact-points"] == {
        "kind": "phone",
        "value": "x",
    }
    assert bodies["PUT /api/v1/people/{person_id}/profile"] == {}


def test_it_fills_every_route_in_the_seeded_world(authz: AuthzWorld) -> None:
    probes = routes.probes(routes.page_routes() + routes.api_routes(), fillers(authz))
    lupe = authz.subjects["lupe"].person.pk
    assert f"/people/{lupe}/history/" in {p.path for p in probes}
    assert {p.subject for p in probes} == {None, "lupe", "rosa"}


def test_a_route_it_cannot_fill_fails_with_what_to_do(authz: AuthzWorld) -> None:
    new = routes.Route("reports:person", "/reports/{report_pk}/people/{pk}/", ("report_pk", "pk"))
    with pytest.raises(routes.Unfillable, match=r"(?s)cannot fill.*EXEMPT.*reports:person"):
        routes.probes([new], fillers(authz))
