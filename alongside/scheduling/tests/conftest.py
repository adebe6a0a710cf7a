"""Scheduling's shared fixtures: two more people on the coordinator's caseload in the
housing program (Ana, Bea), and background tasks run at once."""

from __future__ import annotations

from typing import Any

import pytest

from alongside.people.models import Person
from conftest import make_person

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ana(world: Any) -> Person:
    return make_person(world.coordinator, world.housing, legal_given_name="Ana")


@pytest.fixture
def bea(world: Any) -> Person:
    return make_person(world.coordinator, world.housing, legal_given_name="Bea")


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Background tasks (the rules a no-show starts) run when enqueued."""
    settings.TASKS = IMMEDIATE
