"""Fixtures for screening tests: the shipped instruments, and a helper that answers and
completes a screening in one call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from alongside.intake import services
from alongside.intake.models import InstrumentVersion, ScreeningResponse

DECLINE = object()

Screen = Callable[..., ScreeningResponse]


@pytest.fixture
def instruments(db: Any) -> dict[str, InstrumentVersion]:
    services.instruments_load()
    return {
        v.instrument.slug: v
        for v in InstrumentVersion.objects.filter(status="active").select_related("instrument")
    }


@pytest.fixture
def screen(world: Any, instruments: dict[str, InstrumentVersion]) -> Screen:
    """screen("phq-9", {"44250-9": "LA6569-3", ...}) → a completed response. DECLINE as a
    value records "prefer not to answer"; complete=False leaves it in progress."""

    def run(
        slug: str,
        answers: Mapping[str, Any],
        *,
        actor: Any = None,
        complete: bool = True,
        version: InstrumentVersion | None = None,
    ) -> ScreeningResponse:
        actor = actor or world.coordinator
        response = services.response_start(
            actor=actor, person=world.person, instrument_version=version or instruments[slug]
        )
        for link_id, value in answers.items():
            response = services.answer_save(
                actor=actor,
                response=response,
                link_id=link_id,
                value=None if value is DECLINE else value,
                declined=value is DECLINE,
                expected_version=response.version,
            )
        if complete:
            response = services.response_complete(
                actor=actor, response=response, expected_version=response.version
            )
        return response

    return run
