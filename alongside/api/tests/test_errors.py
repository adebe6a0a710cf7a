"""Every error has one shape, and no input produces a 500."""

import pytest
from django.test import Client

from alongside.api.tests.conftest import assert_error
from alongside.people.models import Person


@pytest.fixture
def api(world, api_as):
    return api_as(world.coordinator)


def _create(world, **fields):
    return {"program_id": world.housing.pk, "legal_given_name": "Ana"} | fields


@pytest.mark.parametrize(
    "raw", ['{"legal_given_name": ', "not json", b"\xff\xfe\x00", "[" * 5000 + "]" * 5000]
)
def test_it_explains_a_body_that_is_not_json(world, api, raw):
    error = assert_error(api.send("POST", "/people", raw=raw), 400, "invalid_json")
    assert error["message"] == "The request body is not valid JSON."


@pytest.mark.parametrize("body", [[], "a string", 42, None])
def test_it_explains_a_body_that_is_not_an_object(world, api, body):
    raw = "null" if body is None else None
    response = api.send("POST", "/people", body, raw=raw)
    assert assert_error(response, 422, "invalid")["fields"]


def test_it_asks_for_a_body_when_there_is_none(world, api):
    error = assert_error(api.send("POST", "/people", raw=""), 422)
    assert error["fields"] == {"__all__": ["Send a JSON object in the request body."]}


def test_it_names_each_invalid_field(world, api):
    response = api.post(
        "/people",
        {
            "program_id": "housing",
            "legal_given_name": "x" * 151,
            "pronouns": 7,
            "date_of_birth": "09/03/1984",
            "sex": "robot",
            "preferedName": "typo",
        },
    )
    fields = assert_error(response, 422, "invalid")["fields"]
    assert set(fields) == {
        "program_id",
        "legal_given_name",
        "pronouns",
        "date_of_birth",
        "sex",
        "preferedName",
    }
    assert fields["legal_given_name"] == ["String should have at most 150 characters"]
    assert fields["preferedName"] == ["Extra inputs are not permitted"]


def test_it_reports_the_models_own_rules_as_field_errors(world, api):
    fields = assert_error(
        api.post("/people", _create(world, legal_given_name="   ", date_of_birth="2999-01-01")), 422
    )["fields"]
    assert "Enter the person's legal first name." in fields["legal_given_name"]
    assert fields["date_of_birth"] == ["Date of birth cannot be in the future."]


@pytest.mark.parametrize("value", ["Ana\x00", "\ud800", "a\udfffb"])
def test_it_refuses_text_no_database_can_store(world, api, value):
    fields = assert_error(api.post("/people", _create(world, legal_given_name=value)), 422)[
        "fields"
    ]
    assert list(fields) == ["legal_given_name"]
    search = api.get("/people", {"q": "a\x00b"})
    assert "q" in assert_error(search, 422)["fields"]


@pytest.mark.parametrize(
    "date",
    [
        "1984-02-30",
        "84-3-9",
        "",
        "0000-01-01",
        "1984-03-09T25:00",
        "99999-01-01",
        1e300,
        True,
        [1984, 3, 9],
    ],
)
def test_it_explains_a_malformed_date(world, api, date):
    fields = assert_error(api.post("/people", _create(world, date_of_birth=date)), 422)["fields"]
    assert list(fields) == ["date_of_birth"]


@pytest.mark.parametrize("value", ["25:00", "09:00+02:00", "9am", 12])
def test_it_explains_a_malformed_or_zoned_time(world, api, value):
    response = api.post(
        f"/people/{world.person.pk}/contact-points",
        {"kind": "email", "value": "a@b.org", "safe_hours_start": value, "safe_hours_end": "10:00"},
    )
    assert list(assert_error(response, 422)["fields"]) == ["safe_hours_start"]


def test_it_enforces_the_model_lengths(world, api):
    path = f"/people/{world.person.pk}/contact-points"
    long_label = api.post(path, {"kind": "email", "value": "a@b.org", "label": "x" * 41})
    assert list(assert_error(long_label, 422)["fields"]) == ["label"]
    long_value = api.post(path, {"kind": "address", "value": "x" * 301})
    assert list(assert_error(long_value, 422)["fields"]) == ["value"]
    long_note = api.patch(
        f"/enrollments/{world.person.enrollments.get().pk}",
        {"closure_note": "x" * 501, "version": 1},
    )
    assert list(assert_error(long_note, 422)["fields"]) == ["closure_note"]
    long_profile = api.put(f"/people/{world.person.pk}/profile", {"hopes": "x" * 20_001})
    assert list(assert_error(long_profile, 422)["fields"]) == ["hopes"]


def test_it_refuses_null_where_a_field_cannot_be_empty(world, api):
    response = api.patch(
        f"/enrollments/{world.person.enrollments.get().pk}", {"status": None, "version": 1}
    )
    assert assert_error(response, 422)["fields"] == {"status": ["This field cannot be null."]}


@pytest.mark.parametrize(
    "params",
    [
        {"offset": -1},
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"page": 0},
        {"offset": 10**30},
        {"page": 2, "offset": 3},
        {"q": "x" * 201},
    ],
)
def test_it_explains_bad_paging(world, api, params):
    assert assert_error(api.get("/people", params), 422)["fields"]


def test_it_explains_an_id_that_is_not_a_number(world, api):
    assert "person_id" in assert_error(api.get("/people/abc"), 422)["fields"]


def test_it_answers_unknown_endpoints_and_methods_in_the_same_shape(world, api):
    assert_error(api.get("/nothing-here"), 404, "not_found")
    assert_error(Client().get("/api/v2/people"), 404, "not_found")
    wrong = api.send("DELETE", "/people")
    assert_error(wrong, 405, "method_not_allowed")
    assert "GET" in wrong["Allow"]


def test_it_refuses_a_body_too_large_to_read(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post("/people", _create(world, legal_family_name="x" * 2000))
    assert_error(response, 413, "too_large")


def test_it_keeps_search_input_it_cannot_use_harmless(world, api):
    for q in ["%", "_", "'; drop table people_person; --", "9" * 200, "+1 " * 60, "ß" * 200]:
        response = api.get("/people", {"q": q})
        assert response.status_code == 200, (q, response.content)
    assert Person.objects.exists()
