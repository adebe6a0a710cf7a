"""The person's own view in Spanish on a phone: all in Spanish, nothing wider than the
screen, accessible (axe-core), and kept as a screenshot among the run's artifacts
(var/artifacts/, or $ALONGSIDE_ARTIFACTS) for a person to look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from alongside.intake import services
from alongside.intake.models import InstrumentVersion, ScreeningResponse
from tests.browser.conftest import AXE_SCRIPT, TIMEOUT_MS, Browsing
from tests.language import english_left

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def artifacts() -> Path:
    """Where this run keeps what a person should look at (git ignores var/)."""
    folder = Path(os.environ.get("ALONGSIDE_ARTIFACTS") or ROOT / "var" / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def phone(chromium: Browser, live_server: Any) -> Iterator[Browsing]:
    """A phone-sized browser whose own language is Spanish, checked like every page."""
    context = chromium.new_context(
        locale="es-US",
        timezone_id="America/New_York",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(script=AXE_SCRIPT)
    session = Browsing(context.new_page(), live_server.url)
    try:
        yield session
        missed = session.unchecked()
        assert not missed, f"Pages visited but never checked with axe-core: {missed}"
        assert not session.problems, "\n".join(session.problems)
    finally:
        context.close()


def fits_the_screen(browsing: Browsing) -> None:
    width = browsing.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{browsing.page.url} is {width}px wide on a phone"


def all_spanish(browsing: Browsing) -> None:
    expect(browsing.page.locator("html")).to_have_attribute("lang", "es")
    left = english_left(browsing.page.content())
    assert not left, f"English left on {browsing.page.url}: {left}"


def test_the_person_answers_a_phq9_link_in_spanish_on_a_phone(
    phone: Browsing, world: Any, artifacts: Path
) -> None:
    services.instruments_load()
    phq9 = InstrumentVersion.objects.get(instrument__slug="phq-9", status="active")
    response = services.response_start(
        actor=world.coordinator,
        person=world.person,
        instrument_version=phq9,
        mode=ScreeningResponse.Mode.PERSON,
        language="es",
    )
    _, token = services.link_create(actor=world.coordinator, response=response)
    page = phone.page

    phone.goto(f"/intake/s/{token}/")
    expect(page.get_by_text("Pregunta 1 de 9")).to_be_visible()
    all_spanish(phone)
    fits_the_screen(phone)
    page.screenshot(path=artifacts / "person-view-spanish-phone.png", full_page=True)

    page.get_by_text("Varios días").click()
    page.get_by_role("button", name="Guardar y seguir").click()
    expect(page.get_by_text("Pregunta 2 de 9")).to_be_visible()
    phone.check()
    all_spanish(phone)
    fits_the_screen(phone)

    page.get_by_role("link", name="Atrás").click()  # back to the first, still answered
    expect(page.get_by_label("Varios días")).to_be_checked()
    phone.check()
    assert response.answers.get().link_id == phq9.definition["items"][0]["link_id"]
