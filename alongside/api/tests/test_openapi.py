import re
import typing

import pytest
from django.test import Client

from alongside.api import schemas
from alongside.api.tests.conftest import assert_error
from alongside.people.models import ContactPoint, Enrollment, Person

ENDPOINTS = {
    "/api/v1/people": {"get", "post"},
    "/api/v1/people/{person_id}": {"get", "patch"},
    "/api/v1/people/{person_id}/profile": {"get", "put"},
    "/api/v1/people/{person_id}/enrollments": {"get", "post"},
    "/api/v1/enrollments/{enrollment_id}": {"patch"},
    "/api/v1/people/{person_id}/contact-points": {"get", "post"},
    "/api/v1/contact-points/{contact_id}": {"patch", "delete"},
}


def test_it_publishes_an_openapi_document_listing_every_endpoint(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Alongside API"
    paths = document["paths"]
    for path, methods in ENDPOINTS.items():
        assert set(paths[path]) == methods, path
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"]["scheme"] == "bearer"
    patch = paths["/api/v1/people/{person_id}"]["patch"]
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    assert {"409", "422", "428"} <= set(patch["responses"])
    person = document["components"]["schemas"]["PersonOut"]["properties"]
    assert {"display_name", "preferred_name", "pronouns", "version"} <= set(person)


def test_it_renders_the_api_docs(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"cdn" not in response.content.lower()  # served from here, as the CSP requires


def test_it_keeps_the_schema_choices_in_step_with_the_models():
    def choices(literal):
        return set(typing.get_args(literal)) - {""}

    assert choices(schemas.Sex) == set(Person.Sex.values)
    assert choices(schemas.ContactKind) == set(ContactPoint.Kind.values)
    assert choices(schemas.EnrollmentStatus) == set(Enrollment.Status.values)
    assert choices(schemas.ClosureReason) == set(Enrollment.CHOSEN_CLOSURE_REASONS)


def _document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_it_declares_every_error_an_operation_can_answer_with(db):
    for method, path, operation in _operations(_document()):
        declared = set(operation["responses"])
        names = {p["name"] for p in operation["parameters"]}
        expected = {"401", "422"}
        if "{" in path:
            expected.add("404")
        if method != "get":
            expected |= {"403", "409"}
        if "requestBody" in operation:
            expected |= {"400", "413"}
        if any(p["in"] == "query" for p in operation["parameters"]):
            expected.add("400")  # over DATA_UPLOAD_MAX_NUMBER_FIELDS parameters
        if method in {"patch", "put", "delete"}:
            expected |= {"428"}
            assert "If-Match" in names, (method, path)
        assert expected <= declared, (method, path, expected - declared)
        for status in declared - {"200", "201", "204"}:
            error = operation["responses"][status]
            assert error["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }, (method, path, status)
            assert error["description"], (method, path, status)
        assert "X-Request-ID" in names


def test_it_declares_the_422_that_needs_and_screenings_answer_bad_parameters_with(world, api_as):
    api = api_as(world.coordinator)
    document = _document()["paths"]
    needs = api.get(f"/people/{world.person.pk}/needs", {"include_closed": "null"})
    assert "include_closed" in assert_error(needs, 422, "invalid")["fields"]
    assert "422" in document["/api/v1/people/{person_id}/needs"]["get"]["responses"]
    for path in ["/screenings/null%2Cnull", "/screenings/null%2Cnull/fhir"]:
        assert "screening_id" in assert_error(api.get(path), 422, "invalid")["fields"]
    for path in ["/api/v1/screenings/{screening_id}", "/api/v1/screenings/{screening_id}/fhir"]:
        assert "422" in document[path]["get"]["responses"]


def test_it_declares_the_400_for_a_malformed_query(world, api_as):
    too_many = "&".join(f"x{n}=1" for n in range(1_001))
    api = api_as(world.coordinator)
    reply = api.client.get(
        f"/api/v1/people/{world.person.pk}/needs?{too_many}",
        headers={"Authorization": f"Bearer {api.secret}"},
    )
    assert_error(reply, 400, "bad_request")
    assert "400" in _document()["paths"]["/api/v1/people/{person_id}/needs"]["get"]["responses"]


def test_it_declares_the_fhir_media_type_it_answers_and_takes(world, api_as, screen):
    screening = screen("hunger-vital-sign", {"88122-7": "LA28397-0", "88123-5": "LA28398-8"})
    reply = api_as(world.coordinator).get(f"/screenings/{screening.pk}/fhir")
    assert reply["Content-Type"].startswith("application/fhir+json")
    paths = _document()["paths"]
    ok = paths["/api/v1/screenings/{screening_id}/fhir"]["get"]["responses"]["200"]
    assert set(ok["content"]) == {"application/fhir+json"}
    assert ok["content"]["application/fhir+json"]["schema"]["properties"]["resourceType"] == {
        "const": "QuestionnaireResponse"
    }
    body = paths["/api/v1/people/{person_id}/screenings/fhir"]["post"]["requestBody"]
    assert "application/fhir+json" in body["content"]


def test_it_says_a_change_needs_the_version_it_is_based_on(db):
    paths = _document()["paths"]
    delete = paths["/api/v1/contact-points/{contact_id}"]["delete"]
    [if_match] = [p for p in delete["parameters"] if p["name"] == "If-Match"]
    assert if_match["required"] is True  # a DELETE has no body to carry `version`
    assert "428" in delete["responses"]
    patch = paths["/api/v1/people/{person_id}"]["patch"]
    [if_match] = [p for p in patch["parameters"] if p["name"] == "If-Match"]
    assert if_match["required"] is False
    assert "version" in if_match["description"] and "428" in if_match["description"]
    assert "version" in patch["responses"]["428"]["description"]
    conflict = patch["responses"]["409"]
    assert "stale_version" in conflict["description"] and "ETag" in conflict["headers"]
    assert "ETag" in patch["responses"]["200"]["headers"]


def test_it_says_page_and_offset_exclude_each_other(world, api_as):
    operation = _document()["paths"]["/api/v1/people"]["get"]
    descriptions = {p["name"]: p.get("description", "") for p in operation["parameters"]}
    assert "not both" in descriptions["offset"] and "offset" in descriptions["page"]
    both = api_as(world.coordinator).get("/people", {"page": "1", "offset": "0"})
    assert "page" in assert_error(both, 422)["fields"]


def test_it_describes_what_the_server_refuses_in_the_schemas(db):
    schemas = _document()["components"]["schemas"]
    given = schemas["PersonPatch"]["properties"]["legal_given_name"]
    assert given["type"] == "string" and re.search(given["pattern"], "Ana")
    assert not re.search(given["pattern"], " \t\u3000")
    assert not re.search(given["pattern"], "Ana\x00")
    assert "anyOf" not in schemas["EnrollmentPatch"]["properties"]["status"]  # not null
    assert schemas["ContactPointPatch"]["properties"]["may_text"] == {
        "title": "May Text",
        "type": "boolean",
    }
    [local_time, _null] = schemas["ContactPointCreate"]["properties"]["safe_hours_start"]["anyOf"]
    assert "format" not in local_time  # JSON Schema's `time` would need a UTC offset
    assert re.search(local_time["pattern"], "09:30") and not re.search(
        local_time["pattern"], "09:30Z"
    )


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/people", {"program_id": "{housing}"}),
        ("POST", "/people", {"program_id": 1.0}),
        ("POST", "/people", {"date_of_birth": 0}),
        ("POST", "/people", {"date_of_birth": "1984-03-09T00:00"}),
        ("POST", "/people/{person}/contact-points", {"may_text": "yes"}),
        ("POST", "/people/{person}/contact-points", {"is_preferred": 1}),
        ("PATCH", "/enrollments/{enrollment}", {"status": None, "version": 1}),
        ("PATCH", "/people/{person}", {"legal_given_name": None, "version": 1}),
    ],
)
def test_it_refuses_input_the_document_does_not_allow(world, api_as, method, path, body):
    """Values pydantic would coerce (a numeric string, a float, 0 as a date, "yes"), and
    null for fields that cannot be empty: the document does not allow them."""
    ids = {
        "housing": world.housing.pk,
        "person": world.person.pk,
        "enrollment": world.person.enrollments.get().pk,
    }
    valid = {
        "/people": {"program_id": world.housing.pk, "legal_given_name": "Ana"},
        "/people/{person}/contact-points": {"kind": "email", "value": "a@b.org"},
    }
    [tested] = set(body) - {"version"}
    sent = valid.get(path, {}) | {
        name: value.format(**ids) if isinstance(value, str) else value
        for name, value in body.items()
    }
    response = api_as(world.coordinator).send(method, path.format(**ids), sent)
    assert tested in assert_error(response, 422, "invalid")["fields"]
