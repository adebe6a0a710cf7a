"""A NUL character in a query string or a form, whatever the field, answers a 400 page that
says why, on every route and either database: PostgreSQL refuses NUL in text (a 500 where
a view passed it on) and SQLite would keep it. The routes come from the URLconf, so a new
one cannot escape. (The API's JSON bodies: api/tests/test_unstorable_text.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import resolve

from alongside.lib.raw_text import keeps_raw_text
from alongside.web.tests.test_number_bounds import ROUTES, _fill

REASON = "It held a character that cannot be stored (NUL)."
WEB_ROUTES = [r for r in ROUTES if not r.parts[0][0].startswith("django-admin/")]


def test_it_walks_the_web_routes():
    names = {route.name for route in WEB_ROUTES}
    assert {"home", "list", "detail", "login", "twilio-inbound"} <= names


@pytest.mark.parametrize("persona", ["coordinator", None])
def test_every_route_refuses_a_nul_in_the_query_string(world: Any, persona: str | None):
    client = Client()
    if persona:
        client.force_login(getattr(world, persona))
    failures = []
    for route in WEB_ROUTES:
        url = route.url(_fill(route, world))
        response = client.get(url, {"q": "Lupe\x00", "date": "2026-01-01"})
        if keeps_raw_text(resolve(url.split("?")[0]).func):
            if response.status_code >= 500:  # a webhook cleans its own text
                failures.append(f"GET {url} ({route.name}): {response.status_code}")
        elif response.status_code != 400 or REASON not in response.content.decode():
            failures.append(f"GET {url} ({route.name}): {response.status_code}")
    assert failures == []


def test_every_route_refuses_a_nul_in_a_form(world: Any):
    client = Client()
    client.force_login(world.admin)
    failures = []
    for route in WEB_ROUTES:
        if route.name == "logout":
            continue
        url = route.url(_fill(route, world))
        sent = [
            client.post(url, {"notes": "a\x00b"}),  # multipart, as a form with a file
            client.generic("POST", url, "notes=a%00b", "application/x-www-form-urlencoded"),
            client.generic("POST", url, "na%00me=x", "application/x-www-form-urlencoded"),
        ]
        raw = keeps_raw_text(resolve(url.split("?")[0]).func)  # a webhook cleans its own
        for how, response in zip(("multipart", "value", "name"), sent, strict=True):
            if (response.status_code >= 500) if raw else (response.status_code != 400):
                failures.append(f"POST {url} ({route.name}), {how}: {response.status_code}")
    assert failures == []


def test_it_says_so_in_the_viewers_language(world: Any):
    client = Client()
    client.force_login(world.coordinator)
    world.coordinator.language = "es"
    world.coordinator.save(update_fields=["language"])
    page = client.get("/people/", {"q": "\x00"})
    assert page.status_code == 400
    assert "no se puede guardar" in page.content.decode()


def test_ordinary_text_passes(world: Any):
    client = Client()
    client.force_login(world.coordinator)
    assert client.get("/people/", {"q": "Lupe café 😀"}).status_code == 200


def test_the_api_answers_in_its_own_shape(world: Any):
    client = Client()
    client.force_login(world.coordinator)
    response = client.get("/api/v1/people", {"q": "a\x00b"})
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code != 500
