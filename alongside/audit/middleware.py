import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from alongside.audit.context import origin
from alongside.audit.denied import access_denied_record
from alongside.audit.routes import asked_for

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address a trusted proxy saw when proxies are configured."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies][:45]
    return (request.META.get("REMOTE_ADDR") or None) and request.META["REMOTE_ADDR"][:45]


def request_id_for(request: HttpRequest) -> str:
    """Keep a well-formed X-Request-ID from the proxy so logs line up; else make one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with origin(client_ip(request), request_id_for(request), channel) as current:
            response = self.get_response(request)
        response["X-Request-ID"] = current.request_id
        return response


def _signed_in(request: HttpRequest) -> Any:
    """Who made the request: the API's token or session user (`request.auth`, set by
    django-ninja), else the session's user; None when no one is signed in."""
    for user in (getattr(request, "auth", None), getattr(request, "user", None)):
        if user is not None and getattr(user, "is_authenticated", False):
            return user
    return None


class DeniedAccessMiddleware:
    """Record every 404 on a person-bearing route (pages and API) as a denied attempt.

    One place for every view and endpoint: they keep answering 404 for what the user
    may not see, and this records it once the response is decided, outside any
    transaction the view ran in, so a rolled-back view cannot take the event with it.
    The response is passed on untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404:
            asked = asked_for(request.resolver_match)
            actor = _signed_in(request) if asked is not None else None
            if asked is not None and actor is not None:
                access_denied_record(
                    actor=actor, asked=asked, method=request.method or "", path=request.path
                )
        return response
