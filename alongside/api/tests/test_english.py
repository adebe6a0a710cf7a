"""The API is a machine interface: its answers, FHIR resources and errors included, are
in English whatever Accept-Language says or the user chose for the staff pages
(alongside/api/urls.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from alongside.encounters.tests.factories import encounter
from alongside.intake.journey_words import said_summary
from alongside.people import timeline
from alongside.plans.tests.factories import start_plan

SPANISH = {"Accept-Language": "es"}


def _spanish_user(world: Any, user: Any = None) -> Any:
    user = user or world.coordinator
    user.language = "es"
    user.save(update_fields=["language"])
    return user


def test_the_timeline_labels_summaries_and_restricted_details_are_in_english(
    world: Any, api_as: Any
) -> None:
    summaries = ["Screening completed: PHQ-9", "Urgent screening result raised"]
    with translation.override("es"):  # sentences the staff pages say in Spanish
        assert all(said_summary(summary) != summary for summary in summaries)
    for n, (kind, summary) in enumerate(
        zip(["intake.screening_completed", "intake.urgent_flag_raised"], summaries, strict=True)
    ):
        timeline.add_entry(
            person=world.person,
            kind=kind,
            occurred_at=dt.datetime(2026, 1, 5 + n, 9, 0, tzinfo=dt.UTC),
            summary=summary,
            details="Safety plan reviewed.",
            actor=world.coordinator,
            program=world.housing,
        )
    path = f"/people/{world.person.pk}/timeline"
    reply = api_as(_spanish_user(world)).get(path, **SPANISH)
    assert reply.status_code == 200, reply.content
    entries = {e["summary"]: e for e in reply.json()["results"]}
    assert set(summaries) <= set(entries)
    assert entries["Urgent screening result raised"]["label"] == "Urgent result"
    assert reply["Content-Language"] == "en"
    reply = api_as(_spanish_user(world, world.scheduler)).get(
        path, {"group": "urgent flags"}, **SPANISH
    )
    [entry] = reply.json()["results"]
    assert (entry["restricted"], entry["details"]) == (True, "Details restricted to the care team.")
    assert entry["summary"] == "Urgent screening result raised"


def test_a_fhir_encounter_is_in_english(world: Any, api_as: Any) -> None:
    visit = encounter(world, kind="home")
    reply = api_as(_spanish_user(world)).get(f"/encounters/{visit.pk}/fhir", **SPANISH)
    assert reply.status_code == 200, reply.content
    [kind] = reply.json()["type"]
    assert (kind["coding"][0]["display"], kind["text"]) == ("Home visit", "Home visit")
    assert reply["Content-Language"] == "en"


def test_an_error_is_in_english(world: Any, api_as: Any) -> None:
    plan = start_plan(world)
    body = {"words": "", "domain": "housing", "importance": "to", "version": plan.version}
    reply = api_as(_spanish_user(world)).post(f"/plans/{plan.pk}/goals", body, **SPANISH)
    assert reply.status_code == 422, reply.content
    assert reply.json()["error"]["fields"]["words"] == ["Write the goal in the person's own words."]


@pytest.mark.parametrize("name", ["encounters", "plans", "screenings", "tasks", "timeline"])
def test_the_schema_says_restricted_in_english_whoever_imports_it_first(name: str) -> None:
    # The URLconf, and with it the API's modules, is imported by the first request, which
    # may be a Spanish one: the schema's descriptions must not take that request's language.
    import importlib.util

    import pydantic

    spec = importlib.util.find_spec(f"alongside.api.{name}")
    assert spec is not None and spec.loader is not None
    fresh = importlib.util.module_from_spec(spec)
    with translation.override("es"):
        spec.loader.exec_module(fresh)
    described = [
        field.description or ""
        for model in vars(fresh).values()
        if isinstance(model, type) and issubclass(model, pydantic.BaseModel)
        for field in model.model_fields.values()
    ]
    assert any('"Details restricted to the care team."' in d for d in described), name
    assert not any("Detalles" in d for d in described), name
