import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils import translation

from alongside.api.errors import error_response
from alongside.api.v1 import api
from alongside.lib.urls import MAX_ID

_INTEGER = re.compile(r"[+-]?0*([0-9]+)")


def _json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers an unsupported method with a plain-text 405; keep the error shape."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error_response(405, f"Use one of: {allowed}.")
            response["Allow"] = allowed
        return response

    return wrapped


def _impossible_id(value: Any) -> bool:
    found = _INTEGER.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return False  # not a number: ninja's validation answers
    digits = found.group(1)
    # Compare lengths first: int() refuses strings of thousands of digits.
    return value.startswith("-") or len(digits) > 19 or not 1 <= int(digits) <= MAX_ID


def _ids_in_range(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every path parameter named *_id is a database id: one no row can have (0, negative,
    past 2**63-1) is a 404 here, rather than trusting every lookup below to cope with a
    number SQLite cannot bind (the web's `<id:...>` converter does the same)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any(name.endswith("_id") and _impossible_id(v) for name, v in kwargs.items()):
            return error_response(404)
        return view(request, *args, **kwargs)

    return wrapped


def _in_english(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API (and its FHIR resources) is a machine interface: every response, labels,
    choices and error messages alike, is in English, whatever Accept-Language or the
    user's own language (which the staff pages follow: accounts/language.py)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override("en"):
            request.LANGUAGE_CODE = "en"
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = "en"
        return response

    return wrapped


@_in_english
def _not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, "No such API endpoint.")


def _with_json_errors(
    urls: tuple[list[URLPattern | URLResolver], str, str],
) -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _in_english(
                _ids_in_range(_json_method_not_allowed(pattern.callback))
            )
    return patterns, app_name, namespace


urlpatterns = [
    path("v1/", _with_json_errors(api.urls)),
    re_path(r"^(?P<rest>.*)$", _not_found),
]
