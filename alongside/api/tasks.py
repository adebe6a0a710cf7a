"""Tasks: list mine and my teams' queues, a person's tasks, create, change (edit,
assign, start, complete, cancel), and one task as a FHIR Task.

Reads go through `tasks.selectors` (scoped to the people the user may see, and audited);
writes through `tasks.services` (checked, versioned, audited)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router
from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from alongside.api import lookups, openapi, present
from alongside.api.concurrency import expected_version
from alongside.api.errors import ApiError, invalid
from alongside.api.schemas import (
    MAX_TEXT,
    STORABLE,
    Id,
    In,
    Text200,
    Text500,
    Version,
    _optional,
    _storable,
)
from alongside.encounters import selectors as encounter_selectors
from alongside.encounters import services as encounter_services
from alongside.people.models import Person
from alongside.people.sensitivity import RESTRICTED_ENGLISH
from alongside.tasks import fhir, presenting, selectors, services
from alongside.tasks.models import Task

router = Router(tags=["tasks"])

FHIR_JSON = "application/fhir+json; charset=utf-8"
MAX_LIMIT = 100
IF_MATCH = openapi.if_match(version_field=True)

PriorityCode = Literal["routine", "urgent", "asap", "stat"]
StatusCode = Literal["todo", "in_progress", "done", "cancelled"]


def _in_range(value: dt.datetime) -> dt.datetime:
    """A time the database can hold, whatever its offset."""
    if not 2000 <= value.year <= 9000:
        raise ValueError("Give a time between the years 2000 and 9000.")
    return value


Due = Annotated[AwareDatetime, AfterValidator(_in_range)]
Title = Annotated[str, Field(min_length=1), Text200]
Description = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_storable), STORABLE]


class TaskCreate(In):
    program_id: Id = Field(description="A program you work in; its team queue holds the task.")
    person_id: Id | None = Field(None, description="The person the task is about.")
    assignee_id: Id | None = Field(
        None, description="Someone who works in the program; none puts it in the team queue."
    )
    title: Title
    description: Description = ""
    due_at: Due = Field(description="When it is due, with a time zone; not in the past.")
    priority: PriorityCode = "routine"
    sensitive: bool = Field(
        False,
        description="Only the person's care team reads what the task says; anyone else "
        "who sees the person sees a neutral title.",
    )


class TaskPatch(In):
    title: Title = _optional()
    description: Description = _optional()
    due_at: Due = _optional()
    priority: PriorityCode = _optional()
    assignee_id: Id | None = Field(None, description="null puts the task in the team queue.")
    status: StatusCode = _optional()
    resolution: Text500 = Field("", description="Why it is cancelled (required to cancel).")
    version: Version | None = None


class TaskOut(BaseModel):
    id: int
    person_id: int | None
    program_id: int
    assignee_id: int | None
    title: str
    description: str
    due_at: dt.datetime
    priority: str
    status: str
    resolution: str
    origin: str
    why: str
    sensitive: bool = Field(description="Made from a sensitive source, or marked so.")
    restricted: bool = Field(
        description="You may not read what this sensitive task says: `title` is neutral, "
        f'`description` is "{RESTRICTED_ENGLISH}" and `why` is empty.'
    )
    created_at: dt.datetime
    version: int
    fhir_url: str


class TaskPage(BaseModel):
    items: list[TaskOut]
    has_more: bool


class NoteTasks(BaseModel):
    items: list[TaskOut] = Field(description="One task per next step, in the note's order.")
    created: bool = Field(description="Made by this request (201), or made before (200).")


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def task_out(task: Task) -> TaskOut:
    return TaskOut.model_construct(
        id=task.pk,
        person_id=task.person_id,
        program_id=task.program_id,
        assignee_id=task.assignee_id,
        title=task.title,
        description=task.description,
        due_at=task.due_at,
        priority=task.priority,
        status=task.status,
        resolution=task.resolution,
        origin=task.origin,
        why=task.why,
        sensitive=task.sensitive,
        restricted=getattr(task, "restricted", True),
        created_at=task.created_at,
        version=task.version,
        fhir_url=reverse("api-v1:task_fhir", args=[task.pk]),
    )


def _assignee(program_id: int, user_id: int | None) -> Any:
    if user_id is None:
        return None
    staff = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if staff is None:
        raise invalid("assignee_id", "Choose someone who works in the task's program.")
    return staff


def _person(user: Any, person_id: int) -> Person:
    """A person named in a body: unknown and out of sight answer alike, as a field error
    (a 404 is for what the path names)."""
    try:
        return lookups.visible_person(user, person_id)
    except Person.DoesNotExist:
        raise invalid("person_id", "Choose a person you work with.") from None


@router.get("/tasks", response={200: TaskPage}, summary="My tasks and my teams' queues")
def list_tasks(
    request: HttpRequest,
    view: Annotated[Literal["all", "mine", "team"], Query()] = "all",
    status: Annotated[Literal["open", "done", "cancelled"], Query()] = "open",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = settings.PAGE_SIZE,
) -> HttpResponse:
    user = _user(request)
    filters = selectors.Filters(view=view, status=status)
    rows, more = selectors.my_tasks_page(user, filters, page, limit)
    return present.respond(
        TaskPage.model_construct(items=[task_out(t) for t in rows], has_more=more)
    )


@router.get(
    "/people/{person_id}/tasks",
    response={200: list[TaskOut]},
    summary="A person's tasks, open first and soonest due",
)
def list_person_tasks(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = lookups.visible_person(user, person_id)
    rows = selectors.person_tasks_listed(user, person)
    return present.respond([task_out(t) for t in rows])


@router.post("/tasks", response={201: TaskOut}, summary="Add a task")
def create_task(request: HttpRequest, payload: TaskCreate) -> HttpResponse:
    user = _user(request)
    program = lookups.manageable_program(user, payload.program_id)
    person = None if payload.person_id is None else _person(user, payload.person_id)
    task = services.task_create(
        actor=user,
        program=program,
        person=person,
        assignee=_assignee(program.pk, payload.assignee_id),
        data=payload.model_dump(include=set(services.EDITABLE)),
        sensitive=payload.sensitive,
    )
    task = presenting.shown(user, task)
    return present.respond(
        task_out(task),
        status=201,
        version=task.version,
        location=reverse("api-v1:task", args=[task.pk]),
    )


@router.get("/tasks/{task_id}", response={200: TaskOut}, url_name="task", summary="One task")
def get_task(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_detail(_user(request), task_id)
    return present.respond(task_out(task), version=task.version)


@router.patch(
    "/tasks/{task_id}",
    response={200: TaskOut},
    openapi_extra=IF_MATCH,
    summary="Change a task: edit, assign, start, complete or cancel it",
)
def update_task(request: HttpRequest, task_id: int, payload: TaskPatch) -> HttpResponse:
    user = _user(request)
    task = selectors.task_for_change(user, task_id)
    sent = payload.model_fields_set
    task = services.task_change(
        actor=user,
        task=task,
        data=payload.model_dump(include=set(services.EDITABLE) & sent),
        version=expected_version(request, payload.version),
        assignee=(
            _assignee(task.program_id, payload.assignee_id)
            if "assignee_id" in sent
            else services.KEEP
        ),
        status=payload.status if "status" in sent else None,
        resolution=payload.resolution,
    )
    task = presenting.shown(user, task)
    return present.respond(task_out(task), version=task.version)


@router.get(
    "/tasks/{task_id}/fhir",
    response={200: None},
    openapi_extra=openapi.fhir_response(),
    url_name="task_fhir",
    summary="One task as a FHIR Task",
)
def get_task_fhir(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_detail(_user(request), task_id)
    reply = HttpResponse(json.dumps(fhir.task(task), ensure_ascii=False), content_type=FHIR_JSON)
    reply["Cache-Control"] = "no-store"
    return reply


@router.post(
    "/notes/{note_id}/tasks",
    response={200: NoteTasks, 201: NoteTasks},
    summary="Make tasks from a signed note's next steps",
    description="One routine task per line of the note's agreed next steps, assigned to its "
    "author (the program's team queue when they no longer work there) and due in a week, as "
    "the note page's action does; for the person's care team (others 403). Safe to repeat: "
    "the tasks are made once, and a repeat answers 200 with the same tasks and `created` "
    "false. A draft is 409 `note_draft` (sign it first); a note without next steps is 422. "
    "A sensitive note's tasks are sensitive (see `restricted`).",
)
def make_note_tasks(request: HttpRequest, note_id: int) -> HttpResponse:
    user = _user(request)
    note = encounter_selectors.note_for_change(user, note_id)
    person = note.encounter.person
    try:
        made = encounter_services.note_tasks_create(actor=user, note=note)
    except encounter_services.NoteLocked as locked:
        raise ApiError(409, str(locked), code=locked.code) from locked
    except DjangoValidationError as error:
        if getattr(error, "code", None) != encounter_services.TASKS_MADE_CODE:
            raise
        rows = selectors.note_tasks(user, person, note.pk)
        page = NoteTasks.model_construct(items=[task_out(t) for t in rows], created=False)
        return present.respond(page)
    shown = [presenting.shown(user, t) for t in made]
    page = NoteTasks.model_construct(items=[task_out(t) for t in shown], created=True)
    return present.respond(page, status=201)
