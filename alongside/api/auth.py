"""Who is calling: an integration with a bearer token, or a signed-in browser session.

A request that sends `Authorization: Bearer …` is judged by that token alone; a bad,
expired or revoked token is refused (401) rather than falling back to the session. The
session is accepted only with Django's CSRF check on unsafe methods, so a page on another
site cannot make writes with a user's cookie.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from alongside.accounts.models import User
from alongside.accounts.tokens import token_authenticate
from alongside.api.errors import ApiError

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class BearerToken(HttpBearer):
    """`Authorization: Bearer als_…`, made with `alongside create_api_token`."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            raise AuthenticationError(
                message="The API token is not valid, has expired or was revoked."
            )
        return user


class Session(APIKeyCookie):
    """The signed-in user's session cookie, with CSRF protection on writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                "Send the CSRF token (X-CSRFToken header) with session requests.",
                code="csrf_failed",
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self(request)


bearer_token = BearerToken()
session = Session()


def caller(request: HttpRequest) -> User:
    """Who calls an endpoint behind `bearer_token` or `session`: django-ninja puts the
    user they accepted on `request.auth` before the endpoint runs."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError(message="Sign in or send an API token.")
    return user
