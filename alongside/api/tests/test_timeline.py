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


def test_a_filter_that_matches_nothing_gives_nothing(world: Any, api_as: Any) -> None:
    _journey(world, 2)
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/timeline"
    for params in (
        {"group": "nothing"},
        {"program_id": world.wellness.pk},
        {"since": "2026-02-01", "until": "2026-01-01"},
        {"cursor": "1.1"},
    ):
        reply = api.get(path, params)
        assert reply.status_code == 200 and reply.json()["results"] == [], params
    newest = api.get(path, {"cursor": "99999999999999999999.1"}).json()["results"]
    assert [e["summary"] for e in newest] == [
        "Housing Navigation: Referred",
        "Result 1",
        "Result 0",
    ]
    assert_error(api.get(path, {"cursor": "x.1"}), 422, "invalid")
    assert_error(api_as(world.outsider).get(path), 404)


def test_it_takes_the_last_day_there_is(world: Any, api_as: Any) -> None:
    reply = api_as(world.coordinator).get(
        f"/people/{world.person.pk}/timeline", {"since": "0001-01-01", "until": "9999-12-31"}
    )
    assert reply.status_code == 200 and len(reply.json()["results"]) == 1
