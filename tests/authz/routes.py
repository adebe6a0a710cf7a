"""Every route the project serves, read from the URLconf and the API's OpenAPI document,
so that an authorization test walking them cannot miss a new one.

- `page_routes()`: every URL pattern of the URLconf, recursively, outside the API;
- `api_routes()`: every operation of the OpenAPI document (one per method);
- `probes(fillers)`: each route with its path parameters filled, or the reason it
  cannot be filled. A route that cannot be filled and is not in `EXEMPT` is a failure
  of the caller's test, with a message saying what to add.

Filling is the caller's: `fillers` maps a route's name to a function giving, for a
seeded world, one or more variants of its parameters and the person the route is about
(see tests/authz/world.py). Parameters whose name alone says what they are (`person_id`,
`org`, ...) can be filled for every route by `fillers.generic`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

API_PREFIX = "/api/v1"

# Routes no authorization walk requests, each with why. Everything else must be filled.
EXEMPT: dict[str, str] = {
    # Django's admin site is for superusers (`is_staff`), whom no persona is: every page
    # sends anyone else to its own sign-in. Its regex routes (one per model) are Django's,
    # and test_matrix checks that its index refuses every persona.
    "django-admin/": "Django's own admin site, for superusers only",
}

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    """One route: `name` is the URL name with its namespace (`people:detail`, or the
    template for a pattern without a name), or for an API operation its method and
    template (`GET /api/v1/people/{person_id}`); `template` is the path with `{param}`
    slots."""

    name: str
    template: str
    params: tuple[str, ...]
    api: bool = False
    method: str = "GET"  # the API operation's method; pages answer GET and maybe POST
    body: Any = None  # for an API operation that takes one, the smallest valid body

    @property
    def label(self) -> str:
        return f"{self.method} {self.template} ({self.name})"

    def fill(self, values: Mapping[str, Any]) -> str:
        path = self.template
        for name in self.params:
            path = path.replace("{" + name + "}", quote(str(values[name]), safe=":"))
        return path


def _piece(pattern: Any) -> tuple[str, list[str]]:
    """A pattern's part of the path, with `{param}` slots, and its parameter names."""
    if isinstance(pattern, RoutePattern):
        text = str(pattern)
        names = [m["name"] for m in _PARAM.finditer(text)]
        return _PARAM.sub(lambda m: "{" + m["name"] + "}", text), names
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$").removesuffix("\\Z")
        names = [m["name"] for m in _GROUP.finditer(text)]
        return _GROUP.sub(lambda m: "{" + m["name"] + "}", text), names
    raise TypeError(f"Unknown URL pattern type {type(pattern).__name__}")


def _walk(
    patterns: list[Any], prefix: str, params: list[str], namespace: str
) -> Iterator[tuple[str, str, list[str], Any]]:
    for entry in patterns:
        piece, names = _piece(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from _walk(entry.url_patterns, prefix + piece, params + names, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + piece, name or "", params + names, entry


def url_routes() -> list[Route]:
    """Every URL pattern of the URLconf, as routes (API patterns included)."""
    routes = []
    for template, name, params, _ in _walk(get_resolver().url_patterns, "/", [], ""):
        routes.append(Route(name or template, template, tuple(params)))
    return routes


def is_exempt(route: Route) -> bool:
    return any(route.template.startswith("/" + prefix) for prefix in EXEMPT)


def _is_api(route: Route) -> bool:
    return route.template.startswith(API_PREFIX + "/")


def page_routes() -> list[Route]:
    """Every URL pattern outside the API's operations and not exempt: the pages, the
    API's own pages (its document, browsable docs and root) and its catch-all for
    unknown paths under /api/."""
    return [
        r for r in url_routes() if not is_exempt(r) and (not _is_api(r) or r.name in DOCUMENT_PAGES)
    ]


def openapi() -> dict[str, Any]:
    from alongside.api.v1 import api

    return dict(api.get_openapi_schema())


def api_routes() -> list[Route]:
    """Every operation of the OpenAPI document."""
    routes = []
    document = openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            params = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "path")
            template = API_PREFIX + path.removeprefix(API_PREFIX)
            body = None
            if "requestBody" in operation:
                content = operation["requestBody"]["content"]
                schema = next(iter(content.values()))["schema"]
                body = example(schema, document)
            routes.append(
                Route(f"{method.upper()} {template}", template, params, True, method.upper(), body)
            )
    return routes


def example(schema: Mapping[str, Any], document: Mapping[str, Any]) -> Any:
    """The smallest value a JSON schema accepts: required properties only, the first of
    an enum or of a union, the lowest number allowed."""
    if "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return example(target, document)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            options = [o for o in schema[union] if o.get("type") != "null"]
            return example(options[0], document)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name], document) for name in schema.get("required", [])}
    if kind == "integer" or kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    formats = {"date": "2000-01-01", "date-time": "2000-01-01T00:00:00Z", "time": "09:00"}
    return formats.get(schema.get("format", ""), "x")


def api_patterns_outside_the_document() -> list[Route]:
    """URL patterns under /api/v1/ that no OpenAPI operation describes, other than the
    document itself and its browsable page (which are walked as pages)."""
    documented = {re.sub(r"\{[^}]+\}", "{}", r.template) for r in api_routes()}
    return [
        r
        for r in url_routes()
        if _is_api(r)
        and re.sub(r"\{[^}]+\}", "{}", r.template) not in documented
        and r.name not in DOCUMENT_PAGES
    ]


# The API's own pages: the OpenAPI document and the browsable docs, and the API root.
DOCUMENT_PAGES = frozenset({"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"})


# ---------------------------------------------------------------- filling


@dataclass(frozen=True)
class Probe:
    """One request to make: a route with its parameters filled. `subject` is the key of
    the person the route is about (None for routes about no one in particular), and
    `variant` names which of the route's fillings this is."""

    route: Route
    path: str
    subject: str | None = None
    variant: str = ""

    @property
    def label(self) -> str:
        about = f" about {self.subject}" if self.subject else ""
        variant = f" [{self.variant}]" if self.variant else ""
        return f"{self.route.method} {self.path} ({self.route.name}{variant}{about})"


# A filling: (variant, subject key or None, parameters).
Filling = tuple[str, str | None, dict[str, Any]]


@dataclass
class Fillers:
    """How to fill routes for one seeded world: `by_route[name]()` gives a route's
    fillings; `generic[param]` gives, per subject, a value for a parameter whose name says
    what it is, for routes with no entry of their own."""

    by_route: dict[str, Callable[[], list[Filling]]] = field(default_factory=dict)
    generic: dict[str, dict[str, Any]] = field(default_factory=dict)

    def fillings(self, route: Route) -> list[Filling]:
        if route.name in self.by_route:
            return self.by_route[route.name]()
        if not route.params:
            return [("", None, {})]
        subjects = [
            {s for s in self.generic.get(p, {})} for p in route.params
        ]  # subjects for which every parameter has a value
        common = set.intersection(*subjects) if subjects else set()
        return [
            ("", subject, {p: self.generic[p][subject] for p in route.params})
            for subject in sorted(common)
        ]


class Unfillable(AssertionError):
    pass


def probes(routes: list[Route], fillers: Fillers) -> list[Probe]:
    """Every route with its parameters filled. Raises Unfillable naming every route that
    could not be filled, and how to fix it."""
    found: list[Probe] = []
    missing: list[str] = []
    for route in routes:
        fillings = fillers.fillings(route)
        if not fillings:
            missing.append(route.label)
        for variant, subject, values in fillings:
            absent = [p for p in route.params if p not in values]
            if absent:
                missing.append(f"{route.label}: no value for {', '.join(absent)}")
                continue
            found.append(Probe(route, route.fill(values), subject, variant))
    if missing:
        raise Unfillable(
            "The authorization walk cannot fill these routes, so it cannot check who may "
            "reach them. Add a filling to `fillers` in tests/authz/world.py (by route, or a "
            "generic parameter), or exempt the route in tests/authz/routes.py (EXEMPT) "
            "with the reason:\n  " + "\n  ".join(missing)
        )
    return found
