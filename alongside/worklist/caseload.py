"""Reads for the caseload view (filters, counts, pages) and the team page (each
teammate's caseload and worklist size), in a fixed number of queries however many
people or teammates there are."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit.services import Action
from alongside.lib.paging import page_of
from alongside.organizations.models import Program
from alongside.people.contributions import caseload_filters
from alongside.people.models import Enrollment, Person
from alongside.people.selectors import audit_people
from alongside.worklist.reasons import no_contact_days
from alongside.worklist.selectors import (
    caseload_of,
    find_items,
    split_decided,
    standing_decisions,
    teammates,
    with_care_note_flag,
)

CONTACT_CHOICES = [
    ("", "Any time"),
    ("never", "Never contacted"),
    ("week", "In the last 7 days"),
    ("recent", "Within the contact rule"),
    ("overdue", "Longer ago than the contact rule"),
]


@dataclass(frozen=True)
class Filters:
    program: Program | None = None
    status: str = ""
    contact: str = ""
    # Contributed filters (people.contributions.caseload_filters): key -> chosen value.
    contributed: Mapping[str, str] = field(default_factory=dict)


@dataclass
class CaseloadPage:
    people: list[Person]
    has_next: bool
    matching: int
    total: int
    never: int
    overdue: int
    days: int


def _contact(people: QuerySet[Person], contact: str, now: dt.datetime) -> QuerySet[Person]:
    cutoff = now - dt.timedelta(days=no_contact_days())
    conditions = {
        "never": Q(last_contacted_at__isnull=True),
        "week": Q(last_contacted_at__gte=now - dt.timedelta(days=7)),
        "recent": Q(last_contacted_at__gte=cutoff),
        "overdue": Q(last_contacted_at__lt=cutoff),
    }
    return people.filter(conditions[contact]) if contact in conditions else people


def _filtered(
    viewer: User, people: QuerySet[Person], filters: Filters, now: dt.datetime
) -> QuerySet[Person]:
    enrollments = Enrollment.objects.filter(
        person_id=OuterRef("pk"), status__in=Enrollment.OPEN_STATUSES
    )
    if filters.program is not None:
        enrollments = enrollments.filter(program=filters.program)
    if filters.status:
        enrollments = enrollments.filter(status=filters.status)
    if filters.program is not None or filters.status:
        people = people.filter(Exists(enrollments))
    for contribution in caseload_filters:
        value = filters.contributed.get(contribution.key)
        if value:
            people = contribution.apply(viewer, people, value)
    return _contact(people, filters.contact, now)


def caseload_page(
    viewer: User, filters: Filters, *, page: int, size: int, now: dt.datetime | None = None
) -> CaseloadPage:
    """A page of the viewer's caseload matching the filters, by name, with counts of the
    whole caseload; recorded as one list event."""
    now = now or timezone.now()
    caseload = caseload_of(viewer)
    cutoff = now - dt.timedelta(days=no_contact_days())
    counts = caseload.aggregate(
        total=Count("pk"),
        never=Count("pk", filter=Q(last_contacted_at__isnull=True)),
        overdue=Count("pk", filter=Q(last_contacted_at__lt=cutoff)),
    )
    filtered = _filtered(viewer, caseload, filters, now)
    open_enrollments = Enrollment.objects.filter(status__in=Enrollment.OPEN_STATUSES)
    rows = (
        with_care_note_flag(filtered)
        .prefetch_related(
            Prefetch("enrollments", queryset=open_enrollments.select_related("program"))
        )
        .order_by("legal_family_name", "legal_given_name", "id")
    )
    people, has_next = page_of(rows, page, size)
    audit_people(viewer, people, Action.LIST, {"page": "caseload", "number": page})
    return CaseloadPage(
        people=people,
        has_next=has_next,
        matching=filtered.count(),
        total=counts["total"],
        never=counts["never"],
        overdue=counts["overdue"],
        days=no_contact_days(),
    )


@dataclass(frozen=True)
class TeamMember:
    user: User
    caseload: int | None  # None: sizes are for supervisors and organization admins
    worklist: int | None


def team(viewer: User, *, with_sizes: bool, now: dt.datetime | None = None) -> list[TeamMember]:
    """The viewer's teammates, with (for those who oversee a team) how many people each
    coordinates and how many of those need attention today as the viewer sees them:
    every reason runs once over the whole team's people, not once a member."""
    members = list(teammates(viewer))
    if not with_sizes:
        return [TeamMember(m, None, None) for m in members]
    now = now or timezone.now()
    ids = [m.pk for m in members]
    coordinated = Enrollment.objects.filter(
        status__in=Enrollment.OPEN_STATUSES, primary_coordinator_id__in=ids
    )
    people = Person.objects.visible_to(viewer).filter(
        Exists(coordinated.filter(person_id=OuterRef("pk")))
    )
    pairs = set(
        coordinated.filter(person__in=people).values_list("primary_coordinator_id", "person_id")
    )
    open_items, _ = split_decided(
        find_items(viewer, people, now), standing_decisions(people, timezone.localdate(now))
    )
    needing = {i.person_id for i in open_items}
    caseloads = Counter(c for c, _ in pairs)
    worklists = Counter(c for c, p in pairs if p in needing)
    return [TeamMember(m, caseloads[m.pk], worklists[m.pk]) for m in members]
