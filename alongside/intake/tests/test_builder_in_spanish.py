"""A Spanish-preferring admin is told why the builder refuses in Spanish, not English."""

from __future__ import annotations

from typing import Any

from django.test import Client

from alongside.intake import services
from alongside.intake.tests.test_builder import make_draft, url
from conftest import signed_in_in_spanish


def test_it_refuses_to_retire_a_retired_version_in_spanish(client: Client, world: Any) -> None:
    version = make_draft(world)
    services.instrument_retire(actor=world.admin, version=version)
    signed_in_in_spanish(client, world.admin)
    page = client.post(url("instrument-retire", version)).content.decode()
    assert "Esta versión ya está retirada." in page
    assert "already retired" not in page
