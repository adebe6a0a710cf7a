"""The OpenAPI document says what the server does: schemathesis generates requests for
every operation from the document (valid ones and ones it should refuse), sends them to
the app in-process (WSGI, no network) as a coordinator with a bearer token, and checks
each answer: no 5xx, a status the operation declares, its declared media type, a body
that matches the declared schema, the declared headers, 401 without credentials and 405
(with Allow) for an undeclared method.

Deterministic: a fixed seed, derandomized Hypothesis and no example database, so a run
in CI sends exactly what it sent here. Each operation is one test in its own transaction
(pytest-django), so what the fuzzer writes is gone before the next test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from alongside.accounts.tokens import token_create
from alongside.encounters import services as encounters
from alongside.encounters.models import Note
from alongside.encounters.tests.factories import signed_note, version
from alongside.intake import fhir
from alongside.intake.tests.test_responses import SEVERAL, phq9
from alongside.people import services as people
from alongside.people.models import ContactPoint, Enrollment, Person, Profile
from alongside.plans.tests.factories import add_goal, start_plan

# Hypothesis examples per operation in the fuzzing phase; the examples and coverage
# phases add their own (boundary values of every parameter). Sized for about a minute
# for all operations on SQLite on two cores.
EXAMPLES = 20

# Beyond what a schema can state, a change is refused (422) for rules about other records
# and about the fields together: a program you work in, a coordinator of the
# organization, a phone number that parses, dates in order, a questionnaire that exists.
# And a change without If-Match may still carry its version in the body, which OpenAPI
# cannot say of a header and a body field together, so a schema-valid change may get 428.
# Reads keep schemathesis' default: a schema-valid read is answered, never refused.
VALID_CHANGE_ANSWERS = ["2xx", "401", "403", "404", "409", "422", "428"]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20250107,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        # Sequences of calls need a live server's state between examples; each operation
        # here runs against the seeded world instead.
        "phases": {"stateful": {"enabled": False}},
        # Strings lifted from the app's modules depend on which modules a run imported;
        # without them what is sent depends only on the document and the seed, so a
        # failure in CI reproduces when this file is run alone.
        "analysis": {"constants": {"enabled": False}},
        "checks": {
            # 428 Precondition Required is the answer for a missing If-Match (RFC 6585).
            "missing_required_header": {"expected-statuses": ["400", "401", "422", "428"]},
        },
        "operations": [
            {
                "include-method": ["POST", "PUT", "PATCH"],
                "checks": {"positive_data_acceptance": {"expected-statuses": VALID_CHANGE_ANSWERS}},
            }
        ],
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)

# Where a versioned record's current version is, for each operation that changes one.
VERSIONED = {
    "/api/v1/people/{person_id}": lambda ids: Person.objects.get(pk=ids["person_id"]).version,
    "/api/v1/people/{person_id}/profile": lambda ids: (
        Profile.objects.get(person_id=ids["person_id"]).version
    ),
    "/api/v1/enrollments/{enrollment_id}": lambda ids: (
        Enrollment.objects.get(pk=ids["enrollment_id"]).version
    ),
    "/api/v1/contact-points/{contact_id}": lambda ids: (
        ContactPoint.objects.get(pk=ids["contact_id"]).version
    ),
    "/api/v1/notes/{note_id}": lambda ids: Note.objects.get(pk=ids["note_id"]).version,
    "/api/v1/notes/{note_id}/sign": lambda ids: Note.objects.get(pk=ids["note_id"]).version,
    "/api/v1/notes/{note_id}/cosign": lambda ids: Note.objects.get(pk=ids["note_id"]).version,
}


@pytest.fixture
def seeded(world: Any, screen: Any) -> Iterator[dict[str, Any]]:
    """The coordinator's token, and ids that resolve: a person with screenings (and so
    needs), an enrollment, a contact point with safe hours and a plan with a goal."""
    completed = screen("phq-9", phq9(SEVERAL))
    hunger = screen("hunger-vital-sign", {"88122-7": "LA28397-0", "88123-5": "LA28398-8"})
    contact = _contact(world.person, world.coordinator)
    signed = signed_note(world)  # its encounter takes notes; a draft on it takes changes
    draft = encounters.note_start(
        actor=world.coordinator, encounter=signed.encounter, template_version=version("dap")
    )
    plan = start_plan(world)
    add_goal(world, plan)
    _, secret = token_create(user=world.coordinator, name="schemathesis")
    # Django closes "old" connections around each request, which inside a test's
    # transaction would discard it; its test client does the same as this.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "ids": {
            "person_id": world.person.pk,
            "screening_id": completed.pk,
            "contact_id": contact.pk,
            "enrollment_id": world.person.enrollments.get().pk,
            "program_id": world.housing.pk,
            "primary_coordinator_id": world.coordinator.pk,
            "encounter_id": signed.encounter_id,
            "note_id": draft.pk,
            "plan_id": plan.pk,
        },
        "person": world.person,
        "actor": world.coordinator,
        "questionnaire": fhir.questionnaire_response(hunger)["questionnaire"],
        "headers": {"Authorization": f"Bearer {secret}"},
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _known(value: Any) -> bool:
    """Whether to swap a generated value for a seeded one: about two times in three,
    decided by the value itself so that Hypothesis still drives (and shrinks) the choice.
    0 and 1, the coverage phase's favourite ids, are swapped."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value % 3 != 2
    return isinstance(value, str) and len(value) % 3 != 2


def _contact(person: Any, actor: Any) -> ContactPoint:
    return people.contact_point_create(
        actor=actor,
        person=person,
        data={
            "kind": "phone",
            "value": "212-555-0147",
            "safe_hours_start": "09:00",
            "safe_hours_end": "17:30",
        },
    )


def _aim(case: Any, seeded: dict[str, Any]) -> None:
    """Point most generated ids at the seeded records, and versions at their current
    version, so that requests reach the code behind the lookups, not only 404 and 409."""
    ids = seeded["ids"]
    if not ContactPoint.objects.filter(pk=ids["contact_id"]).exists():
        # An earlier example deleted it: each example gets one to work on.
        ids["contact_id"] = _contact(seeded["person"], seeded["actor"]).pk
    path = _aim_path(case, ids)
    body = case.body if isinstance(case.body, dict) else {}
    for name in ("program_id", "primary_coordinator_id"):
        if isinstance(body.get(name), int) and _known(body[name]):
            body[name] = ids[name]
    if isinstance(body.get("questionnaire"), str) and _known(body["questionnaire"]):
        body["questionnaire"] = seeded["questionnaire"]
    current = VERSIONED.get(case.operation.path)
    if current is None or set(path.values()) - set(ids.values()):
        return
    headers = case.headers if case.headers is not None else {}
    if isinstance(headers.get("If-Match"), str) and _known(headers["If-Match"]):
        headers["If-Match"] = f'"{current(ids)}"'
    if isinstance(body.get("version"), int) and _known(body["version"]):
        body["version"] = current(ids)


def _aim_path(case: Any, ids: dict[str, int]) -> dict[str, Any]:
    """The case's path parameters, with known ids pointed at the seeded records."""
    path = case.path_parameters or {}
    for name, value in path.items():
        if isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value)  # the coverage phase sends path ids as text
        if name in ids and isinstance(value, int) and _known(value):
            path[name] = ids[name]
    return path


def _one_of_page_or_offset(case: Any) -> None:
    """`page` and `offset` exclude each other (a 422 when both are sent), which OpenAPI
    cannot say of two query parameters; both descriptions say it, and test_openapi.py
    checks it. Send one of them, so that a request is refused (or not) for the value the
    case is about rather than for sending both."""
    query = case.query or {}
    if "page" in query and "offset" in query:
        about = getattr(case.meta.phase.data, "parameter", None) if case.meta else None
        del query["offset" if about == "page" else "page"]


@schema.parametrize()
# One seeded world serves all of an operation's examples; each example stands alone.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_it_does_what_the_openapi_document_says(case: Any, seeded: dict[str, Any]) -> None:
    _aim(case, seeded)
    _one_of_page_or_offset(case)
    # Reading the metadata after a change re-labels the case by what it now holds (a
    # negative id swapped for a seeded one is no longer negative); `call` would take the
    # changed values as generated ones.
    assert case.meta is not None
    case.call_and_validate(headers=seeded["headers"])
