"""The navigation counts the open urgent results the viewer may act on ("Urgent results
(3)"), through the foundation's navigation registry (`people.contributions.nav_items`),
in one query however many there are; only the care team is counted any."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.intake import services
from alongside.intake.definitions import Given
from alongside.intake.models import UrgentFlag
from alongside.intake.tests.conftest import Screen
from alongside.intake.tests.test_responses import NOT_AT_ALL, SEVERAL, phq9
from alongside.people.contributions import nav_items, nav_links
from conftest import NAV_COUNTS, make_person

NAV_LINK = re.compile(r'<a href="/intake/urgent/"[^>]*>(.*?)</a>', re.S)


def flagged(screen: Screen, times: int = 1) -> None:
    for _ in range(times):
        screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))


def nav_text(client: Any) -> str:
    page = client.get(reverse("home")).content.decode()
    [link] = NAV_LINK.findall(page)
    return re.sub(r"<[^>]+>|\s+", " ", link).strip().replace("  ", " ")


def test_intake_contributes_the_urgent_results_link() -> None:
    item = nav_items.get("intake.urgent")
    assert item is not None and (item.url_name, item.nav) == ("intake:urgent", "urgent")


def test_it_counts_open_flags_for_the_care_team(client: Any, world: Any, screen: Screen) -> None:
    flagged(screen, 3)
    client.force_login(world.coordinator)
    assert nav_text(client) == "Urgent results (3)"
    flag = UrgentFlag.objects.order_by("id").first()
    assert flag is not None
    # A try that did not reach the person leaves the flag, and the count, as it was.
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=flag, action="could_not_reach", note="No answer."
    )
    assert nav_text(client) == "Urgent results (3)"
    services.urgent_flag_acknowledge(actor=world.coordinator, flag=flag, action="contacted")
    assert nav_text(client) == "Urgent results (2)"


@pytest.mark.parametrize("persona", ["scheduler", "admin", "colleague", "outsider"])
def test_it_counts_nothing_for_those_who_may_not_see_the_flags(
    client: Any, world: Any, screen: Screen, persona: str
) -> None:
    flagged(screen, 2)
    client.force_login(getattr(world, persona))
    assert nav_text(client) == "Urgent results"


def test_it_says_nothing_when_nothing_is_open(client: Any, world: Any) -> None:
    client.force_login(world.coordinator)
    assert nav_text(client) == "Urgent results"


def urgent_counts(viewer: Any) -> list[int]:
    """The counts of the navigation's urgent-results link (other links count nothing)."""
    return [link.count for link in nav_links(viewer) if link.key == "intake.urgent"]


def test_the_count_is_one_query_however_many_flags_and_people(world: Any, screen: Screen) -> None:
    flagged(screen)
    version = UrgentFlag.objects.get().response.instrument_version
    with CaptureQueriesContext(connection) as one:
        assert urgent_counts(world.supervisor) == [1]
    for n in range(3):
        services.response_record(
            actor=world.coordinator,
            person=make_person(world.coordinator, world.housing, legal_given_name=f"Ana {n}"),
            instrument_version=version,
            answers={
                k: Given(value=v) for k, v in phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}).items()
            },
        )
    with CaptureQueriesContext(connection) as many:
        assert urgent_counts(world.supervisor) == [4]
    # The first read the supervisor's scope too (kept for the request after it).
    assert len(one.captured_queries) == 1 + NAV_COUNTS
    assert len(many.captured_queries) == NAV_COUNTS
