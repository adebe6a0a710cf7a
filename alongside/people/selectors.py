"""Reads of people's information. Everything starts from `Person.objects.visible_to`,
and reads of a person's information record an audit event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.people import search as finder
from alongside.people.models import Enrollment, Person, RecordChange


def people_for(user: Any) -> QuerySet[Person]:
    return Person.objects.visible_to(user)


def _with_languages(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.prefetch_related("languages")


def people_list(user: Any) -> QuerySet[Person]:
    return _with_languages(people_for(user)).order_by("legal_family_name", "legal_given_name", "id")


def people_search(user: Any, query: str, *, limit: int = 25) -> list[Person]:
    """Ranked matches for a query, recorded as one search event."""
    found = list(_with_languages(finder.search(people_for(user), query, limit=limit))[:limit])
    audit.record(
        actor=user,
        action="search",
        object_type="people.person",
        organization_id=scope_for(user).primary_organization_id,
        detail={"query": query[: finder.MAX_QUERY_LENGTH], "results": len(found)},
    )
    return found


def my_people(user: Any) -> QuerySet[Person]:
    """People whose open enrollment names this user as primary coordinator."""
    return (
        _with_languages(people_for(user))
        .filter(
            enrollments__primary_coordinator_id=user.pk,
            enrollments__status__in=Enrollment.OPEN_STATUSES,
        )
        .distinct()
        .order_by("legal_family_name", "legal_given_name", "id")
    )


# What a person's page shows with them, one query each; person_detail's `related` names
# fewer for a reader that shows less (the API's read of a person).
PERSON_PAGE = ("languages", "identifiers", "contact_points", "support_contacts", "enrollments")


def _related(name: str) -> str | Prefetch[Any]:
    # Made per query: a shared Prefetch's queryset would collect every query's hints.
    if name == "enrollments":
        return Prefetch(
            "enrollments",
            queryset=Enrollment.objects.select_related("program", "primary_coordinator"),
        )
    return name


def person_detail(
    user: Any, pk: int, *, purpose: str = "view", related: Iterable[str] = PERSON_PAGE
) -> Person:
    """One person with everything their page shows, in a fixed number of queries.
    Raises Person.DoesNotExist when out of scope, which callers turn into 404."""
    person = (
        people_for(user)
        .select_related("profile", "organization")
        .prefetch_related(*(_related(name) for name in related))
        .get(pk=pk)
    )
    audit.record(
        actor=user,
        action="view",
        obj=person,
        person_id=person.pk,
        organization_id=person.organization_id,
        detail={"purpose": purpose},
    )
    return person


def person_history(person: Person) -> QuerySet[RecordChange]:
    return person.changes.select_related("actor").order_by("-at", "-id")


def audit_people(user: Any, people: list[Person], action: str, detail: dict[str, Any]) -> None:
    """One event for a list or export, naming how many people it showed."""
    audit.record(
        actor=user,
        action=action,
        object_type="people.person",
        organization_id=scope_for(user).primary_organization_id,
        detail={**detail, "count": len(people), "ids": [p.pk for p in people][:500]},
    )
