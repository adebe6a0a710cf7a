"""The journey timeline over the API: pages by cursor, filters, restricted details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from alongside.api.tests.conftest import assert_error
from alongside.people import timeline
from alongside.people.sensitivity import RESTRICTED

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _journey(world: Any, n: int) -> None:
    for i in range(n):
        timeline.add_entry(
            person=world.person,
            kind="intake.urgent_flag_raised",
            occurred_at=START + dt.timedelta(days=i),
            summary=f"Result {i}",
            details="Safety plan reviewed.",
            actor=world.coordinator,
            program=world.housing,
        )


def test_it_pages_the_journey_by_cursor(world: Any, api_as: Any) -> None:
    _journey(world, 5)
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/timeline"
    first = api.get(path, {"limit": 3, "group": "urgent flags"}).json()
    assert [e["summary"] for e in first["results"]] == ["Result 4", "Result 3", "Result 2"]
    assert first["results"][0]["details"] == "Safety plan reviewed."
    rest = api.get(path, {"limit": 3, "group": "urgent flags", "cursor": first["next_cursor"]})
    assert [e["summary"] for e in rest.json()["results"]] == ["Result 1", "Result 0"]
    assert rest.json()["next_cursor"] is None


def test_it_restricts_details_outside_the_care_team(world: Any, api_as: Any) -> None:
    _journey(world, 1)
    [entry] = (
        api_as(world.scheduler)
        .get(f"/people/{world.person.pk}/timeline", {"group": "urgent flags"})
        .json()["results"]
    )
    assert (entry["restricted"], entry["details"]) == (True, RESTRICTED)


def test_it_says_what_is_wrong_with_a_filter(world: Any, api_as: Any) -> None:
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/timeline"
    assert_error(api.get(path, {"group": "nothing"}), 422, "invalid")
    assert_error(api.get(path, {"program_id": world.wellness.pk}), 422, "invalid")
    assert_error(api.get(path, {"since": "2026-02-01", "until": "2026-01-01"}), 422, "invalid")
    assert_error(api.get(path, {"cursor": "99999999999999999999.1"}), 422, "invalid")
    assert_error(api_as(world.outsider).get(path), 404)
