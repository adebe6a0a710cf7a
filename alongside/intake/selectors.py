"""Reads of screenings, needs and urgent flags. Everything starts from
`Person.objects.visible_to(user)`: out of scope raises DoesNotExist, which views turn
into 404. Reading a response records an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from alongside.audit import services as audit
from alongside.intake.models import (
    Answer,
    InstrumentVersion,
    Need,
    ScreeningResponse,
    UrgentFlag,
)
from alongside.people.models import Person
from alongside.people.permissions import can_see_care_notes


def responses_for(user: Any) -> QuerySet[ScreeningResponse]:
    return ScreeningResponse.objects.filter(person__in=Person.objects.visible_to(user))


def person_responses(user: Any, person_id: int) -> QuerySet[ScreeningResponse]:
    return (
        responses_for(user)
        .filter(person_id=person_id)
        .select_related("instrument_version__instrument")
        .prefetch_related("scores")
    )


def response_detail(user: Any, pk: int) -> ScreeningResponse:
    """One response with its answers and scores, on whatever version it was started on
    (retired versions included)."""
    response = (
        responses_for(user)
        .select_related("instrument_version__instrument", "person")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("id")), "scores", "urgent_flags"
        )
        .get(pk=pk)
    )
    audit.record(
        actor=user,
        action="view",
        obj=response,
        person_id=response.person_id,
        organization_id=response.person.organization_id,
    )
    return response


def person_needs(user: Any, person_id: int, *, open_only: bool = True) -> QuerySet[Need]:
    needs = Need.objects.filter(
        person__in=Person.objects.visible_to(user), person_id=person_id
    ).select_related("source_response__instrument_version__instrument")
    return needs.filter(status__in=Need.OPEN_STATUSES) if open_only else needs


def open_urgent_flags(user: Any) -> QuerySet[UrgentFlag]:
    return UrgentFlag.objects.filter(
        person__in=Person.objects.visible_to(user), acknowledged_at__isnull=True
    ).select_related("person")


def active_versions() -> QuerySet[InstrumentVersion]:
    """Instruments staff can start today (instrument definitions are not personal data)."""
    return InstrumentVersion.objects.filter(status=InstrumentVersion.Status.ACTIVE).select_related(
        "instrument"
    )


@dataclass(frozen=True)
class AnswerView:
    """An answer as a reader sees it: with its question and the chosen option's words,
    or withheld when the item is sensitive and the reader is not on the care team."""

    link_id: str
    text: str
    state: str
    value: Any
    display: str
    sensitive: bool
    withheld: bool


def answers_for(user: Any, response: ScreeningResponse) -> list[AnswerView]:
    """The answers in question order. Answers to sensitive items (self-harm, safety at
    home) are shown only to the person's care team, like other sensitive details."""
    care_team = can_see_care_notes(user, response.person)
    stored = {a.link_id: a for a in response.answers.all()}
    views = []
    for entry in response.instrument_version.definition["items"]:
        answer = stored.get(entry["link_id"])
        if answer is None:
            continue
        sensitive = bool(entry.get("sensitive", False))
        withheld = sensitive and not care_team
        value = None if withheld else answer.value
        display = ""
        if value is not None:
            options = {o["code"]: o["display"] for o in entry.get("options", [])}
            display = options.get(value, str(value))
        views.append(
            AnswerView(
                link_id=answer.link_id,
                text=entry["text"],
                state=answer.state,
                value=value,
                display=display,
                sensitive=sensitive,
                withheld=withheld,
            )
        )
    return views
