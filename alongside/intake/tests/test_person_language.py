"""The person's own screens are all in their language: every page they can see, drawn in
Spanish, holds no English, neither words of English copy nor text identical to the same
page drawn in English (tests/language.py). Instrument text comes from the instrument's
translation, everything around it from the message catalogs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alongside.intake import definitions, services
from alongside.intake.models import InstrumentVersion, ScreeningLink, ScreeningResponse
from alongside.intake.tests.test_fill_views import draft, make_link
from alongside.organizations.models import Organization
from conftest import PASSWORD
from tests.language import english_left, page_language

SHIPPED = ["phq-2", "phq-9", "gad-7", "hunger-vital-sign", "ahc-hrsn-core", "readiness-ruler"]
PERSON = ScreeningResponse.Mode.PERSON


@pytest.fixture
def staff(client: Client, world: Any) -> Client:
    client.force_login(world.coordinator)
    return client


def spanish(world: Any, version: InstrumentVersion) -> ScreeningResponse:
    """A screening the person answers in Spanish. A translation that is not validated is
    offered on the person's screen only if the organization allows it: these tests allow
    it, so that whatever the person can be shown in Spanish is checked for English."""
    if not definitions.translation_validated(version.definition, "es"):
        Organization.objects.filter(pk=world.person.organization_id).update(
            allow_unvalidated_translations=True
        )
    return draft(world, version, mode=PERSON, language="es")


def in_english(response: ScreeningResponse, fetch: Callable[[], Any]) -> str:
    """The same page with the screening in English, for comparison."""
    ScreeningResponse.objects.filter(pk=response.pk).update(language="en")
    try:
        return str(fetch().content.decode())
    finally:
        ScreeningResponse.objects.filter(pk=response.pk).update(language="es")


def assert_all_spanish(html: str, english: str = "", where: str = "") -> None:
    assert page_language(html) == "es", where
    left = english_left(html, english)
    assert not left, f"English left on {where}: {left}"


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def first_answer(html: str, link_id: str) -> str:
    """The first answer offered (an option, yes, the ruler's 0), or a typed one."""
    found = re.search(rf'name="a-{re.escape(link_id)}" value="([^"]*)"', html)
    return found.group(1) if found else "3"


@pytest.mark.parametrize("slug", SHIPPED)
def test_it_shows_every_question_of_a_shipped_instrument_all_in_spanish(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion], slug: str
) -> None:
    response = spanish(world, instruments[slug])
    url = make_link(staff, response)
    person = Client()
    seen = []
    while (page := person.get(url)).status_code == 200:
        html = page.content.decode()
        link_id = field(html, "link_id")
        english = in_english(response, lambda: person.get(url, {"q": link_id}))  # noqa: B023
        assert_all_spanish(html, english, f"{slug} question {link_id}")
        assert "Over the last 2 weeks" not in html  # the English stem is for staff only
        seen.append(link_id)
        reply = person.post(
            url,
            {
                "link_id": link_id,
                f"a-{link_id}": first_answer(html, link_id),
                "version": field(html, "version"),
            },
        )
        assert reply.status_code == 302, reply.content.decode()
    assert seen == [item["link_id"] for item in instruments[slug].definition["items"]]

    review = person.get(url, {"step": "review"}).content.decode()
    english = in_english(response, lambda: person.get(url, {"step": "review"}))
    assert_all_spanish(review, english, f"{slug} review")
    done = person.post(url, {"action": "finish"}).content.decode()
    assert_all_spanish(done, where=f"{slug} done")
    assert "Gracias" in done


def test_it_says_what_is_missing_or_wrong_in_spanish(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = spanish(world, instruments["readiness-ruler"])
    url = make_link(staff, response)
    person = Client()
    first = instruments["readiness-ruler"].definition["items"][0]["link_id"]

    def post(**data: str) -> Any:
        return person.post(url, {"link_id": first, "version": str(response.version), **data})

    nothing = post()  # nothing chosen
    assert nothing.status_code == 422
    assert_all_spanish(nothing.content.decode(), in_english(response, post), "no answer")
    assert "Por favor elija una respuesta" in nothing.content.decode()

    beyond = post(**{f"a-{first}": "42"})  # past the ruler's 10
    assert beyond.status_code == 422
    english = in_english(response, lambda: post(**{f"a-{first}": "42"}))
    assert_all_spanish(beyond.content.decode(), english, "out of range")
    assert "Escriba un número del 0 al 10." in beyond.content.decode()

    unfinished = person.post(url, {"action": "finish"})
    assert unfinished.status_code == 422
    english = in_english(response, lambda: person.post(url, {"action": "finish"}))
    assert_all_spanish(unfinished.content.decode(), english, "review with questions left")

    # Someone else saved meanwhile: the person is asked to check, in Spanish.
    services.answer_save(
        actor=world.coordinator,
        response=response,
        link_id=first,
        value=5,
        expected_version=response.version,
    )
    stale = post(**{f"a-{first}": "7"})
    assert stale.status_code == 409
    english = in_english(response, lambda: post(**{f"a-{first}": "7"}))
    assert_all_spanish(stale.content.decode(), english, "conflict")


def test_it_thanks_the_person_in_spanish(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    pages = {}
    for language in ("es", "en"):
        response = draft(world, instruments["phq-2"], mode=PERSON, language=language)
        url = make_link(staff, response)
        person = Client()
        for item in instruments["phq-2"].definition["items"]:
            page = person.get(url).content.decode()
            person.post(
                url,
                {
                    "link_id": item["link_id"],
                    f"a-{item['link_id']}": first_answer(page, item["link_id"]),
                    "version": field(page, "version"),
                },
            )
        pages[language] = person.post(url, {"action": "finish"}).content.decode()
    assert_all_spanish(pages["es"], pages["en"], "done")


def test_the_hand_back_page_is_in_the_persons_language_and_staff_get_theirs_back(
    client: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    client.force_login(world.coordinator)
    response = spanish(world, instruments["phq-9"])
    client.post(reverse("intake:hand-over", args=[response.pk]))
    kiosk = reverse("intake:kiosk", args=[response.pk])
    back = reverse("intake:hand-back", args=[response.pk])

    question = client.get(kiosk)
    assert question["Content-Language"] == "es"
    english = in_english(response, lambda: client.get(kiosk))
    assert_all_spanish(question.content.decode(), english, "handed-over question")

    client.get(kiosk)  # the device shows the Spanish question again
    hand_back = client.get(back).content.decode()
    assert "Contraseña del personal" in hand_back
    wrong = client.post(back, {"password": "guess"})
    assert wrong.status_code == 422
    assert "Esa no es su contraseña." in wrong.content.decode()
    # The same pages once the screening is in English (the device follows the person).
    ScreeningResponse.objects.filter(pk=response.pk).update(language="en")
    client.get(kiosk)
    english_back = client.get(back).content.decode()
    english_wrong = client.post(back, {"password": "guess"}).content.decode()
    assert_all_spanish(hand_back, english_back, "hand back")
    assert_all_spanish(wrong.content.decode(), english_wrong, "hand back, wrong password")

    ScreeningResponse.objects.filter(pk=response.pk).update(language="es")
    client.get(kiosk)
    taken_back = client.post(back, {"password": PASSWORD})
    assert taken_back.status_code == 302
    staff_page = client.get(taken_back["Location"])
    assert staff_page["Content-Language"] == "en"  # the coordinator's own language again


def test_a_link_that_no_longer_works_says_so_in_the_persons_language(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    urls = {}
    for language in ("es", "en"):
        response = draft(world, instruments["phq-2"], mode=PERSON, language=language)
        urls[language] = make_link(staff, response)
    ScreeningLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    expired = Client().get(urls["es"])  # no browser language: the screening's
    assert expired.status_code == 404
    english = Client().get(urls["en"]).content.decode()
    assert_all_spanish(expired.content.decode(), english, "expired link")
    assert "7 días" in expired.content.decode()

    unknown = "/intake/s/not-a-real-token/"
    browser_says = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").get(unknown)
    asked_for = Client().get(unknown, {"lang": "es"})
    english = Client().get(unknown).content.decode()
    for reply in (browser_says, asked_for):
        assert reply.status_code == 404
        assert_all_spanish(reply.content.decode(), english, "unknown link")
    assert 'href="?lang=es"' in english and "Ver en español" in english


def test_an_error_on_a_persons_link_is_in_their_language(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = spanish(world, instruments["phq-2"])
    url = make_link(staff, response)
    person = Client(enforce_csrf_checks=True)
    person.get(url)  # remembers the person's language for the links' pages
    refused = person.post(url, {"action": "finish"})  # no CSRF token: refused
    assert refused.status_code == 403
    english = Client(enforce_csrf_checks=True).post(url, {"action": "finish"}).content.decode()
    assert_all_spanish(refused.content.decode(), english, "CSRF failure")
    missing = person.get("/intake/s/")
    assert missing.status_code == 404
    assert_all_spanish(missing.content.decode(), Client().get("/intake/s/").content.decode())
    assert not ScreeningResponse.objects.get(pk=response.pk).is_completed


def test_the_persons_language_does_not_outlast_their_request(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    url = make_link(staff, spanish(world, instruments["phq-2"]))
    assert Client().get(url)["Content-Language"] == "es"
    assert translation.get_language() == "en"
    assert staff.get(reverse("home"))["Content-Language"] == "en"
