"""Error pages: the app's own, with a way back, in the viewer's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

from tests.language import english_left, page_language


def test_a_missing_page_is_ours_and_in_the_browsers_language(client: Client, db: Any) -> None:
    english = client.get("/no-such-page/")
    spanish = client.get("/no-such-page/", headers={"accept-language": "es"})
    assert english.status_code == spanish.status_code == 404
    assert "Page not found" in english.content.decode()
    assert 'href="/"' in english.content.decode()  # a way back
    assert page_language(spanish.content.decode()) == "es"
    assert not english_left(spanish.content.decode(), english.content.decode())


@pytest.mark.parametrize(
    "view", [defaults.server_error, defaults.bad_request, defaults.permission_denied]
)
def test_the_other_error_pages_are_in_the_viewers_language(view: Any, db: Any) -> None:
    request = RequestFactory().get("/")
    arguments = [request] if view is defaults.server_error else [request, Exception()]
    english = view(*arguments).content.decode()
    with translation.override("es"):
        spanish = view(*arguments).content.decode()
    assert page_language(spanish) == "es"
    assert not english_left(spanish, english)


def test_a_refused_form_says_so_in_the_viewers_language(client: Client, world: Any) -> None:
    guarded = Client(enforce_csrf_checks=True)
    english = guarded.post("/login/", {"username": "x"})
    spanish = guarded.post("/login/", {"username": "x"}, headers={"accept-language": "es"})
    assert english.status_code == spanish.status_code == 403
    assert "Nothing was sent" in english.content.decode()
    assert not english_left(spanish.content.decode(), english.content.decode())
