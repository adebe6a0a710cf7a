"""Encounters and their notes: record and read encounters, write a draft note, sign it,
add addenda, and read both as FHIR (`Encounter`, `DocumentReference`).

A signed note cannot be changed here or anywhere: a PATCH of one is a 409 (`note_signed`)
saying to add an addendum. Reads go through `encounters.selectors` (scoped, audited, a
sensitive note's content restricted outside the care team); writes through
`encounters.services`."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema
from pydantic import BeforeValidator, ConfigDict, Strict, StrictBool, StringConstraints

from alongside.api import lookups, openapi, present, schemas
from alongside.api.concurrency import expected_version
from alongside.api.errors import ApiError
from alongside.encounters import fhir, selectors, services
from alongside.encounters.models import Addendum, Encounter, Note, NoteTemplateVersion
from alongside.people.sensitivity import RESTRICTED, RESTRICTED_ENGLISH

router = Router(tags=["encounters"])

FHIR_JSON = "application/fhir+json; charset=utf-8"
IF_MATCH = openapi.if_match(version_field=True)
IF_MATCH_ONLY = openapi.if_match(version_field=False)

EncounterKind = Literal[
    "office",
    "home",
    "phone",
    "video",
    "text",
    "collateral",
    "group",
    "attempted",
    "emergency",
    "discharge",
]
Modality = Literal["in_person", "phone", "video", "text", "none"]
SectionKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}")


def _date_time_text(value: object) -> object:
    """Only ISO 8601 text is a date and time (pydantic would also read a number as one,
    which the OpenAPI document does not allow)."""
    if value is not None and not (isinstance(value, str) and DATE_TIME.match(value)):
        raise ValueError("Give a date and time as ISO 8601 text, such as 2026-03-09T14:30:00Z.")
    return value


DateTime = Annotated[dt.datetime, BeforeValidator(_date_time_text)]
Minutes = Annotated[int, Strict(), Field(ge=0, le=24 * 60)]


class OtherIn(schemas.In):
    name: schemas.GivenName
    relationship: schemas.OwnWords100 = ""


class EncounterCreate(schemas.In):
    program_id: schemas.Id = Field(description="One of the person's programs that you work in.")
    kind: EncounterKind
    started_at: DateTime = Field(description="With its UTC offset; not in the future.")
    ended_at: DateTime | None = Field(None, description="At or after `started_at`.")
    duration_minutes: Minutes | None = None
    modality: Modality
    place: schemas.Text200 = ""
    person_present: StrictBool = True
    staff_ids: list[schemas.Id] = Field(default_factory=list, max_length=20)
    others: list[OtherIn] = Field(default_factory=list, max_length=20)
    summary: schemas.Text300 = Field("", description="Shown on the journey to the care team only.")


class EncounterOut(Schema):
    id: int
    person_id: int
    program_id: int
    kind: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    duration_minutes: int | None
    modality: str
    place: str
    person_present: bool
    note_ids: list[int]
    fhir_url: str


class NoteCreate(schemas.In):
    template_version_id: schemas.Id = Field(description="A template version you may use.")


class NotePatch(schemas.In):
    model_config = ConfigDict(extra="forbid")
    content: dict[SectionKey, schemas.OwnWords] = Field(
        description="Sections to change, by key; others keep their text."
    )
    version: schemas.Version | None = None


class AddendumCreate(schemas.In):
    content: schemas.Written


class SectionOut(Schema):
    key: str
    title: str
    text: str


class AddendumOut(Schema):
    id: int
    author_id: int
    signed_at: dt.datetime
    content: str


class NoteOut(Schema):
    id: int
    encounter_id: int
    person_id: int
    template: str
    template_version: int
    status: str
    author_id: int
    signed_at: dt.datetime | None
    cosignature_required: bool = Field(
        description="The program asked for a supervisor's co-signature when it was signed."
    )
    cosigned_by_id: int | None
    cosigned_at: dt.datetime | None
    version: int
    restricted: bool = Field(description="The content is for the care team; sections empty.")
    reason: str | None = Field(description=f'"{RESTRICTED_ENGLISH}" when restricted')
    sections: list[SectionOut]
    addenda: list[AddendumOut]
    fhir_url: str


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@contextmanager
def _note_state() -> Iterator[None]:
    try:
        yield
    except services.NoteLocked as locked:
        raise ApiError(409, str(locked), code=locked.code) from locked


def _encounter(item: Encounter) -> EncounterOut:
    return EncounterOut.model_construct(
        id=item.pk,
        person_id=item.person_id,
        program_id=item.program_id,
        kind=item.kind,
        started_at=item.started_at,
        ended_at=item.ended_at,
        duration_minutes=item.duration_minutes,
        modality=item.modality,
        place=item.place,
        person_present=item.person_present,
        note_ids=[n.pk for n in item.notes.all()],
        fhir_url=reverse("api-v1:encounter_fhir", args=[item.pk]),
    )


def _addendum(a: Addendum) -> AddendumOut:
    return AddendumOut.model_construct(
        id=a.pk, author_id=a.author_id, signed_at=a.signed_at, content=a.content
    )


def _note(note: Note) -> NoteOut:
    restricted = bool(getattr(note, "restricted", False))
    sections = [
        SectionOut.model_construct(key=s["key"], title=s["title"], text=text)
        for s, text in note.sections()
    ]
    return NoteOut.model_construct(
        id=note.pk,
        encounter_id=note.encounter_id,
        person_id=note.encounter.person_id,
        template=note.template_version.template.slug,
        template_version=note.template_version.number,
        status=note.status,
        author_id=note.author_id,
        signed_at=note.signed_at,
        cosignature_required=note.cosignature_required,
        cosigned_by_id=note.cosigned_by_id,
        cosigned_at=note.cosigned_at,
        version=note.version,
        restricted=restricted,
        reason=str(RESTRICTED) if restricted else None,
        sections=[] if restricted else sections,
        addenda=[_addendum(a) for a in note.addenda.all()],
        fhir_url=reverse("api-v1:note_fhir", args=[note.pk]),
    )


def _fhir(resource: dict[str, Any]) -> HttpResponse:
    reply = HttpResponse(json.dumps(resource, ensure_ascii=False), content_type=FHIR_JSON)
    reply["Cache-Control"] = "no-store"
    return reply


def _read_note(user: Any, note_id: int) -> HttpResponse:
    note = selectors.note_detail(user, note_id, purpose="api")
    return present.respond(_note(note), version=note.version)


# --- encounters -----------------------------------------------------------------------


@router.get(
    "/people/{person_id}/encounters",
    response={200: list[EncounterOut]},
    summary="A person's encounters in your programs, newest first",
)
def list_encounters(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = selectors.person_for_encounters(user, person_id)
    return present.respond([_encounter(e) for e in selectors.encounters_for(user, person)])


@router.post(
    "/people/{person_id}/encounters",
    response={201: EncounterOut},
    summary="Record an encounter",
    description="A contact with the person (office, home, phone, video, text or group, "
    "with them present) moves their last contact on. Every encounter goes on their "
    "journey timeline.",
)
def create_encounter(
    request: HttpRequest, person_id: int, payload: EncounterCreate
) -> HttpResponse:
    user = _user(request)
    person = selectors.person_for_encounters(user, person_id)
    program = lookups.manageable_program(user, payload.program_id)
    item = services.encounter_create(
        actor=user,
        person=person,
        program=program,
        data=payload.model_dump(exclude={"program_id", "staff_ids", "others"}),
        staff_ids=payload.staff_ids,
        others=[o.model_dump() for o in payload.others],
    )
    return present.respond(
        _encounter(item),
        status=201,
        version=item.version,
        location=reverse("api-v1:encounter", args=[item.pk]),
    )


@router.get(
    "/encounters/{encounter_id}",
    response={200: EncounterOut},
    url_name="encounter",
    summary="One encounter",
)
def get_encounter(request: HttpRequest, encounter_id: int) -> HttpResponse:
    item = selectors.encounter_detail(_user(request), encounter_id)
    return present.respond(_encounter(item), version=item.version)


@router.get(
    "/encounters/{encounter_id}/fhir",
    response={200: None},
    openapi_extra=openapi.fhir_response(openapi.fhir_resource("Encounter", "A FHIR R4 Encounter.")),
    url_name="encounter_fhir",
    summary="One encounter as a FHIR Encounter",
)
def get_encounter_fhir(request: HttpRequest, encounter_id: int) -> HttpResponse:
    item = selectors.encounter_detail(_user(request), encounter_id)
    return _fhir(fhir.encounter(item, item.shown_staff))  # type: ignore[attr-defined]


# --- notes ----------------------------------------------------------------------------


@router.post(
    "/encounters/{encounter_id}/notes",
    response={201: NoteOut},
    summary="Start a draft note on an encounter",
)
def create_note(request: HttpRequest, encounter_id: int, payload: NoteCreate) -> HttpResponse:
    user = _user(request)
    item = selectors.encounter_for_change(user, encounter_id)
    usable = {v.pk: v for v in selectors.templates_for(item)}
    version: NoteTemplateVersion | None = usable.get(payload.template_version_id)
    if version is None:
        raise ApiError(
            422,
            "Some fields are not valid.",
            fields={"template_version_id": ["Choose a template version this program may use."]},
        )
    note = services.note_start(actor=user, encounter=item, template_version=version)
    reply = _read_note(user, note.pk)
    reply.status_code = 201
    reply["Location"] = reverse("api-v1:note", args=[note.pk])
    return reply


@router.get("/notes/{note_id}", response={200: NoteOut}, url_name="note", summary="One note")
def get_note(request: HttpRequest, note_id: int) -> HttpResponse:
    return _read_note(_user(request), note_id)


@router.patch(
    "/notes/{note_id}",
    response={200: NoteOut},
    openapi_extra=IF_MATCH,
    summary="Change sections of your draft note",
    description="A signed note cannot be changed: the answer is 409 `note_signed`; add an "
    "addendum instead.",
)
def update_note(request: HttpRequest, note_id: int, payload: NotePatch) -> HttpResponse:
    user = _user(request)
    note = selectors.note_for_change(user, note_id)
    with _note_state():
        services.note_save_draft(
            actor=user,
            note=note,
            content=payload.content,
            expected_version=expected_version(request, payload.version),
        )
    return _read_note(user, note_id)


@router.post(
    "/notes/{note_id}/sign",
    response={200: NoteOut},
    openapi_extra=IF_MATCH_ONLY,
    summary="Sign your draft note",
    description="Every required section must be written. A note is signed once (a second "
    "time is 409 `note_signed`); from then on it is locked.",
)
def sign_note(request: HttpRequest, note_id: int) -> HttpResponse:
    user = _user(request)
    note = selectors.note_for_change(user, note_id)
    with _note_state():
        services.note_sign(actor=user, note=note, expected_version=expected_version(request, None))
    return _read_note(user, note_id)


@router.post(
    "/notes/{note_id}/cosign",
    response={200: NoteOut},
    openapi_extra=IF_MATCH_ONLY,
    summary="Co-sign a signed note, as a supervisor of its program",
    description="For a program that asks for a supervisor's co-signature. Only a supervisor "
    "of the note's program co-signs, and not their own note (403). A draft is 409 "
    "`note_draft`; a second co-signature is 409 `note_cosigned`; a note whose program did not "
    "ask for one is 409 `cosignature_not_required`.",
)
def cosign_note(request: HttpRequest, note_id: int) -> HttpResponse:
    user = _user(request)
    note = selectors.note_for_change(user, note_id)
    with _note_state():
        services.note_cosign(
            actor=user, note=note, expected_version=expected_version(request, None)
        )
    return _read_note(user, note_id)


@router.post(
    "/notes/{note_id}/addenda",
    response={201: AddendumOut},
    summary="Add a signed addendum to a signed note",
    description="An addendum goes on a signed note: to a draft it is 409 `note_draft` "
    "(edit the draft instead). It is signed when added and never changes.",
)
def add_addendum(request: HttpRequest, note_id: int, payload: AddendumCreate) -> HttpResponse:
    user = _user(request)
    note = selectors.note_for_change(user, note_id)
    with _note_state():
        addendum = services.addendum_add(actor=user, note=note, content=payload.content)
    return present.respond(_addendum(addendum), status=201)


@router.get(
    "/notes/{note_id}/fhir",
    response={200: None},
    openapi_extra=openapi.fhir_response(
        openapi.fhir_resource("DocumentReference", "A FHIR R4 DocumentReference.")
    ),
    url_name="note_fhir",
    summary="One note as a FHIR DocumentReference",
    description="A sensitive note read outside the care team has its content replaced by "
    "data-absent-reason `masked`.",
)
def get_note_fhir(request: HttpRequest, note_id: int) -> HttpResponse:
    note = selectors.note_detail(_user(request), note_id, purpose="api fhir")
    restricted = bool(getattr(note, "restricted", False))
    return _fhir(fhir.document_reference(note, restricted=restricted))
