"""Reads of people's information. Everything starts from `Person.objects.visible_to`,
reads of a person's information record an audit event, and what the reader may not see
of the person (`people.sensitivity`) is taken out before a read returns."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.people import search as finder
from alongside.people.models import Enrollment, Person, RecordChange
from alongside.people.sensitivity import disclosure_for, redact_change, redact_person


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


def person_detail(user: Any, pk: int, *, purpose: str = "view") -> Person:
    """One person with everything their page shows, in a fixed number of queries, as
    the user may see them: an approach-with-care note they may not read is replaced by
    the notice that one exists (`sensitivity.redact_person`). Raises Person.DoesNotExist
    when out of scope, which callers turn into 404."""
    person = (
        people_for(user)
        .select_related("profile", "organization")
        .prefetch_related(
            "languages",
            "identifiers",
            "contact_points",
            "support_contacts",
            Prefetch(
                "enrollments",
                queryset=Enrollment.objects.select_related("program", "primary_coordinator"),
            ),
        )
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
    redact_person(user, person)
    return person


def person_history(user: Any, person: Person, *, limit: int = 200) -> list[RecordChange]:
    """The latest changes to a person's record, newest first, with the values of fields
    the user may not read (an approach-with-care note) restricted."""
    disclosure = disclosure_for(user, person)
    changes = list(person.changes.select_related("actor").order_by("-at", "-id")[:limit])
    for change in changes:
        if change.sensitive:
            change.changes = redact_change(change.changes, disclosure)
    return changes


def audit_people(user: Any, people: list[Person], action: str, detail: dict[str, Any]) -> None:
    """One event for a list or export, naming how many people it showed."""
    audit.record(
        actor=user,
        action=action,
        object_type="people.person",
        organization_id=scope_for(user).primary_organization_id,
        detail={**detail, "count": len(people), "ids": [p.pk for p in people][:500]},
    )
