"""One name for each need, and one wording for its status, wherever a need is shown: the
results page, the person page's panel, the instrument builder and the API (pinned in
api/tests/test_sensitive_results.py) all take them from `intake.wording`."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from alongside.intake import wording
from alongside.intake.models import Need
from alongside.intake.tests.conftest import Screen
from alongside.intake.tests.test_responses import MORE_THAN_HALF, NOT_AT_ALL, phq9


def test_the_models_name_needs_and_statuses_as_the_wording_does() -> None:
    for kind in Need.Kind.values:
        assert Need.Kind(kind).label == wording.need_name(kind)
    for status in Need.Status.values:
        assert Need.Status(status).label == wording.status_name(status)
    assert wording.need_name("depression") == "Mood"
    assert wording.status_name("identified") == "May want help"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_results_page_and_the_person_page_name_a_need_the_same_way(
    client: Any, world: Any, screen: Screen
) -> None:
    response = screen("phq-9", phq9(MORE_THAN_HALF, **{"44260-8": NOT_AT_ALL}))
    assert Need.objects.get().kind == "depression"
    client.force_login(world.coordinator)
    results = _text(client.get(reverse("intake:response", args=[response.pk])).content.decode())
    person = _text(client.get(reverse("people:detail", args=[world.person.pk])).content.decode())
    for page in (results, person):
        assert "Mood: may want support with how they have been feeling May want help" in page
        assert "Depression" not in page and "identified" not in page.lower()
