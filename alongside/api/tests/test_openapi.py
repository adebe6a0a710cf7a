import typing

from django.test import Client

from alongside.api import schemas
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
    assert choices(schemas.ClosureReason) == set(Enrollment.ClosureReason.values)
