"""An active user is never signed out before the idle time has passed since their last
request, at any setting; an idle one is. The clock is Django's (timezone.now), moved by
the test: the session store and IdleTimeoutMiddleware both read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.lib.idle import refresh_seconds, session_age

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.seconds = 0.0

    def now(self) -> dt.datetime:
        return START + dt.timedelta(seconds=self.seconds)


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


def _idle(settings: Any, minutes: int) -> int:
    """SESSION_IDLE_MINUTES=minutes, as settings.py turns it into settings."""
    settings.SESSION_IDLE_SECONDS = minutes * 60
    settings.SESSION_COOKIE_AGE = session_age(minutes * 60)
    return minutes * 60


def _signed_in(client: Client, clock: Clock, at: float) -> bool:
    clock.seconds = at
    response = client.get(reverse("home"))
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.mark.parametrize("minutes", [1, 30])
def test_it_keeps_a_user_signed_in_who_was_active_within_the_idle_time(
    client, world, settings, clock, minutes
):
    idle = _idle(settings, minutes)
    client.force_login(world.coordinator)  # at 0
    # The request at idle - 1 must carry the session to (idle - 1) + idle - 1 at least.
    assert _signed_in(client, clock, idle - 1)
    assert _signed_in(client, clock, 2 * idle - 2)
    assert _signed_in(client, clock, 3 * idle - 3)


@pytest.mark.parametrize("minutes", [1, 30])
def test_it_counts_the_idle_time_from_a_request_just_after_a_refresh(
    client, world, settings, clock, minutes
):
    """The worst case for a refresh every few seconds: a request that does not refresh
    (too soon after the last one) still keeps the session for the full idle time."""
    idle = _idle(settings, minutes)
    client.force_login(world.coordinator)  # at 0: the expiry is written
    last = refresh_seconds(idle) - 0.5  # too soon to write it again
    assert _signed_in(client, clock, last)
    assert _signed_in(client, clock, last + idle - 0.5)


def test_it_keeps_a_one_minute_user_who_clicked_at_59_seconds_signed_in_at_100(
    client, world, settings, clock
):
    _idle(settings, 1)
    client.force_login(world.coordinator)
    assert _signed_in(client, clock, 59)
    assert _signed_in(client, clock, 100)


@pytest.mark.parametrize("minutes", [1, 30])
def test_it_signs_out_a_user_idle_for_the_idle_time(client, world, settings, clock, minutes):
    idle = _idle(settings, minutes)
    client.force_login(world.coordinator)
    assert _signed_in(client, clock, idle / 2)
    # Signed out within refresh_seconds after the idle time (a 30th of it, at most a minute).
    assert not _signed_in(client, clock, idle / 2 + idle + refresh_seconds(idle))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_writes_the_session_at_most_once_per_refresh_interval(client, world, settings, clock):
    from alongside.accounts.sessions import SEEN_KEY

    idle = _idle(settings, 30)
    client.force_login(world.coordinator)
    first = client.session[SEEN_KEY]
    assert _signed_in(client, clock, refresh_seconds(idle) - 1)
    assert client.session[SEEN_KEY] == first  # not rewritten yet: no write on every page
    assert _signed_in(client, clock, refresh_seconds(idle))
    assert client.session[SEEN_KEY] == first + refresh_seconds(idle)
