from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from alongside.lib.json_input import text_problem
from alongside.lib.raw_text import keeps_raw_text

# Everything is served from this origin: vendored htmx, our own CSS and JS, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

API_PREFIX = "/api/"
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


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


class UnstorableTextMiddleware:
    """A query string or form that holds text no database can store (a NUL character:
    PostgreSQL refuses it in text, SQLite would keep it) is answered with a 400 page that
    says so, before any view reads it: whatever field or filter it is in, on either
    database. The API reads its own bodies (api/errors.py, lib/json_input.py); a view
    marked `lib.raw_text.reads_raw_text` (a provider's webhook) cleans its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, *args: Any) -> HttpResponse | None:
        if request.path.startswith(API_PREFIX) or keeps_raw_text(view):
            return None
        sent = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            sent.append(request.POST)
        for data in sent:
            for name, values in data.lists():
                if any(text_problem(text) for text in [name, *values]):
                    return render(
                        request,
                        "400.html",
                        {"reason": _("It held a character that cannot be stored (NUL).")},
                        status=400,
                    )
        return None
