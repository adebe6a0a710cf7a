"""Screenings, needs and urgent flags: read a person's screenings and needs (one
screening with its urgent flags and what was done about them), fetch one as a FHIR
QuestionnaireResponse, and bring in a QuestionnaireResponse from another system.

Reads go through `intake.selectors` (scoped by `Person.objects.visible_to` and audited);
the import goes through `intake.services.response_import` (all or nothing)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema

from alongside.accounts.actors import Actor
from alongside.api import lookups, openapi, present
from alongside.api.auth import caller
from alongside.api.errors import invalid
from alongside.api.schemas import StaffOut
from alongside.intake import fhir, selectors, sensitive, services
from alongside.intake.fhir import FhirImportError
from alongside.intake.models import Need, ScreeningResponse, UrgentFlag
from alongside.intake.sensitive import RestrictedNeed
from alongside.intake.wording import need_name, status_name
from alongside.lib.json_input import json_loads
from alongside.people.sensitivity import RESTRICTED, RESTRICTED_ENGLISH

router = Router(tags=["screenings"])

FHIR_JSON = "application/fhir+json; charset=utf-8"


class ScoreOut(Schema):
    name: str
    value: int
    band: str
    items_missing: int


class RestrictedScoreOut(Schema):
    """A score that adds up a sensitive answer, for a reader outside the care team."""

    name: str
    restricted: Literal[True]
    reason: str = Field(description=f'Always "{RESTRICTED_ENGLISH}"')


class ScreeningOut(Schema):
    id: int
    person_id: int
    instrument: str
    title: str
    version: str
    status: str
    mode: str
    language: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    scores: list[ScoreOut | RestrictedScoreOut] = Field(
        description="Scores that add up a sensitive answer (every score of a "
        "behavioral-health instrument such as the PHQ-2, PHQ-9 and GAD-7, the AHC safety "
        "score) are restricted to the person's care team: others get "
        '`{"name", "restricted": true, "reason"}` instead.'
    )
    fhir_url: str


class FlagActionOut(Schema):
    """One thing done about an urgent flag."""

    kind: str = Field(description="contacted, safety_plan, referred, could_not_reach or other")
    label: str
    note: str
    taken_by: StaffOut | None
    taken_at: dt.datetime
    closes_flag: bool = Field(description='Every action but "could_not_reach" closes the flag')


class FlagOut(Schema):
    id: int
    reason: str
    guidance: str
    raised_at: dt.datetime
    status: Literal["open", "closed"]
    closed_at: dt.datetime | None
    closed_by: StaffOut | None
    actions: list[FlagActionOut] = Field(description="What was done about it, oldest first")


class RestrictedFlagOut(Schema):
    """An urgent flag, for a reader outside the care team: that it was raised and whether
    it is closed, never its reason nor what was done (which says what it was about)."""

    id: int
    raised_at: dt.datetime
    status: Literal["open", "closed"]
    closed_at: dt.datetime | None
    closed_by: StaffOut | None
    restricted: Literal[True]
    reason: str = Field(description=f'Always "{RESTRICTED_ENGLISH}"')


class ScreeningDetailOut(ScreeningOut):
    urgent_flags: list[FlagOut | RestrictedFlagOut] = Field(
        description="Urgent flags this screening raised. Their reasons, guidance and "
        "history are for the person's care team: others get "
        '`{"id", "raised_at", "status", "closed_at", "closed_by", "restricted": true, '
        '"reason"}`.'
    )


class NeedShownOut(Schema):
    id: int
    kind: str
    label: str = Field(description='The need as staff read it everywhere, e.g. "Mood"')
    status: str
    status_label: str = Field(description='The status as staff read it, e.g. "May want help"')
    identified_at: dt.datetime
    source_screening_id: int | None


class RestrictedNeedOut(Schema):
    """A safety or behavioral-health need, for a reader outside the care team: only that
    it exists and its status."""

    id: int
    status: str
    status_label: str
    restricted: Literal[True]
    reason: str = Field(description=f'Always "{RESTRICTED_ENGLISH}"')


NeedOut = NeedShownOut | RestrictedNeedOut


def _screening(user: Actor, response: ScreeningResponse) -> ScreeningOut:
    """A response read through `intake.selectors` (its scores are those the user may
    see), with a restricted marker for each score left out."""
    version = response.instrument_version
    scores: list[ScoreOut | RestrictedScoreOut] = [
        ScoreOut.model_construct(
            name=s.name, value=s.value, band=s.band, items_missing=s.items_missing
        )
        for s in response.scores.all()
    ]
    scores += [
        RestrictedScoreOut.model_construct(name=name, restricted=True, reason=str(RESTRICTED))
        for name in sensitive.restricted_scores(response, user)
    ]
    return ScreeningOut.model_construct(
        id=response.pk,
        person_id=response.person_id,
        instrument=version.instrument.slug,
        title=version.instrument.title,
        version=version.label,
        status=response.status,
        mode=response.mode,
        language=response.language,
        started_at=response.started_at,
        completed_at=response.completed_at,
        scores=scores,
        fhir_url=reverse("api-v1:screening_fhir", args=[response.pk]),
    )


def _staff(user: Any) -> StaffOut | None:
    if user is None:
        return None
    return StaffOut.model_construct(id=user.pk, name=str(user), pronouns=user.pronouns)


def _flag(flag: UrgentFlag, shows: bool) -> FlagOut | RestrictedFlagOut:
    """A flag read through `selectors.response_detail`: with its history when `shows`,
    and without its reason (never loaded) otherwise."""
    status: Literal["open", "closed"] = "open" if flag.is_open else "closed"
    closed_by = _staff(flag.acknowledged_by)
    if not shows:
        return RestrictedFlagOut.model_construct(
            id=flag.pk,
            raised_at=flag.raised_at,
            status=status,
            closed_at=flag.acknowledged_at,
            closed_by=closed_by,
            restricted=True,
            reason=str(RESTRICTED),
        )
    return FlagOut.model_construct(
        id=flag.pk,
        reason=flag.reason,
        guidance=flag.guidance,
        raised_at=flag.raised_at,
        status=status,
        closed_at=flag.acknowledged_at,
        closed_by=closed_by,
        actions=[
            FlagActionOut.model_construct(
                kind=a.kind,
                label=str(a.get_kind_display()),
                note=a.note,
                taken_by=_staff(a.taken_by),
                taken_at=a.taken_at,
                closes_flag=a.closes_flag,
            )
            for a in flag.actions.all()
        ],
    )


def _screening_detail(user: Actor, response: ScreeningResponse) -> ScreeningDetailOut:
    """A response read through `selectors.response_detail`, with its urgent flags."""
    shows = sensitive.shows_sensitive(response, user)
    out = _screening(user, response)
    return ScreeningDetailOut.model_construct(
        **dict(out),
        urgent_flags=[_flag(f, shows) for f in response.urgent_flags.all()],
    )


def _need(need: Need | RestrictedNeed) -> NeedOut:
    if isinstance(need, RestrictedNeed):
        return RestrictedNeedOut.model_construct(
            id=need.id,
            status=need.status,
            status_label=status_name(need.status),
            restricted=True,
            reason=str(RESTRICTED),
        )
    return NeedShownOut.model_construct(
        id=need.pk,
        kind=need.kind,
        label=need_name(need.kind),
        status=need.status,
        status_label=status_name(need.status),
        identified_at=need.identified_at,
        source_screening_id=need.source_response_id,
    )


@router.get(
    "/people/{person_id}/screenings",
    response={200: list[ScreeningOut]},
    summary="A person's screenings, newest first",
)
def list_screenings(request: HttpRequest, person_id: int) -> HttpResponse:
    user = caller(request)
    person = lookups.visible_person(user, person_id)
    responses = selectors.person_responses_listed(user, person)
    return present.respond([_screening(user, r) for r in responses])


@router.get(
    "/screenings/{screening_id}",
    response={200: ScreeningDetailOut},
    url_name="screening",
    summary="One screening with its scores and urgent flags",
)
def get_screening(request: HttpRequest, screening_id: int) -> HttpResponse:
    user = caller(request)
    return present.respond(_screening_detail(user, selectors.response_detail(user, screening_id)))


@router.get(
    "/screenings/{screening_id}/fhir",
    response={200: None},
    openapi_extra=openapi.fhir_response(),
    url_name="screening_fhir",
    summary="One screening as a FHIR QuestionnaireResponse",
    description="Declined items carry data-absent-reason `asked-declined`, skipped ones "
    "`asked-unknown`. Answers to sensitive items (every item of a behavioral-health "
    "instrument) are included only for the care team; others get data-absent-reason "
    "`masked`.",
)
def get_screening_fhir(request: HttpRequest, screening_id: int) -> HttpResponse:
    user = caller(request)
    response = selectors.response_detail(user, screening_id)
    resource = fhir.questionnaire_response(
        response, withhold=sensitive.withheld_items(response, user)
    )
    reply = HttpResponse(json.dumps(resource, ensure_ascii=False), content_type=FHIR_JSON)
    reply["Cache-Control"] = "no-store"
    return reply


def _json_object(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object (a FHIR resource is read as it is, not through
    a schema, so fhir.resources can validate all of it)."""
    body = json_loads(request.body or b"")  # JsonInputError: a 400 or 422 (api/errors.py)
    if not isinstance(body, dict):
        raise invalid("body", "Send one FHIR QuestionnaireResponse as a JSON object.")
    return body


@router.post(
    "/people/{person_id}/screenings/fhir",
    response={201: ScreeningDetailOut},
    summary="Bring in a FHIR QuestionnaireResponse as a screening",
    description="The body is a QuestionnaireResponse whose `questionnaire` is "
    "`<base>/fhir/Questionnaire/<instrument slug>|<version>` (as Alongside exports). "
    "A `completed` one is scored, derives needs and raises urgent flags; an "
    "`in-progress` one is kept as a draft. All of it is saved, or nothing.",
    openapi_extra=openapi.fhir_request(),
)
def import_screening(request: HttpRequest, person_id: int) -> HttpResponse:
    user = caller(request)
    person = lookups.visible_person(user, person_id)
    body = _json_object(request)
    try:
        response = services.response_import(actor=user, person=person, data=body)
    except FhirImportError as error:
        raise invalid("body", f"Not a valid FHIR QuestionnaireResponse: {error}") from error
    response = selectors.response_detail(user, response.pk)
    return present.respond(
        _screening_detail(user, response),
        status=201,
        location=reverse("api-v1:screening", args=[response.pk]),
    )


@router.get(
    "/people/{person_id}/needs",
    response={200: list[NeedOut]},
    summary="A person's needs, open ones first",
)
def list_needs(request: HttpRequest, person_id: int, include_closed: bool = False) -> HttpResponse:
    user = caller(request)
    person = lookups.visible_person(user, person_id)
    needs = selectors.person_needs_listed(user, person, open_only=not include_closed)
    return present.respond([_need(n) for n in needs])
