"""Reads of screenings, needs and urgent flags. Everything starts from
`Person.objects.visible_to(user)`: out of scope raises DoesNotExist, which views turn
into 404. Reading a response records an audit event.

What the reader may not see (`intake.sensitive`, decided by the one sensitivity rule)
is left out before anything is returned: responses carry `shows_sensitive`, their
scores and answers are loaded without what is withheld, flags without their reason, and
needs the reader may not see come back as `RestrictedNeed`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.intake import sensitive
from alongside.intake.models import (
    Instrument,
    InstrumentVersion,
    Need,
    ScreeningLink,
    ScreeningResponse,
    UrgentFlag,
    UrgentFlagAction,
)
from alongside.intake.sensitive import RestrictedNeed
from alongside.lib import compiled
from alongside.lib.paging import page_of
from alongside.organizations.models import Organization
from alongside.people.models import Person
from alongside.people.selectors import audit_people, audit_person_view
from alongside.people.sensitivity import disclosure_for, sees_sensitive


def responses_for(user: Actor) -> QuerySet[ScreeningResponse]:
    """Responses of the people the user may see, each annotated `shows_sensitive`."""
    return ScreeningResponse.objects.filter(person__in=Person.objects.visible_to(user)).annotate(
        shows_sensitive=sees_sensitive(user, "person_id")
    )


def person_responses(user: Actor, person_id: int) -> QuerySet[ScreeningResponse]:
    """A person's responses, newest first, with the scores the user may see."""
    return (
        responses_for(user)
        .filter(person_id=person_id)
        .select_related("instrument_version__instrument")
        .prefetch_related(sensitive.scores_prefetch(user))
    )


def response_detail(user: Actor, pk: int) -> ScreeningResponse:
    """One response with its answers, scores and urgent flags as the user may see them,
    on whatever version it was started on (retired versions included)."""
    response = (
        responses_for(user)
        .select_related("instrument_version__instrument", "person", "started_by", "completed_by")
        .get(pk=pk)
    )
    prefetch_related_objects(
        [response],
        sensitive.answers_prefetch(response, user),
        sensitive.scores_prefetch(user),
        sensitive.flags_prefetch(response, user),
    )
    if not sensitive.shows_sensitive(response, user):
        for flag in response.urgent_flags.all():
            sensitive.restrict_flag(flag)
    audit.record_for_person(actor=user, action=Action.VIEW, person=response.person, obj=response)
    return response


def response_export(user: Actor, pk: int) -> ScreeningResponse:
    """A response read as `response_detail` does, to be exported (as FHIR): recorded as
    an export too."""
    response = response_detail(user, pk)
    return _recorded(user, Action.EXPORT, response, {"format": "fhir"})


def response_by_link(response: ScreeningResponse) -> ScreeningResponse:
    """The response a usable link opens (`services.link_for_token`), for the person
    answering it: recorded as a view by no user, through the link."""
    return _recorded(None, Action.VIEW, response, {"via": "link"})


def _recorded(
    user: Actor | None, action: Action, response: ScreeningResponse, detail: dict[str, Any]
) -> ScreeningResponse:
    audit.record_for_person(
        actor=user, action=action, person=response.person, obj=response, detail=detail
    )
    return response


def screening_history(user: Actor, person_id: int) -> tuple[Person, list[ScreeningResponse]]:
    """A person and all their responses, newest first, with the scores the user may see
    and who started and completed each; recorded as a view of the person's screening
    history. Raises Person.DoesNotExist out of scope."""
    person = Person.objects.visible_to(user).get(pk=person_id)
    audit_person_view(user, person, "screening history")
    responses = person_responses(user, person.pk).select_related("started_by", "completed_by")
    return person, list(responses)


def person_responses_listed(user: Actor, person: Person) -> list[ScreeningResponse]:
    """`person_responses` of a person already read in scope, recorded as one list event."""
    responses = list(person_responses(user, person.pk))
    _audit_list(user, person, "intake.screeningresponse", len(responses))
    return responses


def person_needs_listed(
    user: Actor, person: Person, *, open_only: bool = True
) -> list[Need | RestrictedNeed]:
    """`person_needs` of a person already read in scope, recorded as one list event."""
    needs = person_needs(user, person.pk, open_only=open_only)
    _audit_list(user, person, "intake.need", len(needs))
    return needs


def _audit_list(user: Actor, person: Person, object_type: str, count: int) -> None:
    audit.record_for_person(
        actor=user,
        action=Action.LIST,
        person=person,
        object_type=object_type,
        detail={"count": count},
    )


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


def link_of(response: ScreeningResponse, pk: int) -> ScreeningLink:
    """One of the response's links (the caller has checked access to the response);
    raises ScreeningLink.DoesNotExist otherwise."""
    return response.links.get(pk=pk)


def is_visible_response(user: Actor, pk: int) -> bool:
    """Whether the response is one of a person the user may see (nothing is read)."""
    return responses_for(user).filter(pk=pk).exists()


def person_needs(
    user: Actor, person_id: int, *, open_only: bool = True
) -> list[Need | RestrictedNeed]:
    """A person's needs, newest first; those the user may not see (safety, behavioral
    health) as `RestrictedNeed`, whose kind is never read from the database."""
    needs = (
        Need.objects.filter(person__in=Person.objects.visible_to(user), person_id=person_id)
        .annotate(
            shown=Case(
                When(sensitive.visible_needs(user), then=F("kind")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .defer("kind")
        .select_related("source_response__instrument_version__instrument")
    )
    if open_only:
        needs = needs.filter(status__in=Need.OPEN_STATUSES)
    found: list[Need | RestrictedNeed] = []
    for need in needs:
        if need.shown:  # type: ignore[attr-defined]
            need.kind = need.shown  # type: ignore[attr-defined]
            found.append(need)
        else:
            found.append(RestrictedNeed(need.pk, need.status))
    return found


def response_needs(user: Actor, response: ScreeningResponse) -> tuple[list[Need], int]:
    """The needs a response gave rise to that the user may see, and how many more there
    are that they may not."""
    needs = list(response.needs.all())
    if sensitive.shows_sensitive(response, user):
        return needs, 0
    shown = [n for n in needs if not sensitive.is_sensitive_need(n.kind)]
    return shown, len(needs) - len(shown)


def with_attempts(flags: QuerySet[UrgentFlag]) -> QuerySet[UrgentFlag]:
    """Flags, each annotated in the same query with what has been done about it so far:
    `attempts` (tries that did not reach the person), `last_attempt_at`, and
    `closed_with` (the kind of the action that closed it, if one did). For readers who
    may see a flag's details: what was done says what the flag was about."""
    closing = (
        UrgentFlagAction.objects.filter(flag=OuterRef("pk"))
        .exclude(kind__in=UrgentFlagAction.KEEPS_OPEN)
        .order_by("-taken_at", "-id")
        .values("kind")[:1]
    )
    tries = Q(actions__kind__in=UrgentFlagAction.KEEPS_OPEN)
    return flags.annotate(
        attempts=Count("actions", filter=tries),
        last_attempt_at=Max("actions__taken_at", filter=tries),
        closed_with=Subquery(closing),
    )


def urgent_flags_of(
    people: QuerySet[Any], *, open_only: bool = False, raised_since: dt.datetime | None = None
) -> QuerySet[UrgentFlag]:
    """The urgent flags of `people` (a query of people, or of their ids, that the caller
    scoped: the worklist's caseload, read through `visible_to`; the enrolled people a
    follow-up rule watches), unacknowledged ones only with `open_only`, raised since a
    time with `raised_since`. Without their reason: the caller says no more than that a
    result was urgent. The one read both the worklist and the follow-up trigger use."""
    flags = UrgentFlag.objects.filter(person_id__in=people)
    if open_only:
        flags = flags.filter(acknowledged_at__isnull=True)
    if raised_since is not None:
        flags = flags.filter(raised_at__gte=raised_since)
    return flags


def open_urgent_flags(user: Actor) -> QuerySet[UrgentFlag]:
    """Open flags of the people whose sensitive details the user may see (their care
    team, schedulers aside): a flag's reason gives its answers away. Written as EXISTS
    checks per open flag (open flags are few, people many)."""
    visible = Person.objects.visible_to(user).filter(pk=OuterRef("person_id"))
    return UrgentFlag.objects.filter(acknowledged_at__isnull=True).filter(
        sees_sensitive(user, "person_id"), Exists(visible)
    )


def open_urgent_flag_count(user: Actor) -> int:
    """How many open flags the user may act on (the navigation's "Urgent results (3)"):
    one query, none for a user who can see no one."""
    scope = scope_for(user)
    if scope.is_empty:
        return 0
    # The statement depends on the scope alone: built once per scope (lib/compiled.py).
    return compiled.count("intake.open_urgent_flags", scope, lambda: open_urgent_flags(user))


def urgent_flags_page(user: Actor, *, page: int, size: int) -> tuple[list[UrgentFlag], bool]:
    """A page of `open_urgent_flags`, oldest first, with what has been tried so far, and
    whether another page follows; recorded as a list of the people whose flags it shows."""
    flags, has_next = page_of(
        with_attempts(open_urgent_flags(user))
        .prefetch_related("person")
        .order_by("raised_at", "id"),
        page,
        size,
    )
    if flags:
        people = list({f.person_id: f.person for f in flags}.values())
        audit_people(user, people, Action.LIST, {"page": "urgent flags", "number": page})
    return flags, has_next


def flag_for(user: Actor, pk: int) -> UrgentFlag:
    """An urgent flag of a person the user may see, with the person; raises
    UrgentFlag.DoesNotExist otherwise."""
    return UrgentFlag.objects.select_related("person").get(
        pk=pk, person__in=Person.objects.visible_to(user)
    )


def flag_detail(user: Actor, pk: int) -> tuple[UrgentFlag, bool]:
    """An urgent flag with its screening, and its history (`actions`, oldest first, with
    who took each) when the user may see its details, and whether they may; recorded as
    a view of the flag. Raises UrgentFlag.DoesNotExist out of scope."""
    flag = (
        UrgentFlag.objects.filter(person__in=Person.objects.visible_to(user))
        .select_related("person", "acknowledged_by", "response__instrument_version__instrument")
        .prefetch_related("person__enrollments")
        .get(pk=pk)
    )
    shows = disclosure_for(user, flag.person).sensitive
    if shows:
        prefetch_related_objects([flag], sensitive.actions_prefetch())
    else:
        sensitive.restrict_flag(flag)
    audit.record_for_person(actor=user, action=Action.VIEW, person=flag.person, obj=flag)
    return flag, shows


def need_for(user: Actor, pk: int) -> Need:
    """A need of a person the user may see, with the person and the screening it came
    from; raises Need.DoesNotExist otherwise."""
    return Need.objects.select_related(
        "person", "source_response__instrument_version__instrument"
    ).get(pk=pk, person__in=Person.objects.visible_to(user))


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


def version_reloaded(pk: int) -> InstrumentVersion:
    """A version as saved now, with its instrument, re-read after a write (or a refused
    one) by a caller that has already checked access."""
    return InstrumentVersion.objects.select_related("instrument").get(pk=pk)


def has_draft(instrument: Instrument) -> bool:
    """Whether the instrument has a draft version (only one may be started at a time)."""
    return instrument.versions.filter(status=InstrumentVersion.Status.DRAFT).exists()


@dataclass(frozen=True)
class AnswerView:
    """An answer as a reader sees it: with its question and the chosen option's words,
    or withheld when the item is sensitive and the reader may not see it."""

    link_id: str
    text: str
    state: str
    value: Any
    display: str
    sensitive: bool
    withheld: bool


def answers_for(user: Actor, response: ScreeningResponse) -> list[AnswerView]:
    """The answers in question order. Answers to sensitive items (self-harm, safety at
    home, every item of a behavioral-health instrument) the user may not see are listed
    as withheld, whatever was answered (read through `response_detail`, they were never
    loaded)."""
    withheld = sensitive.withheld_items(response, user)
    marked = sensitive.sensitive_items(response.definition)
    stored = {a.link_id: a for a in response.answers.all()}
    views = []
    for entry in response.instrument_version.definition["items"]:
        link_id = entry["link_id"]
        answer = stored.get(link_id)
        if link_id in withheld:
            views.append(
                AnswerView(link_id, entry["text"], "", None, "", sensitive=True, withheld=True)
            )
            continue
        if answer is None:
            continue
        display = ""
        if answer.value is not None:
            options = {o["code"]: o["display"] for o in entry.get("options", [])}
            display = options.get(answer.value, str(answer.value))
        views.append(
            AnswerView(
                link_id=link_id,
                text=entry["text"],
                state=answer.state,
                value=answer.value,
                display=display,
                sensitive=link_id in marked,
                withheld=False,
            )
        )
    return views
