"""The OpenAPI document says what the server does.

Each route declares what is its own: its success response, parameters and body, and
whether it changes a versioned record (`if_match`). `complete` then adds, from one set
of rules, what operations share: every error status the server can answer with (in the
one error shape of `errors.py`), the headers every response carries, and ETag and
Location on success. A new route gets all of that without repeating it; the schemathesis
test (api/tests/test_schemathesis.py) holds the document to what the server answers.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from alongside.api import concurrency
from alongside.api.schemas import ErrorOut
from alongside.intake.fhir import RESPONSE_STATUSES

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
ETAG_PATTERN = r'^"[0-9]+"$'
IF_MATCH_PATTERN = concurrency.IF_MATCH.pattern
REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:-]{8,64}$"
UNSAFE = frozenset({"post", "put", "patch", "delete"})

FHIR_JSON = "application/fhir+json"
QUESTIONNAIRE_RESPONSE: dict[str, Any] = {
    "type": "object",
    "description": "A FHIR R4 QuestionnaireResponse.",
    "properties": {
        "resourceType": {"const": "QuestionnaireResponse"},
        "questionnaire": {
            "type": "string",
            "description": "`<base>/fhir/Questionnaire/<instrument slug>|<version label>`.",
        },
        "status": {
            "enum": list(RESPONSE_STATUSES),
            "description": "A `completed` one is scored; any other is kept as a draft.",
        },
        "item": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["questionnaire", "status"],
}


def if_match(*, version_field: bool) -> dict[str, Any]:
    """`openapi_extra` for an operation that changes a versioned record: it takes the
    version the client read in If-Match (or, with `version_field`, in the body instead),
    and answers 428 without it and 409 when it is stale. Without a body field to stand
    in for it, If-Match is required."""
    read = 'The ETag you read, such as `"3"` (`W/"3"` and a bare `3` are read too). '
    if version_field:
        rule = "Send it or the body's `version` field (if both, they must agree): without "
        rule += "either the answer is 428."
    else:
        rule = "Required: without it the answer is 428."
    return {
        "parameters": [
            {
                "name": "If-Match",
                "in": "header",
                "required": not version_field,
                "schema": {"type": "string", "pattern": IF_MATCH_PATTERN, "example": '"3"'},
                "description": read + rule,
            }
        ]
    }


def fhir_resource(resource_type: str, description: str) -> dict[str, Any]:
    """The schema of a FHIR resource of one type, for an operation that answers one."""
    return {
        "type": "object",
        "description": description,
        "properties": {"resourceType": {"const": resource_type}},
        "required": ["resourceType"],
    }


CARE_PLAN: dict[str, Any] = {
    "type": "object",
    "description": "A FHIR R4 CarePlan with its Goals contained.",
    "properties": {
        "resourceType": {"const": "CarePlan"},
        "status": {"type": "string"},
        "intent": {"const": "plan"},
        "contained": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["resourceType", "status", "intent"],
}


def fhir_response(schema: dict[str, Any] = QUESTIONNAIRE_RESPONSE) -> dict[str, Any]:
    """`openapi_extra` for an operation whose success is a FHIR resource."""
    return {
        "responses": {
            "200": {
                "description": "OK",
                "content": {FHIR_JSON: {"schema": schema}},
            }
        }
    }


def fhir_request() -> dict[str, Any]:
    """`openapi_extra` for an operation that reads a FHIR resource from its body (as
    `application/fhir+json` or plain `application/json`)."""
    schema = {"schema": QUESTIONNAIRE_RESPONSE}
    return {
        "requestBody": {
            "required": True,
            "content": {FHIR_JSON: schema, "application/json": schema},
        }
    }


class DescribedApi(NinjaAPI):
    """A NinjaAPI whose OpenAPI document is completed by `complete`."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        complete(document)
        return document


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ERROR}},
    }
    if headers:
        response["headers"] = headers
    return response


def _header(description: str, pattern: str | None = None, *, required: bool = True) -> Any:
    schema: dict[str, Any] = {"type": "string"}
    if pattern:
        schema["pattern"] = pattern
    return {"description": description, "required": required, "schema": schema}


REQUEST_ID_HEADER = _header(
    "The request's id, also in the audit trail: yours if you sent a well-formed one.",
    REQUEST_ID_PATTERN,
)
REQUEST_ID_PARAMETER = {
    "name": "X-Request-ID",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "Your id for the request, kept (and recorded in the audit trail) when it "
    "is 8 to 64 letters, digits or `._:-`; any other value is replaced by one of ours.",
}


def _errors(method: str, operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The error responses an operation can give, by what it takes."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    has_path = any(p["in"] == "path" for p in parameters)
    has_query = any(p["in"] == "query" for p in parameters)
    if_match = [p for p in parameters if p["in"] == "header" and p["name"] == "If-Match"]
    responses: dict[str, dict[str, Any]] = {}
    if operation.get("security"):
        responses["401"] = _error(
            "No credentials, or a bad, expired or revoked token (`not_authenticated`).",
            {"WWW-Authenticate": _header('`Bearer realm="alongside"`.')},
        )
    malformed = "over 1,000 query parameters (`bad_request`)"
    if has_body:
        responses["400"] = _error(f"The body is not valid JSON (`invalid_json`), or {malformed}.")
        responses["413"] = _error("The body is larger than the server accepts (`too_large`).")
    elif has_query:
        responses["400"] = _error(f"The request is malformed, such as with {malformed}.")
    if method in UNSAFE:
        responses["403"] = _error(
            "You can see the record but may not make this change (`forbidden`), or a "
            "session request came without its CSRF token (`csrf_failed`)."
        )
        conflict = "The change conflicts with another record (`conflict`)."
        if if_match:
            responses["409"] = _error(
                "The record changed since you read it (`stale_version`, with "
                "`current_version` and the current version's ETag). " + conflict,
                {"ETag": _header("The current version.", ETAG_PATTERN, required=False)},
            )
        else:
            responses["409"] = _error(conflict)
    if has_path:
        responses["404"] = _error("No such record, or one outside your scope (`not_found`).")
    if parameters or has_body:
        responses["422"] = _error(
            "A parameter or field is missing, has the wrong type, is out of range or breaks "
            "a rule (`invalid`); `fields` names each one."
        )
    if if_match:
        without = (
            "No If-Match was sent"
            if if_match[0]["required"]
            else "Neither If-Match nor a `version` field was sent"
        )
        responses["428"] = _error(
            f"{without} (`precondition_required`): say which version you are changing."
        )
    return responses


def _versioned_schema(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """A single representation with an integer `version`: the server sends its ETag."""
    ref = schema.get("$ref", "")
    target = components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
    version = target.get("properties", {}).get("version", {})
    return version.get("type") == "integer"


def _success_headers(status: str, response: dict[str, Any], components: dict[str, Any]) -> None:
    headers = response.setdefault("headers", {})
    if status == "201":
        headers["Location"] = _header("Where the new resource is.")
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    if _versioned_schema(schema, components):
        headers["ETag"] = _header('The version of what was returned, such as `"3"`.', ETAG_PATTERN)


def _complete_operation(method: str, operation: dict[str, Any], components: dict[str, Any]) -> None:
    responses = {str(status): value for status, value in operation["responses"].items()}
    for status, response in responses.items():
        if status.startswith("2"):
            _success_headers(status, response, components)
    for status, error in _errors(method, operation).items():
        responses[status] = error
    for response in responses.values():
        response.setdefault("headers", {})["X-Request-ID"] = REQUEST_ID_HEADER
    operation["responses"] = dict(sorted(responses.items()))
    operation.setdefault("parameters", []).append(REQUEST_ID_PARAMETER)


def complete(document: dict[str, Any]) -> None:
    """Add what every operation shares to a document ninja generated."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    for item in document["paths"].values():
        for method, operation in item.items():
            _complete_operation(method, operation, components)
