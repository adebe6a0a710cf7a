from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path

from alongside.api.errors import error_response
from alongside.api.v1 import api


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


def _not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, "No such API endpoint.")


def _with_json_errors(
    urls: tuple[list[URLPattern | URLResolver], str, str],
) -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("v1/", _with_json_errors(api.urls)),
    re_path(r"^(?P<rest>.*)$", _not_found),
]
