"""A person's journey timeline: a page of entries, newest first, as far as the caller may
see them (entries of programs they do not work in left out; sensitive details restricted
outside the care team), read through `people.timeline.timeline_page` (one indexed query,
audited) with a cursor for the next page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from alongside.api import present, schemas
from alongside.api.errors import invalid
from alongside.people import selectors, timeline
from alongside.people.sensitivity import RESTRICTED_ENGLISH

router = Router(tags=["timeline"])

Cursor = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,20}\.0*[1-9][0-9]{0,19}$")]
Group = schemas.Label  # stripped, up to 40 characters, storable


class EntryOut(Schema):
    id: int
    kind: str
    label: str
    group: str
    occurred_at: dt.datetime
    actor: str
    program: str
    summary: str = Field(description="For anyone who may see the person.")
    details: str = Field(description=f'"{RESTRICTED_ENGLISH}" when `restricted`.')
    restricted: bool
    link: str


class TimelinePageOut(Schema):
    results: list[EntryOut]
    next_cursor: str | None = Field(description="Send as `cursor` for the older entries.")


@router.get(
    "/people/{person_id}/timeline",
    response={200: TimelinePageOut},
    summary="A person's journey timeline, newest first",
    description="Filter by kind `group`, `program_id` and period (`since`, `until`: whole "
    "days, inclusive); a group or program with nothing for you, or a period that ends "
    "before it starts, gives no entries. Pages follow `next_cursor`.",
)
def get_timeline(
    request: HttpRequest,
    person_id: int,
    group: Annotated[Group | None, Query()] = None,
    program_id: Annotated[int | None, Query(ge=1, le=schemas.MAX_ID)] = None,
    since: Annotated[schemas.Date | None, Query()] = None,
    until: Annotated[schemas.Date | None, Query()] = None,
    cursor: Annotated[Cursor | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=timeline.MAX_PAGE_SIZE)] = timeline.PAGE_SIZE,
) -> HttpResponse:
    user: Any = request.auth  # type: ignore[attr-defined]
    person = selectors.person_for_timeline(user, person_id)
    start, end = timeline.period(since, until)
    chosen = timeline.TimelineFilter(
        groups=(group,) if group else (),  # an empty group is every kind
        program_id=program_id,
        since=start,
        until=end,
    )
    try:
        page = timeline.timeline_page(user, person, chosen=chosen, cursor=cursor or "", limit=limit)
    except ValueError as error:
        raise invalid("cursor", str(error)) from error
    results = [EntryOut.model_construct(**vars(entry)) for entry in page.entries]
    return present.respond(
        TimelinePageOut.model_construct(results=results, next_cursor=page.next_cursor)
    )
