import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

# Everything is served from this origin: vendored htmx, our own CSS and JS, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "no-store")
        return response


SEEN_KEY = "_alongside_seen"
# Refreshing the session's expiry at most once a minute, rather than on every request,
# keeps a database write off every page while the idle timeout stays within a minute.
REFRESH_SECONDS = 60


def mark_seen(session: Any) -> None:
    session[SEEN_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Extend a signed-in session's life as the user works; idle sessions expire."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            seen = request.session.get(SEEN_KEY, 0)
            if time.time() - seen >= REFRESH_SECONDS:
                mark_seen(request.session)
        return self.get_response(request)
