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


def test_staff_get_the_apps_layout_and_ways_back_in_their_language(
    client: Client, world: Any
) -> None:
    client.force_login(world.coordinator)
    english = client.get("/no-such-page/").content.decode()
    assert '<nav aria-label="Main">' in english and "Go to your start page" in english
    assert 'href="/people/"' in english and "csrfmiddlewaretoken" not in english
    spanish = client.get("/no-such-page/", headers={"accept-language": "es"}).content.decode()
    assert page_language(spanish) == "es" and "Ir a su página de inicio" in spanish
    assert "Hoy" in spanish  # the navigation, in Spanish


def test_a_device_handed_over_to_the_person_shows_no_staff_navigation(world: Any) -> None:
    request = RequestFactory().get("/")
    request.user = world.coordinator
    request.handed_over = True  # type: ignore[attr-defined]
    page = defaults.page_not_found(request, Exception()).content.decode()
    assert "Page not found" in page
    assert '<nav aria-label="Main">' not in page and str(world.coordinator) not in page
    assert "Go to the start page" in page and "open their link again" in page
