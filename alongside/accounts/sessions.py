"""Signed-in sessions: an idle one expires, an active one lives on (see lib/idle.py)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from alongside.lib.idle import refresh_seconds

SEEN_KEY = "_alongside_seen"


def _now() -> float:
    return timezone.now().timestamp()  # the session store's clock, so the two agree


def mark_seen(session: Any) -> None:
    session[SEEN_KEY] = int(_now())


class IdleTimeoutMiddleware:
    """Extend a signed-in session's life as the user works; idle sessions expire.

    Marking the session as seen modifies it, so SessionMiddleware saves it with a new
    expiry (SESSION_COOKIE_AGE from now). That write happens at most every
    `refresh_seconds`, and SESSION_COOKIE_AGE allows for it: see alongside/lib/idle.py.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            seen = request.session.get(SEEN_KEY, 0)
            if _now() - seen >= refresh_seconds(settings.SESSION_IDLE_SECONDS):
                mark_seen(request.session)
        return self.get_response(request)
