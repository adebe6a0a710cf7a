"""Reads of people's information. Everything starts from `Person.objects.visible_to`,
reads of a person's information record an audit event, and what the reader may not see
of the person (`people.sensitivity`) is taken out before a read returns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Exists, Model, OuterRef, Prefetch, QuerySet

from alongside.accounts.actors import Actor
from alongside.accounts.scope import Scope, scope_for
from alongside.audit import services as audit
from alongside.audit.models import AuditEvent
from alongside.audit.readable import describe
from alongside.audit.selectors import events_for_people
from alongside.audit.services import Action
from alongside.lib import compiled
from alongside.lib.errors import NotPermitted
from alongside.lib.kept import kept
from alongside.lib.paging import page_of
from alongside.organizations.models import Program
from alongside.people import search as finder
from alongside.people.contributions import lineage_ids
from alongside.people.history_words import describe_changes
from alongside.people.models import (
    Enrollment,
    Person,
    RecordChange,
    organizations_reached,
    rows_reached,
)
from alongside.people.related_rows import inline_names, store_inline, with_rows
from alongside.people.sensitivity import disclosure_for, may_export, redact_change, redact_person

EXPORT_COLUMNS = [
    "id",
    "preferred_name",
    "legal_given_name",
    "legal_family_name",
    "pronouns",
    "date_of_birth",
    "languages",
]
MAX_EXPORT = 50_000
MAX_EXPORT_MATCHES = 1000
ACCESS_DENIED = "Only supervisors and organization admins see who accessed a record."

M = TypeVar("M", bound=Model)


def people_for(user: Actor) -> QuerySet[Person]:
    return Person.objects.visible_to(user)


def _with_languages(people: QuerySet[Person]) -> QuerySet[Person]:
    # On PostgreSQL in the same query as the people (people/related_rows.py).
    if inline_names(["languages"]):
        return with_rows(people, ["languages"])
    return people.prefetch_related("languages")


def people_list(user: Actor) -> QuerySet[Person]:
    return _with_languages(people_for(user)).order_by("legal_family_name", "legal_given_name", "id")


# The people each scope sees, as `people_for` builds them, kept per process for search
# (see `_searchable`); past this many the cache starts again.
KEPT_SCOPES = 1024
_visible: dict[Scope, QuerySet[Person]] = {}


def _searchable(user: Actor) -> QuerySet[Person]:
    """`people_for(user)`, built with the ORM once per process and scope (building the
    visibility rule's subquery took 0.15–0.3 ms of Python a search) and handed out as a
    fresh copy each time; the kept query itself is never run."""
    return kept(_visible, scope_for(user), lambda: people_for(user), KEPT_SCOPES).all()


_reaches: dict[Scope, finder.Reach] = {}


def _reach(user: Actor) -> finder.Reach:
    """Where the searcher's scope starts (`rows_reached`), kept per process and scope."""
    scope = scope_for(user)

    def make() -> finder.Reach:
        sql, params = rows_reached(scope)
        return finder.Reach(("people_for", scope), sql, params, organizations_reached(scope))

    return kept(_reaches, scope, make, KEPT_SCOPES)


def people_search(
    user: Actor, query: str, *, limit: int = 25, among: QuerySet[Person] | None = None
) -> list[Person]:
    """Ranked matches for a query, recorded as one search event. `among` narrows the
    people searched (those who could be seated in a session); never widens the user's
    scope."""
    people = _searchable(user) if among is None else people_for(user) & among
    # The SQL of people_for depends on the scope alone: the name tiers and the results
    # page compile once for it; a small scope's people are read first (where its rows
    # start, `rows_reached`; see people/search.py).
    key = ("people_for", scope_for(user)) if among is None else None
    reach = None if key is None else _reach(user)
    found = [
        store_inline(person)
        for person in finder.search_page(
            people, query, limit=limit, key=key, shown=_with_languages, reach=reach
        )
    ]
    audit.record(
        actor=user,
        action=Action.SEARCH,
        object_type="people.person",
        organization_id=scope_for(user).primary_organization_id,
        detail={"query": query[: finder.MAX_QUERY_LENGTH], "results": len(found)},
    )
    return found


def people_slice(user: Actor, *, offset: int, limit: int) -> list[Person]:
    """`limit` of the people the user may see, by name, from `offset`; recorded as one
    list event."""
    people = list(people_list(user)[offset : offset + limit])
    audit_people(user, people, Action.LIST, {"offset": offset, "limit": limit})
    return people


def people_page(user: Actor, *, page: int, size: int) -> tuple[list[Person], bool]:
    """A page of the people the user may see, by name, and whether another follows;
    recorded as one list event."""
    people, has_next = page_of(people_list(user), page, size)
    audit_people(user, people, Action.LIST, {"page": page})
    return people, has_next


def my_people(user: Actor) -> QuerySet[Person]:
    """People whose open enrollment names this user as primary coordinator. Asked with
    EXISTS (a semi-join), not a join and DISTINCT: that compared every column of every
    joined row, the inline languages included (the start page's table)."""
    return _coordinated_by(user, user.pk)


def _coordinated_by(user: Actor, coordinator_id: int | None) -> QuerySet[Person]:
    mine = Enrollment.objects.filter(
        person_id=OuterRef("pk"),
        primary_coordinator_id=coordinator_id,
        status__in=Enrollment.OPEN_STATUSES,
    )
    return (
        _with_languages(people_for(user))
        .filter(Exists(mine))
        .order_by("legal_family_name", "legal_given_name", "id")
    )


def my_first_people(user: Actor, limit: int) -> list[Person]:
    """The first `limit` of `my_people`, with their languages. On PostgreSQL (the
    languages read in the same query) the statement depends only on the user's scope
    and `limit`: compiled once per process (`lib.compiled`), the user's id its
    parameter; building it through the ORM cost more than the database takes to answer
    it (bench/README.md, "Hub")."""
    if user.pk is None or not inline_names(["languages"]):
        return list(my_people(user)[:limit])

    def first(coordinator_id: int) -> QuerySet[Person]:
        return _coordinated_by(user, coordinator_id)[:limit]

    found = compiled.objects("people.mine", (scope_for(user), limit), first, user.pk)
    return [store_inline(person) for person in found]


# What a person's page shows with them, one query each (on PostgreSQL, read with the
# person: people/related_rows.py); person_detail's `related` names fewer for a reader
# that shows less (the API's read of a person).
PERSON_PAGE = ("languages", "identifiers", "contact_points", "support_contacts", "enrollments")


def _related(name: str) -> str | Prefetch[Any]:
    # Made per query: a shared Prefetch's queryset would collect every query's hints.
    if name == "enrollments":
        return Prefetch(
            "enrollments",
            queryset=Enrollment.objects.select_related("program", "primary_coordinator"),
        )
    return name


def with_record(people: QuerySet[Person], related: Iterable[str] = PERSON_PAGE) -> QuerySet[Person]:
    """People with everything on their record that their page shows (profile, languages,
    identifiers, contacts, enrollments with program and coordinator), or the `related`
    part of it: a fixed number of queries however many there are. On PostgreSQL they
    come with the people themselves, in one query (`people.related_rows`)."""
    inline = inline_names(related)
    people = with_rows(people.select_related("profile", "organization"), inline)
    return people.prefetch_related(*(_related(name) for name in related if name not in inline))


def person_detail(
    user: Actor,
    pk: int,
    *,
    purpose: str = "view",
    related: Iterable[str] = PERSON_PAGE,
    recorded: bool = True,
) -> Person:
    """One person with everything their page shows, in a fixed number of queries, as
    the user may see them: an approach-with-care note they may not read is replaced by
    the notice that one exists (`sensitivity.redact_person`). Raises Person.DoesNotExist
    when out of scope, which callers turn into 404. `related` names fewer related rows for
    a reader that shows less (the API's read of a person). The read is recorded in the
    audit trail; with `recorded=False` the caller records it (`person_view`)."""
    person = _scoped_record(user, pk, tuple(related))
    if recorded:
        audit_person_view(user, person, purpose)
    redact_person(user, person)
    return person


def person_view(user: Actor, person: Person, purpose: str = "view") -> compiled.Write:
    """The event `audit_person_view` appends, as the write of a page's reads
    (`lib.compiled.together`: committed by the time the page is answered)."""
    return audit.read_of_person(actor=user, person=person, detail={"purpose": purpose})


def _scoped_record(user: Actor, pk: int, related: tuple[str, ...]) -> Person:
    """`with_record(people_for(user), related).get(pk=pk)`. Where every related row
    comes with the person (PostgreSQL), the statement is the ORM's, compiled once per
    process for the viewer's scope (everything `visible_to` reads) and `related`."""
    if inline_names(related) != list(related):  # prefetches: the ORM as it is
        return with_record(people_for(user), related).get(pk=pk)

    def build(pk: int) -> QuerySet[Person]:
        return with_record(people_for(user), related).filter(pk=pk)

    found = compiled.objects(
        "people.person_detail", (scope_for(user), related), build, pk, prepared=True
    )
    if not found:  # out of scope, merged away or no such person: the same answer
        raise Person.DoesNotExist("Person matching query does not exist.")
    return store_inline(found[0])


def person_for_timeline(user: Any, pk: int) -> Person:
    """The person whose timeline is read, with their enrollments and programs (for the
    sensitivity rule and the program filter); DoesNotExist when out of scope. The read
    of the timeline itself is recorded by `people.timeline.timeline_page`."""
    return with_record(people_for(user), ("enrollments",)).get(pk=pk)


def record_item(person: Person, model: type[M], pk: int) -> M:
    """One of the things on a person's record (a contact point, an enrollment, ...) read
    through the person the caller has already read in scope; DoesNotExist otherwise."""
    return model._default_manager.get(pk=pk, person=person)


def open_coordinators(person: Person) -> list[Any]:
    """The primary coordinators of the person's open enrollments (read with the person
    by `person_detail`)."""
    found = {
        e.primary_coordinator_id: e.primary_coordinator
        for e in person.enrollments.all()
        if e.is_open and e.primary_coordinator is not None
    }
    return list(found.values())


def coordinators_for(person: Person) -> QuerySet[Any]:
    """Staff who may be named a person's primary coordinator: the active staff of the
    person's organization."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__organization_id=person.organization_id)
        .distinct()
        .order_by("first_name", "last_name")
    )


def my_programs(user: Actor, *, organization_id: int | None = None) -> QuerySet[Program]:
    """Active programs the user works in or whose organization they administer (of one
    organization, when given): where they may register and enroll people."""
    scope = scope_for(user)
    programs = Program.objects.filter(is_active=True).filter(
        pk__in=scope.program_ids
    ) | Program.objects.filter(is_active=True, organization_id__in=scope.admin_organization_ids)
    if organization_id is not None:
        programs = programs.filter(organization_id=organization_id)
    return programs


def access_events(user: Actor, person: Person) -> list[AuditEvent]:
    """Who accessed the person's record (and the records merged into it), for those the
    sensitivity rule shows the access log to; NotPermitted for anyone else."""
    if not disclosure_for(user, person).access_log:
        raise NotPermitted(ACCESS_DENIED)
    events = list(events_for_people(lineage_ids(person.pk)))
    describe(user, events, search_terms=False)
    return events


def person_history(user: Actor, person: Person, *, limit: int = 200) -> list[RecordChange]:
    """The latest changes to a person's record, newest first, with the values of fields
    the user may not read (an approach-with-care note) restricted."""
    disclosure = disclosure_for(user, person)
    changes = list(person.changes.select_related("actor").order_by("-at", "-id")[:limit])
    for change in changes:
        if change.sensitive:
            change.changes = redact_change(change.changes, disclosure)
    describe_changes(changes)
    return changes


def audit_person_view(user: Actor, person: Person, purpose: str) -> None:
    """One event for a read of the person's record, saying what it was read for."""
    audit.record_for_person(
        actor=user, action=Action.VIEW, person=person, obj=person, detail={"purpose": purpose}
    )


def audit_people(user: Actor, people: list[Person], action: Action, detail: dict[str, Any]) -> None:
    """One event for a list or export, naming how many people it showed."""
    audit.record(
        actor=user,
        action=action,
        object_type="people.person",
        organization_id=scope_for(user).primary_organization_id,
        detail={**detail, "count": len(people), "ids": [p.pk for p in people][:500]},
    )


def people_export(user: Actor, query: str = "") -> Iterator[list[Any]]:
    """The export as rows (a header, then one a person) of the people the user may see,
    or of their search; recorded as one export event. Exports are for supervisors and
    organization admins: anyone else is refused with NotPermitted."""
    if not may_export(user):
        raise NotPermitted("Exports are for supervisors and organization admins.")
    query = query.strip()[:200]
    people = (
        people_search(user, query, limit=MAX_EXPORT_MATCHES)
        if query
        else list(people_list(user)[:MAX_EXPORT])
    )
    audit_people(user, people, Action.EXPORT, {"query": query, "format": "csv"})
    return _export_rows(people)


def _export_rows(people: list[Person]) -> Iterator[list[Any]]:
    yield EXPORT_COLUMNS
    for p in people:
        yield [
            p.pk,
            p.preferred_name,
            p.legal_given_name,
            p.legal_family_name,
            p.pronouns,
            p.date_of_birth or "",
            "; ".join(lang.name for lang in p.languages.all()),
        ]
