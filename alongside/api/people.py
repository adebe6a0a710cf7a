"""People, their profile, enrollments and contact points.

Endpoints stay thin: `lookups` finds what the request names within the user's scope,
`people.selectors` reads (and audits the read), `people.services` writes (validating,
checking versions and auditing), and `present` shapes the answer.
"""

from __future__ import annotations

from typing import Annotated

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router

from alongside.api import lookups, openapi, pages, present, schemas
from alongside.api.auth import caller
from alongside.api.concurrency import expected_version
from alongside.api.errors import invalid
from alongside.people import selectors, services
from alongside.people.models import PROFILE_FIELDS
from alongside.people.sensitivity import disclosure_for

router = Router(tags=["people"])

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
SEARCH_HELP = "A name, date of birth, phone number or identifier."
OFFSET_HELP = "How many results to skip. Send this or `page`, not both (both is a 422)."
PAGE_HELP = "The page to show, counting from 1, of `limit` results each. Instead of `offset`."
PROFILE_SECTIONS = tuple(name for name, _ in PROFILE_FIELDS)

# Changes to a versioned record name the version they were based on (see concurrency.py).
IF_MATCH = openapi.if_match(version_field=True)
IF_MATCH_ONLY = openapi.if_match(version_field=False)


def _url(name: str, pk: int) -> str:
    return reverse(f"api-v1:{name}", args=[pk])


# --- people ---------------------------------------------------------------------------


@router.get("/people", response={200: schemas.PersonPage}, summary="List or search people")
def list_people(
    request: HttpRequest,
    q: Annotated[schemas.SearchQuery | None, Query(description=SEARCH_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = settings.PAGE_SIZE,
    offset: Annotated[int | None, Query(ge=0, le=MAX_OFFSET, description=OFFSET_HELP)] = None,
    page: Annotated[int | None, Query(ge=1, le=MAX_OFFSET, description=PAGE_HELP)] = None,
) -> HttpResponse:
    if offset is not None and page is not None:
        raise invalid("page", "Send either page or offset, not both.")
    start = (page - 1) * limit if page is not None else offset or 0
    if q:
        found = pages.search_page(caller(request), q, offset=start, limit=limit)
    else:
        found = pages.people_page(caller(request), offset=start, limit=limit)
    results = [present.person(person) for person in found.people]
    body = schemas.PersonPage(count=found.total, limit=limit, offset=start, results=results)
    return present.respond(body)


@router.post("/people", response={201: schemas.PersonOut}, summary="Register a person")
def create_person(request: HttpRequest, payload: schemas.PersonCreate) -> HttpResponse:
    user = caller(request)
    program = lookups.manageable_program(user, payload.program_id)
    person = services.person_create(
        actor=user,
        program=program,
        data=payload.model_dump(exclude={"program_id", "primary_coordinator_id", "profile"}),
        profile=payload.profile.model_dump(exclude_none=True) if payload.profile else None,
        primary_coordinator=lookups.coordinator(
            program.organization_id, payload.primary_coordinator_id
        ),
    )
    return present.respond(
        present.person(person),
        status=201,
        version=person.version,
        location=_url("person", person.pk),
    )


# What present.person_detail shows with a person: identifiers and support contacts are
# not part of it, so reading a person does not load them.
PERSON_DETAIL = ("languages", "contact_points", "enrollments")


@router.get(
    "/people/{person_id}",
    response={200: schemas.PersonDetailOut},
    url_name="person",
    summary="A person, with profile, enrollments and contact points",
)
def get_person(request: HttpRequest, person_id: int) -> HttpResponse:
    user = caller(request)
    person = selectors.person_detail(user, person_id, purpose="api", related=PERSON_DETAIL)
    return present.respond(present.person_detail(user, person), version=person.version)


@router.patch(
    "/people/{person_id}",
    response={200: schemas.PersonOut},
    openapi_extra=IF_MATCH,
    summary="Change a person's names, pronouns or details",
)
def update_person(
    request: HttpRequest, person_id: int, payload: schemas.PersonPatch
) -> HttpResponse:
    user = caller(request)
    person = lookups.visible_person(user, person_id)
    person = services.person_update(
        actor=user,
        person=person,
        data=lookups.changes(payload),
        version=expected_version(request, payload.version),
    )
    return present.respond(present.person(person), version=person.version)


# --- profile --------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/profile",
    response={200: schemas.ProfileOut},
    summary="The person's one-page profile",
)
def get_profile(request: HttpRequest, person_id: int) -> HttpResponse:
    user = caller(request)
    person = selectors.person_detail(user, person_id, purpose="api profile")
    profile = present.profile_of(person)
    body = present.profile(person, profile, disclosure_for(user, person))
    return present.respond(body, version=body.version)


@router.put(
    "/people/{person_id}/profile",
    response={200: schemas.ProfileOut},
    openapi_extra=IF_MATCH,
    summary="Replace the person's one-page profile",
    description="Sections left out (or null) are cleared, except approach_with_care, which "
    "changes only when sent. Text is stored exactly as sent.",
)
def put_profile(request: HttpRequest, person_id: int, payload: schemas.ProfilePut) -> HttpResponse:
    user = caller(request)
    person = lookups.visible_person(user, person_id, with_enrollments=True)
    data: dict[str, str] = {name: getattr(payload, name) or "" for name in PROFILE_SECTIONS}
    if payload.approach_with_care is not None:
        data["approach_with_care"] = payload.approach_with_care
    profile = services.profile_update(
        actor=user,
        person=person,
        data=data,
        version=expected_version(request, payload.version),
    )
    body = present.profile(person, profile, disclosure_for(user, person))
    return present.respond(body, version=profile.version)


# --- enrollments ----------------------------------------------------------------------


@router.get(
    "/people/{person_id}/enrollments",
    response={200: list[schemas.EnrollmentOut]},
    summary="The person's enrollments, newest first",
)
def list_enrollments(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_detail(caller(request), person_id, purpose="api enrollments")
    return present.respond([present.enrollment(e) for e in person.enrollments.all()])


@router.post(
    "/people/{person_id}/enrollments",
    response={201: schemas.EnrollmentOut},
    summary="Enroll the person in a program",
)
def create_enrollment(
    request: HttpRequest, person_id: int, payload: schemas.EnrollmentCreate
) -> HttpResponse:
    user = caller(request)
    person = lookups.visible_person(user, person_id)
    program = lookups.manageable_program(user, payload.program_id)
    data = payload.model_dump(exclude={"program_id", "primary_coordinator_id"})
    data["primary_coordinator"] = lookups.coordinator(
        person.organization_id, payload.primary_coordinator_id
    )
    enrollment = services.enrollment_create(actor=user, person=person, program=program, data=data)
    return present.respond(
        present.enrollment(enrollment),
        status=201,
        version=enrollment.version,
        location=_url("enrollment", enrollment.pk),
    )


@router.patch(
    "/enrollments/{enrollment_id}",
    response={200: schemas.EnrollmentOut},
    openapi_extra=IF_MATCH,
    url_name="enrollment",
    summary="Change an enrollment",
)
def update_enrollment(
    request: HttpRequest, enrollment_id: int, payload: schemas.EnrollmentPatch
) -> HttpResponse:
    user = caller(request)
    enrollment = lookups.visible_enrollment(user, enrollment_id)
    data = lookups.changes(payload, exclude={"primary_coordinator_id"})
    if "primary_coordinator_id" in payload.model_fields_set:
        data["primary_coordinator"] = lookups.coordinator(
            enrollment.person.organization_id, payload.primary_coordinator_id
        )
    enrollment = services.enrollment_update(
        actor=user,
        enrollment=enrollment,
        data=data,
        version=expected_version(request, payload.version),
    )
    return present.respond(present.enrollment(enrollment), version=enrollment.version)


# --- contact points -------------------------------------------------------------------


@router.get(
    "/people/{person_id}/contact-points",
    response={200: list[schemas.ContactPointOut]},
    summary="Ways to reach the person, with their safe-contact rules",
)
def list_contact_points(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_detail(caller(request), person_id, purpose="api contact points")
    return present.respond([present.contact_point(c) for c in person.contact_points.all()])


@router.post(
    "/people/{person_id}/contact-points",
    response={201: schemas.ContactPointOut},
    summary="Add a way to reach the person",
)
def create_contact_point(
    request: HttpRequest, person_id: int, payload: schemas.ContactPointCreate
) -> HttpResponse:
    user = caller(request)
    person = lookups.visible_person(user, person_id)
    contact = services.contact_point_create(actor=user, person=person, data=payload.model_dump())
    return present.respond(
        present.contact_point(contact),
        status=201,
        version=contact.version,
        location=_url("contact-point", contact.pk),
    )


@router.patch(
    "/contact-points/{contact_id}",
    response={200: schemas.ContactPointOut},
    openapi_extra=IF_MATCH,
    url_name="contact-point",
    summary="Change a contact point",
)
def update_contact_point(
    request: HttpRequest, contact_id: int, payload: schemas.ContactPointPatch
) -> HttpResponse:
    user = caller(request)
    contact = lookups.visible_contact_point(user, contact_id)
    contact = services.contact_point_update(
        actor=user,
        contact=contact,
        data=lookups.changes(payload),
        version=expected_version(request, payload.version),
    )
    return present.respond(present.contact_point(contact), version=contact.version)


@router.delete(
    "/contact-points/{contact_id}",
    response={204: None},
    openapi_extra=IF_MATCH_ONLY,
    summary="Remove a contact point",
)
def delete_contact_point(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = caller(request)
    contact = lookups.visible_contact_point(user, contact_id)
    services.contact_point_delete(
        actor=user, contact=contact, version=expected_version(request, None)
    )
    return HttpResponse(status=204)
