"""A JSON body with text no database can store (a NUL character, which PostgreSQL refuses
and SQLite would keep; a lone surrogate, which is not UTF-8) or nested past what the
decoder can follow is refused with a clear error by every operation that reads a body,
before the endpoint runs: never a 500, never stored on one database and refused on the
other. The operations come from the OpenAPI document, so a new one cannot escape."""

from __future__ import annotations

from typing import Any

import pytest

from alongside.api.tests.conftest import assert_error
from alongside.lib.json_input import JsonInputError, json_loads

UNSTORABLE = {
    "nul": '{"note": "a\\u0000b"}',
    "surrogate": '{"note": "\\ud800"}',
    "nested": '{"items": [{"note": "ok", "answer": {"nested": "\\u0000"}}]}',
    "key": '{"no\\u0000te": "a"}',
}


def _operations_with_a_body() -> list[tuple[str, str]]:
    from alongside.api.v1 import api

    document = api.get_openapi_schema()
    return [
        (path.removeprefix("/api/v1"), method.upper())
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if "requestBody" in operation
    ]


OPERATIONS = _operations_with_a_body()


def test_it_finds_the_operations_that_read_a_body():
    assert ("/people", "POST") in OPERATIONS
    assert ("/people/{person_id}/screenings/fhir", "POST") in OPERATIONS


def _ids(world: Any) -> dict[str, int]:
    return {
        name: world.person.pk
        for name in ("person_id", "enrollment_id", "contact_id", "task_id", "encounter_id")
        + ("note_id", "plan_id", "goal_id", "step_id", "appointment_id")
    }


@pytest.mark.parametrize("kind", UNSTORABLE)
def test_every_operation_refuses_text_that_cannot_be_stored(world, api_as, kind):
    api = api_as(world.admin)
    failures = []
    for path, method in OPERATIONS:
        response = api.send(method, path.format(**_ids(world)), raw=UNSTORABLE[kind])
        if response.status_code != 422:
            failures.append(f"{method} {path}: {response.status_code}")
            continue
        fields = assert_error(response, 422, "invalid")["fields"]
        where = {"key": "__all__", "nested": "items.0.answer.nested"}.get(kind, "note")
        if list(fields) != [where]:
            failures.append(f"{method} {path}: {fields}")
    assert failures == []


def test_every_operation_refuses_nesting_too_deep_to_read(world, api_as):
    api = api_as(world.admin)
    failures = []
    for path, method in OPERATIONS:
        response = api.send(method, path.format(**_ids(world)), raw="[" * 5000 + "]" * 5000)
        if response.status_code != 400:
            failures.append(f"{method} {path}: {response.status_code}")
        else:
            assert_error(response, 400, "invalid_json")
    assert failures == []


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('{"a": ["x", "y\\u0000"]}', "a.1"),
        ('{"a": {"b": "\\udfff"}}', "a.b"),
        ('"\\u0000"', ""),
    ],
)
def test_it_says_where_the_text_is(body, where):
    with pytest.raises(JsonInputError, match="NUL|Unicode") as raised:
        json_loads(body)
    assert raised.value.where == where
    assert not raised.value.syntax


def test_it_reads_paired_surrogates_and_ordinary_text():
    assert json_loads('{"a": "\\ud83d\\ude00 caf\\u00e9"}') == {"a": "😀 café"}
