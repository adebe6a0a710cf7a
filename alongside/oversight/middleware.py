"""Denied attempts: every 404 on a route that names a person's records is recorded."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from alongside.accounts.models import User
from alongside.oversight.denied import access_denied_record
from alongside.oversight.routes import asked_for


def _signed_in(request: HttpRequest) -> User | None:
    """Who made the request: the API's token or session user (`request.auth`, set by
    django-ninja), else the session's user; None when no one is signed in."""
    for user in (getattr(request, "auth", None), getattr(request, "user", None)):
        if isinstance(user, User) and user.is_authenticated:
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
