"""Fields some views read from the form by name, outside a Django form's cleaning (`next`,
the address to go back to; `version`, the one the page showed), with values a client can
send: never a 500 on any route. The routes come from the URLconf, so a new view that reads
them cannot escape. (NUL characters: test_unstorable_text.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from alongside.lib.views import back_to
from alongside.web.tests.test_number_bounds import ROUTES, _fill

VALUES = ["abc", "2", "-1", "9" * 5000, "99999999999999999999", "//evil.example/", "%FF"]
WEB_ROUTES = [
    r for r in ROUTES if r.name != "logout" and not r.parts[0][0].startswith("django-admin/")
]


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_no_route_fails_on_a_field_it_reads_by_name(world: Any, persona: str):
    client = Client(raise_request_exception=False)
    client.force_login(getattr(world, persona))
    failures = []
    for route in WEB_ROUTES:
        url = route.url(_fill(route, world))
        for value in VALUES:
            body = f"next={value}&version={value}"
            response = client.generic("POST", url, body, "application/x-www-form-urlencoded")
            if response.status_code >= 500:
                failures.append(f"POST {url} ({route.name}) with {value[:20]}: 500")
    assert failures == []


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("/people/3/", "/people/3/"),
        ("/worklist/?program=2", "/worklist/?program=2"),
        ("abc", "/"),  # redirect() would take it for a view's name
        ("2", "/"),
        ("people/3/", "/"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("", "/"),
    ],
)
def test_it_goes_back_only_to_a_path_on_this_site(sent: str, expected: str):
    request = RequestFactory().post("/worklist/decide/", {"next": sent})
    assert back_to(request, "/") == expected
