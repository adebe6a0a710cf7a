"""Reads of the audit trail for its browser. Looking at the trail is itself recorded: each
read here appends an event saying who looked, at what, in which organization."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from alongside.accounts.actors import Actor
from alongside.audit import services as audit
from alongside.audit.models import AuditEvent
from alongside.audit.readable import describe, find_people
from alongside.audit.selectors import ChainReport, events_for_organization, verify_chain
from alongside.audit.services import Action, AuditChainBroken
from alongside.oversight.describe import sees_search_terms

PAGE_SIZE = 25
# People found by name whose events a filter keeps: enough for every namesake of a
# common name in a large organization, few enough to keep the query one IN list.
NAME_MATCHES = 50


@dataclass(frozen=True)
class TrailPage:
    events: list[AuditEvent]  # newest first, each with `actor_name`
    has_newer: bool
    has_older: bool


def trail_page(
    user: Actor,
    organization_id: int,
    filters: dict[str, Any],
    *,
    before: int | None = None,
    after: int | None = None,
) -> TrailPage:
    """One page of the organization's events matching `filters`, by keyset on id (so
    every page costs one query however deep it is), each event described in words
    (`describe`), recorded as one list event. A `name` filter keeps the events about
    people the user may see whose name matches it."""
    query = {k: v for k, v in filters.items() if k != "name"}
    if filters.get("name"):
        query["person_ids"] = find_people(user, filters["name"], NAME_MATCHES)
    page = _page(events_for_organization(organization_id, **query), before, after)
    names = _actor_names(page.events)
    for event in page.events:
        event.actor_name = names.get(event.actor_id or 0, "")  # type: ignore[attr-defined]
    describe(user, page.events, search_terms=sees_search_terms(user, organization_id))
    return _listed(user, organization_id, filters, page)


def nothing_listed(user: Actor, organization_id: int) -> TrailPage:
    """No page (the filters were not valid), recorded as a list that showed nothing."""
    return _listed(user, organization_id, {}, TrailPage([], False, False))


def _listed(
    user: Actor, organization_id: int, filters: dict[str, Any], page: TrailPage
) -> TrailPage:
    audit.record(
        actor=user,
        action=Action.LIST,
        object_type="audit.auditevent",
        organization_id=organization_id,
        detail={
            "filters": {k: v for k, v in filters.items() if v not in ("", None)},
            "count": len(page.events),
            "first_id": page.events[0].pk if page.events else None,
        },
    )
    return page


def chain_check(user: Actor, organization_id: int) -> ChainReport:
    """Check the whole chain (all organizations share one); recorded as a view. A chain
    whose head is missing takes no event, the record of this check included: the check
    then reports the chain broken rather than failing."""
    report = verify_chain()
    try:
        # A savepoint, so a refused append leaves the request's transaction usable.
        with transaction.atomic():
            audit.record(
                actor=user,
                action=Action.VIEW,
                object_type="audit.auditevent",
                organization_id=organization_id,
                detail={
                    "verify_chain": "ok" if report.ok else "broken",
                    "checked": report.checked,
                    "broken_at": report.broken_at,
                },
            )
    except AuditChainBroken:
        if report.ok:  # the head went missing after the walk
            return ChainReport(report.checked, None, "the chain head is missing")
    return report


def _page(events: Any, before: int | None, after: int | None) -> TrailPage:
    if after is not None:
        rows = list(events.filter(id__gt=after).order_by("id")[: PAGE_SIZE + 1])
        has_newer = len(rows) > PAGE_SIZE
        return TrailPage(list(reversed(rows[:PAGE_SIZE])), has_newer, True)
    if before is not None:
        events = events.filter(id__lt=before)
    rows = list(events[: PAGE_SIZE + 1])
    return TrailPage(rows[:PAGE_SIZE], before is not None, len(rows) > PAGE_SIZE)


def _actor_names(events: list[AuditEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    return {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=ids)}
