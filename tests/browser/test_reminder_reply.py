"""A reminder's link on a phone, in Spanish: the appointment, then "Sí, allí estaré";
all in Spanish, nothing wider than the screen, accessible (axe-core)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.people import services as people_services
from alongside.scheduling import reply_links
from alongside.scheduling.models import ReminderReply
from alongside.scheduling.tests.factories import raw_appointment
from tests.browser.test_person_language import all_spanish, fits_the_screen
from tests.browser.test_person_language import phone as phone  # noqa: PLC0414 (a fixture)

pytestmark = pytest.mark.browser


def test_the_person_confirms_from_a_reminder_in_spanish(phone: Any, world: Any) -> None:
    people_services.language_add(
        actor=world.coordinator, person=world.person, data={"language": "es", "is_preferred": True}
    )
    start = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    appointment = raw_appointment(world, start)
    page = phone.page

    phone.goto(f"/r/{reply_links.make_token(appointment)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Su cita")
    all_spanish(phone)
    fits_the_screen(phone)

    page.get_by_role("button", name="Sí, allí estaré").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias: su cita está confirmada")
    phone.check()
    all_spanish(phone)
    assert ReminderReply.objects.get().answer == "confirm"
