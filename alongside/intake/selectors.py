"""Reads of screenings, needs and urgent flags. Everything starts from
`Person.objects.visible_to(user)`: out of scope raises DoesNotExist, which views turn
into 404. Reading a response records an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.intake.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Need,
    ScreeningLink,
    ScreeningResponse,
    UrgentFlag,
)
from alongside.organizations.models import Organization
from alongside.people.models import Enrollment, Person
from alongside.people.permissions import can_see_sensitive_answers


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
        .select_related("instrument_version__instrument", "person", "started_by", "completed_by")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("id")),
            "scores",
            Prefetch("urgent_flags", queryset=UrgentFlag.objects.select_related("acknowledged_by")),
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


def response_reloaded(pk: int) -> ScreeningResponse:
    """A response as saved now, re-read after a write (or a refused one) by a caller
    that has already checked access; records no audit event of its own."""
    return ScreeningResponse.objects.select_related("instrument_version__instrument", "person").get(
        pk=pk
    )


def open_links(response: ScreeningResponse) -> list[ScreeningLink]:
    """Links for this screening that still work (the caller has checked access)."""
    return list(
        response.links.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).select_related("created_by")
    )


def person_needs(user: Any, person_id: int, *, open_only: bool = True) -> QuerySet[Need]:
    needs = Need.objects.filter(
        person__in=Person.objects.visible_to(user), person_id=person_id
    ).select_related("source_response__instrument_version__instrument")
    return needs.filter(status__in=Need.OPEN_STATUSES) if open_only else needs


def open_urgent_flags(user: Any) -> QuerySet[UrgentFlag]:
    """Open flags of the people whose sensitive details the user may see (their care
    team, schedulers aside): a flag's reason gives its answers away. Written as EXISTS
    checks per open flag (open flags are few, people many)."""
    scope = scope_for(user)
    on_team = Enrollment.objects.filter(
        person_id=OuterRef("person_id"), status__in=Enrollment.OPEN_STATUSES
    ).filter(Q(program_id__in=scope.care_program_ids) | Q(primary_coordinator_id=scope.user_id))
    visible = Person.objects.visible_to(user).filter(pk=OuterRef("person_id"))
    return (
        UrgentFlag.objects.filter(acknowledged_at__isnull=True)
        .filter(Exists(on_team), Exists(visible))
        .prefetch_related("person")
    )


def hidden_scores(definition: dict[str, Any]) -> set[str]:
    """Scores that add up a sensitive item: they say what its answer was."""
    sensitive = {e["link_id"] for e in definition["items"] if e.get("sensitive")}
    return {s["name"] for s in definition.get("scores", []) if sensitive & set(s["items"])}


def active_versions(organization: Organization | int) -> QuerySet[InstrumentVersion]:
    """Instruments the organization's staff can start today: the shipped ones and the
    organization's own (instrument definitions are not personal data)."""
    return (
        InstrumentVersion.objects.filter(status=InstrumentVersion.Status.ACTIVE)
        .filter(usable_by(organization, prefix="instrument__"))
        .select_related("instrument")
    )


def usable_by(organization: Organization | int, *, prefix: str = "") -> Q:
    """Instruments an organization may use: shipped (no organization) or its own."""
    return Q(**{f"{prefix}organization__isnull": True}) | Q(
        **{f"{prefix}organization": organization}
    )


# ---------------------------------------------------------------- instrument builder


def builder_instruments(organization: Organization) -> QuerySet[Instrument]:
    """The organization's own instruments, then the shipped ones, each with its versions
    (without their definitions) in `version_list`: two queries however many there are."""
    versions = InstrumentVersion.objects.defer("definition").order_by("-created_at", "-id")
    return (
        Instrument.objects.filter(usable_by(organization))
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="version_list"))
        .order_by(F("organization").asc(nulls_last=True), "title", "pk")
    )


def builder_instrument(organization: Organization, pk: int) -> Instrument:
    """One instrument the organization may see in the builder, with `version_list`;
    raises Instrument.DoesNotExist for another organization's."""
    return builder_instruments(organization).get(pk=pk)


def builder_version(organization: Organization, instrument_pk: int, pk: int) -> InstrumentVersion:
    """One version of an instrument the organization may see; raises
    InstrumentVersion.DoesNotExist otherwise."""
    return (
        InstrumentVersion.objects.filter(usable_by(organization, prefix="instrument__"))
        .select_related("instrument")
        .get(instrument_id=instrument_pk, pk=pk)
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


def withheld_items(user: Any, response: ScreeningResponse) -> set[str]:
    """The sensitive items whose answers this reader may not see."""
    if can_see_sensitive_answers(user, response.person):
        return set()
    return {e["link_id"] for e in response.definition["items"] if e.get("sensitive")}


def answers_for(user: Any, response: ScreeningResponse) -> list[AnswerView]:
    """The answers in question order. Answers to sensitive items (self-harm, safety at
    home) are shown only to the person's care team, like other sensitive details."""
    care_team = can_see_sensitive_answers(user, response.person)
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
