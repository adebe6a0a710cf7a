"""Every error the API gives has one shape, so clients handle them in one place:

    {"error": {"code": "...", "message": "...", "fields": {"field": ["message", ...]}}}

`fields` is empty unless the input was invalid. Handlers here turn the exceptions raised
by ninja, pydantic, Django and our services into that shape; nothing reaches Django's
HTML error pages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.json_input import JsonInputError, json_loads

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/json; charset=utf-8"
ALL = NON_FIELD_ERRORS  # "__all__": errors about the request as a whole

_CODES = {
    400: "invalid_json",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    428: "precondition_required",
    429: "throttled",
}
_MESSAGES = {
    400: "The request body is not valid JSON.",
    401: "Send a valid API token (Authorization: Bearer …) or sign in.",
    404: "Not found.",
}
_NINJA_DEFAULTS = frozenset({"Unauthorized", "Forbidden"})
# Model fields the API names differently.
_FIELD_NAMES = {"primary_coordinator": "primary_coordinator_id", "program": "program_id"}
_SOURCES = frozenset({"query", "path", "header", "cookie", "form", "file"})


class ApiError(Exception):
    """An error with its status and code, raised anywhere below an endpoint."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.fields = dict(fields or {})


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "Some fields are not valid.", fields={field: [message]})


def error_body(
    code: str, message: str, fields: Mapping[str, list[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": dict(fields or {}), **extra}}


def error_response(
    status: int,
    message: str | None = None,
    *,
    code: str | None = None,
    fields: Mapping[str, list[str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    body = error_body(
        code or _CODES.get(status, "error"),
        message or _MESSAGES.get(status, "The request could not be completed."),
        fields,
        **extra,
    )
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )


def _loc_name(loc: Iterable[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]  # "body", then the name of the endpoint's body parameter
    elif parts and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or ALL


def _message(error: Mapping[str, Any], field: str) -> str:
    if error.get("type") == "missing" and field == ALL:
        return "Send a JSON object in the request body."
    message = str(error.get("msg", "Invalid value."))
    return message.removeprefix("Value error, ")


def fields_from_ninja(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = _loc_name(error.get("loc", ()))
        fields.setdefault(name, []).append(_message(error, name))
    return fields


def fields_from_django(error: DjangoValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {ALL: list(error.messages)}
    return {
        _FIELD_NAMES.get(name, name): list(messages)
        for name, messages in error.message_dict.items()
    }


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.message, code=exc.code, fields=exc.fields)


def _on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(422, "Some fields are not valid.", fields=fields_from_ninja(exc.errors))


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return error_response(422, "Some fields are not valid.", fields=fields_from_django(exc))


class JsonBodyParser(Parser):
    """Request bodies read with `lib.json_input`: a string no database can store (NUL, a
    lone surrogate) or nesting too deep to decode is refused before any endpoint runs."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json_loads(request.body)


def json_input_response(error: JsonInputError) -> HttpResponse:
    """400 for a body that is not JSON this reads, 422 saying where for unstorable text."""
    if error.syntax:
        return error_response(400)
    fields = {error.where or ALL: [error.message]}
    return error_response(422, "Some fields are not valid.", fields=fields)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, JsonInputError):  # ninja wraps the parser's error
        return json_input_response(exc.__cause__)
    status = exc.status_code
    message = str(exc)
    if status == 400 or message in _NINJA_DEFAULTS:
        message = _MESSAGES.get(status, message)
    response = error_response(status, message)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="alongside"'
    return response


def _on_json_input(request: HttpRequest, exc: JsonInputError) -> HttpResponse:
    return json_input_response(exc)


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404)


def _on_not_permitted(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(403, str(exc) or "You may not make this change.")


def _on_stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
    # What changed since, where the record keeps its history (a plan's versions).
    changes: Any = getattr(exc, "changes", None)
    extra: dict[str, Any] = {"changes": changes} if isinstance(changes, list) else {}
    response = error_response(
        409,
        "This record changed since you read it. Read it again, then retry with the "
        "current version.",
        code="stale_version",
        current_version=exc.current_version,
        **extra,
    )
    response["ETag"] = f'"{exc.current_version}"'
    return response


def _on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    logger.warning("API write refused by a database constraint: %s", exc)
    return error_response(409, "This change conflicts with another record.")


def _on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    logger.warning("API write refused by the database: %s", exc)
    return error_response(422, "A value is not valid for this field.", code="invalid")


def _on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, "The request body is too large.", code="too_large")
    return error_response(400, "The request was malformed.", code="bad_request")


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled error in API request %s %s", request.method, request.path)
    return error_response(500, "Something went wrong on our side.", code="server_error")


def install(api: NinjaAPI) -> None:
    """Register the handlers; ninja picks the most specific class for each exception."""
    handlers: list[tuple[type[Exception], Any]] = [
        (Exception, _on_unexpected),
        (ApiError, _on_api_error),
        (JsonInputError, _on_json_input),
        (NinjaValidationError, _on_ninja_validation),
        (DjangoValidationError, _on_django_validation),
        (HttpError, _on_http_error),
        (Http404, _on_not_found),
        (ObjectDoesNotExist, _on_not_found),
        (NotPermitted, _on_not_permitted),
        (PermissionDenied, _on_not_permitted),
        (StaleVersion, _on_stale),
        (IntegrityError, _on_integrity),
        (DataError, _on_data_error),
        (SuspiciousOperation, _on_suspicious),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
