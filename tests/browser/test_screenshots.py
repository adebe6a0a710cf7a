"""Reference pages, kept as screenshots among the run's artifacts (var/screenshots/, or
$ALONGSIDE_SCREENSHOTS) for a person to look at: the coordinator's home, a person's page,
the person's own view in Spanish on a phone, an error page and the audit browser. Each is
checked with axe-core like every page the browser tests visit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from alongside.intake import services
from alongside.intake.models import InstrumentVersion, ScreeningResponse
from tests.browser.conftest import Browsing
from tests.browser.test_person_language import fits_the_screen, phone  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def screenshots() -> Path:
    folder = Path(os.environ.get("ALONGSIDE_SCREENSHOTS") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(browsing: Browsing, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    browsing.page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000, f"{path} is nearly empty"
    return path


def test_the_staff_reference_pages(browsing: Browsing, world: Any, screenshots: Path) -> None:
    page = browsing.page
    browsing.sign_in(world.coordinator)

    browsing.goto("/")
    expect(page.get_by_role("heading", name="Hello, Casey")).to_be_visible()
    keep(browsing, screenshots, "coordinator-home")

    browsing.goto(f"/people/{world.person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lupe Hernández")
    keep(browsing, screenshots, "person-page")

    response = page.goto(browsing.url("/people/9999999/"))
    assert response is not None and response.status == 404
    browsing.check()
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()  # the app's layout
    expect(page.get_by_role("link", name="Go to your start page")).to_be_visible()
    expect(page.get_by_role("link", name="Find a person")).to_be_visible()
    keep(browsing, screenshots, "error-page")

    browsing.sign_in(world.admin)
    browsing.goto(f"/audit/?name={world.person.legal_family_name}")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    expect(page.get_by_role("link", name="Lupe Hernández").first).to_be_visible()
    expect(page.locator("table")).not_to_contain_text("people.person")
    keep(browsing, screenshots, "audit-browser")


def test_the_persons_view_in_spanish_on_a_phone(
    phone: Browsing,  # noqa: F811
    world: Any,
    screenshots: Path,
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
    phone.goto(f"/intake/s/{token}/")
    expect(phone.page.get_by_text("Pregunta 1 de 9")).to_be_visible()
    fits_the_screen(phone)
    keep(phone, screenshots, "person-view-spanish-phone")
