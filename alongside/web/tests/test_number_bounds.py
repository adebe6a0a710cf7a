"""Numbers a client sends that the database cannot hold (2**63, 2**64, -1, 0) answer 404 in
a path, and in a query string a page that still makes sense (page numbers are clamped) or
a clear 4xx (the API's 422), never a 500. The routes come from the URLconf and the OpenAPI
document, so a new route cannot escape."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from alongside.lib.urls import MAX_ID, IdConverter, IndexConverter

PERSONAS = ["coordinator", "colleague", "supervisor", "admin", "outsider", "scheduler", None]
OUTSIDE = [MAX_ID + 1, 2**64, -1, 0]  # 2**63, past unsigned 64-bit, negative, zero
NUMBER_CONVERTERS = (IntConverter, IdConverter)
# The names views and the API read numbers from in query strings (grep request.GET).
QUERY_NUMBERS = ["page", "org", "person", "before", "after", "offset", "limit"]


@dataclass(frozen=True)
class Route:
    name: str
    parts: tuple[tuple[str, str | None], ...]  # (literal text, converter's parameter name)
    converters: dict[str, Any]

    def url(self, values: dict[str, Any]) -> str:
        return "/" + "".join(text + (str(values[p]) if p else "") for text, p in self.parts)


def _parts(route: str) -> list[tuple[str, str | None]]:
    parts: list[tuple[str, str | None]] = []
    last = 0
    for found in re.finditer(r"<(?:\w+:)?(\w+)>", route):
        parts.append((route[last : found.start()], found.group(1)))
        last = found.end()
    parts.append((route[last:], None))
    return parts


def _routes(resolver: URLResolver, prefix: str = "", converters: Any = None) -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        route = getattr(pattern.pattern, "_route", None)
        if route is None:  # a regex (the API's and the admin's catch-alls): no parameters
            continue
        found = {**(converters or {}), **pattern.pattern.converters}
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(route), found)
        elif isinstance(pattern, URLPattern) and not (prefix + route).startswith("api/"):
            yield Route(pattern.name or route, tuple(_parts(prefix + route)), found)


ROUTES = list(_routes(get_resolver()))
NUMBERED = [
    r
    for r in ROUTES
    if any(isinstance(c, (*NUMBER_CONVERTERS, IndexConverter)) for c in r.converters.values())
]


def _client(world: Any, persona: str | None) -> Client:
    client = Client()
    if persona:
        client.force_login(getattr(world, persona))
    return client


def _fill(route: Route, world: Any) -> dict[str, Any]:
    """Plausible values for every parameter: real ids where the name says what they are."""
    values: dict[str, Any] = {}
    for name, converter in route.converters.items():
        if isinstance(converter, IndexConverter):
            values[name] = 0
        elif name == "org":
            values[name] = world.org.pk
        elif isinstance(converter, NUMBER_CONVERTERS):
            values[name] = world.person.pk
        else:
            values[name] = "x"
    return values


def _outside(converter: Any) -> list[int]:
    low = 0 if isinstance(converter, IndexConverter) else 1
    return [value for value in OUTSIDE if not low <= value <= MAX_ID]


def test_it_finds_the_numbered_routes():
    names = {route.name for route in NUMBERED}
    assert {"compare", "detail", "instrument-score", "role-revoke", "need-status"} <= names


def test_it_uses_no_unbounded_int_converter_in_any_route():
    unbounded = [
        r.name for r in ROUTES if any(type(c) is IntConverter for c in r.converters.values())
    ]
    assert unbounded == []


def test_it_writes_no_int_converter_in_any_urlconf():
    """A grep-style guard too, for routes built where the walk above does not look."""
    package = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts
        and path != package / "lib" / "urls.py"
        and "<int:" in path.read_text()
    ]
    assert offenders == [], "use <id:...> from alongside.lib.urls, not <int:...>"


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_404_for_every_path_number_the_database_cannot_hold(world, persona):
    client = _client(world, persona)
    failures = []
    for route in NUMBERED:
        for name, converter in route.converters.items():
            if not isinstance(converter, (*NUMBER_CONVERTERS, IndexConverter)):
                continue
            for value in _outside(converter):
                url = route.url(_fill(route, world) | {name: value})
                # The resolver answers before any view, whatever the method: POST (for the
                # views that take only POST) once per parameter keeps the walk quick.
                methods = ("get", "post") if value == OUTSIDE[0] else ("get",)
                for method in methods:
                    status = getattr(client, method)(url).status_code
                    if status != 404:
                        failures.append(f"{method.upper()} {url} ({route.name}): {status}")
    assert failures == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_never_fails_on_a_query_number_the_database_cannot_hold(world, persona):
    client = _client(world, persona)
    failures = []
    for route in ROUTES:
        if route.name == "logout" or route.parts[0][0].startswith("django-admin/"):
            continue  # signing out ends the persona; the admin site is Django's own
        base = route.url(_fill(route, world))
        for value in OUTSIDE:
            status = client.get(base, {name: value for name in QUERY_NUMBERS}).status_code
            if status >= 500:
                failures.append(f"GET {base} with {value}: {status}")
    assert failures == []


def _api_operations() -> list[tuple[str, str, list[dict[str, Any]]]]:
    from alongside.api.v1 import api

    document = api.get_openapi_schema()
    return [
        (path, method, operation.get("parameters", []))
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def _integer(parameter: dict[str, Any]) -> dict[str, Any] | None:
    schema = parameter.get("schema", {})
    return next((k for k in [schema, *schema.get("anyOf", [])] if k.get("type") == "integer"), None)


def _is_integer(parameter: dict[str, Any]) -> bool:
    return _integer(parameter) is not None


def test_it_bounds_every_api_query_number():
    for path, method, parameters in _api_operations():
        for parameter in parameters:
            bounds = _integer(parameter)
            if parameter["in"] == "query" and bounds is not None:
                assert "minimum" in bounds and bounds.get("maximum", MAX_ID + 1) <= MAX_ID, (
                    f"{method} {path}: {parameter['name']}"
                )


def test_it_names_every_api_path_number_as_an_id():
    """api/urls.py bounds path parameters named *_id; a number named otherwise would slip."""
    for path, method, parameters in _api_operations():
        for parameter in parameters:
            if parameter["in"] == "path":
                assert _is_integer(parameter) and parameter["name"].endswith("_id"), (
                    f"{method} {path}: {parameter['name']}"
                )


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_refuses_api_numbers_the_database_cannot_hold(world, persona):
    client = _client(world, persona)
    failures = []
    for path, method, parameters in _api_operations():
        ids = {p["name"]: world.person.pk for p in parameters if p["in"] == "path"}
        for parameter in filter(_is_integer, parameters):
            for value in OUTSIDE:
                if parameter["in"] == "path":
                    url, expected = path.format(**ids | {parameter["name"]: value}), {404}
                elif parameter["in"] == "query" and method == "get":
                    url = f"{path.format(**ids)}?{parameter['name']}={value}"
                    bounds = _integer(parameter) or {}
                    if not bounds.get("minimum", -1) <= value <= bounds.get("maximum", -1):
                        expected = {401} if persona is None else {422}
                    else:
                        expected = {200, 401}
                else:
                    continue
                response = client.generic(method.upper(), url)
                status = response.status_code
                if status not in expected or (status >= 400 and "error" not in response.json()):
                    failures.append(f"{method.upper()} {url}: {status}")
    assert failures == []
