"""The authorization matrix (issue 7): every URL pattern of the URLconf and every
operation of the OpenAPI document, requested as every persona, about each seeded person.

For every route and persona:
  (a) a person out of the persona's scope answers 404, so their identity never leaks
      (a route that only takes POST answers GET with 405 whoever asks: it is then sent
      the POST, which must be 404; an API write is sent with the smallest valid body);
  (b) no response body holds a sensitive value (the approach-with-care marker, the
      PHQ-9 total and band that add up the self-harm item, the answer to that item, the
      depression need, the urgent flag's reason, a GAD-7's distinctive total, band and
      answers and its anxiety need: behavioral health is sensitive as a whole) of a
      person the persona is not on the care team of, nor the name of a person out of
      their scope;
  (c) the care team does see those values on the pages that show them, and everyone
      else who sees the person is told they are restricted, so the walk proves itself;
  (d) every out-of-scope 404 to someone signed in writes a `denied` audit event.

Only GET is sent to routes that answer it (a form's page, never its submission). Routes
are enumerated by tests/authz/routes.py; a route the walk cannot fill fails the test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from alongside.audit.models import AuditEvent
from tests.authz import routes
from tests.authz.world import (
    CARE_TEAM,
    IN_SCOPE,
    PERSONAS,
    RESTRICTED_MARK,
    AuthzWorld,
    build,
    fillers,
    out_of_scope,
    shows,
)


@pytest.fixture
def authz(world: Any) -> AuthzWorld:
    return build(world)


def _clients(a: AuthzWorld, persona: str) -> tuple[Client, Client]:
    """A browser signed in as the persona, and an API client with their token."""
    pages, api = Client(), Client()
    user = a.user(persona)
    if user is not None:
        pages.force_login(user)
        api = Client(headers={"Authorization": f"Bearer {a.token(persona)}"})
    return pages, api


def _walk_list(a: AuthzWorld) -> list[routes.Probe]:
    return routes.probes(routes.page_routes() + routes.api_routes(), fillers(a))


def _mark(probe: routes.Probe) -> str:
    if "fhir" in probe.route.template and probe.route.template.endswith(("fhir", "fhir.json")):
        return RESTRICTED_MARK["fhir"]
    return RESTRICTED_MARK["api" if probe.route.api else "page"]


def _send(client: Client, probe: routes.Probe, method: str) -> Any:
    if probe.route.api and method != "GET":
        body = json.dumps(probe.route.body if probe.route.body is not None else {})
        return client.generic(method, probe.path, body, content_type="application/json")
    return client.generic(method, probe.path)


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.walked = content.decode(errors="replace").lower()
    return str(response.walked)


def _check(a: AuthzWorld, persona: str, probe: routes.Probe, response: Any) -> list[str]:
    """What is wrong with one answer, if anything."""
    problems = []
    status = response.status_code
    if status >= 500:
        return [f"{probe.label}: {status}"]
    body = _body(response)
    definitions_shown = probe.route.name.startswith("manage:instrument")
    for key, subject in a.subjects.items():
        if persona not in CARE_TEAM[key]:
            needles = subject.own_needles
            if probe.subject in (key, None) and not definitions_shown:
                needles = needles + subject.word_needles
            problems += [
                f"{probe.label}: shows {key}'s {needle!r}"
                for needle in needles
                if needle.lower() in body
            ]
        if persona not in IN_SCOPE[key]:
            problems += [
                f"{probe.label}: names {key} ({name})"
                for name in subject.names
                if name.lower() in body
            ]
    return problems


def _about(
    a: AuthzWorld, persona: str, probe: routes.Probe, client: Client, answered: set[str]
) -> list[str]:
    """Request one probe as the persona and say what is wrong. `answered` holds the API
    paths already requested with GET (an API write shares its path with a read)."""
    answers = []
    if probe.path not in answered:
        answered.add(probe.path)
        answers.append(("GET", _send(client, probe, "GET")))
    problems = [p for _, r in answers for p in _check(a, persona, probe, r)]
    if probe.subject is None:
        return problems
    if out_of_scope(persona, probe) and persona == "anonymous":
        return problems + _signed_out(probe, answers)
    if out_of_scope(persona, probe):
        return problems + _out_of_scope(a, persona, probe, client, answers)
    return problems + _in_scope(a, persona, probe, answers)


def _signed_out(probe: routes.Probe, answers: list[tuple[str, Any]]) -> list[str]:
    problems = []
    for _, response in answers:
        to_login = response.status_code == 302 and response["Location"].startswith("/login/")
        if not (to_login or response.status_code in (401, 405)):
            problems.append(f"{probe.label}: {response.status_code} without signing in")
    return problems


def _out_of_scope(
    a: AuthzWorld,
    persona: str,
    probe: routes.Probe,
    client: Client,
    answers: list[tuple[str, Any]],
) -> list[str]:
    problems = []
    refused_method = [r for _, r in answers if r.status_code == 405]
    if refused_method or not answers:
        method = probe.route.method if probe.route.api else "POST"
        attempt = _send(client, probe, method)
        problems += _check(a, persona, probe, attempt)
        answers = [(method, attempt)]
    problems += [
        f"{probe.label}: {method} answers {r.status_code}, not 404, out of scope"
        for method, r in answers
        if r.status_code != 404
    ]
    if any(r.status_code == 404 for _, r in answers) and not _denied_recorded(a, persona, probe):
        problems.append(f"{probe.label}: 404 out of scope without a denied audit event")
    return problems


def _in_scope(
    a: AuthzWorld, persona: str, probe: routes.Probe, answers: list[tuple[str, Any]]
) -> list[str]:
    subject = probe.subject
    assert subject is not None
    shown = shows(a.subjects[subject]).get((probe.route.name, probe.variant))
    if shown is None or not answers:
        return []
    [(_, response)] = answers
    body = response.walked
    if response.status_code != 200:
        return [f"{probe.label}: {response.status_code} for someone in scope"]
    if persona in CARE_TEAM[subject]:
        return [f"{probe.label}: does not show {n!r}" for n in shown if n.lower() not in body]
    if _mark(probe) not in body:
        return [f"{probe.label}: hides without saying {_mark(probe)!r}"]
    return []


def _denied_recorded(a: AuthzWorld, persona: str, probe: routes.Probe) -> bool:
    """(d) an out-of-scope attempt leaves its trace: a `denied` event naming the path."""
    user = a.user(persona)
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.DENIED, actor_id=user.pk if user else None, detail__path=probe.path
    ).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_keeps_identity_and_sensitive_details_where_they_belong(
    authz: AuthzWorld, persona: str
) -> None:
    pages, api = _clients(authz, persona)
    problems: list[str] = []
    answered: set[str] = set()
    # Reads first, so an API write is only tried (out of scope) after its path's read.
    for probe in sorted(_walk_list(authz), key=lambda p: p.route.method != "GET"):
        client = api if probe.route.api else pages
        problems += _about(authz, persona, probe, client, answered)
    assert not problems, f"As {persona}:\n" + "\n".join(problems)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_the_django_admin_refuses_every_persona(authz: AuthzWorld, persona: str) -> None:
    """The one exempt prefix (routes.EXEMPT): Django's admin, for superusers only."""
    pages, _ = _clients(authz, persona)
    response = pages.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/django-admin/login/")
