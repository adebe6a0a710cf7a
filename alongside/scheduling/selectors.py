"""Reads of scheduling, always through the person as the viewer may see them
(`people.selectors.people_for`): an appointment of someone out of scope does not exist."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit.services import Action
from alongside.lib import compiled
from alongside.people.models import Person
from alongside.people.selectors import people_for
from alongside.people.sensitivity import Disclosure, disclosure_for
from alongside.scheduling.common import record, shown_type, type_name
from alongside.scheduling.models import (
    Appointment,
    AppointmentType,
    Offer,
    SchedulingPreference,
    WaitlistEntry,
)
from alongside.scheduling.slots import Wishes

PANEL_UPCOMING = 5
PANEL_PAST = 5
PANEL_ROWS = 200


def appointments_for(viewer: Actor) -> QuerySet[Appointment]:
    """Appointments of the people the viewer may see, in the programs they work in (or
    their organization's, for an admin), and group sessions of those programs."""
    scope = scope_for(viewer)
    in_programs = Q(program_id__in=scope.program_ids) | Q(
        organization_id__in=scope.admin_organization_ids
    )
    people = people_for(viewer).values("pk")
    return Appointment.objects.filter(in_programs).filter(
        Q(person__in=people) | Q(person__isnull=True)
    )


def named(viewer: Actor, rows: list[Appointment]) -> list[Appointment]:
    """The rows, each with `type_shown`: its type as this viewer may read it (a neutral
    "Appointment" for a sensitive type off the person's care team)."""
    for row in rows:
        row.type_shown = type_name(viewer, row)  # type: ignore[attr-defined]
    return rows


def appointment_detail(viewer: Actor, pk: int) -> Appointment:
    """One appointment, with `type_shown`; DoesNotExist when out of the viewer's scope."""
    appointment = (
        appointments_for(viewer)
        .select_related(
            "appointment_type", "staff", "person", "location", "room", "program", "series"
        )
        .get(pk=pk)
    )
    named(viewer, [appointment])
    return appointment


def appointment_viewed(viewer: Actor, pk: int) -> Appointment:
    """One appointment shown to the viewer (DoesNotExist when out of scope), its read
    recorded."""
    appointment = appointment_detail(viewer, pk)
    record(viewer, appointment, Action.VIEW)
    return appointment


def preference_for(person: Person) -> SchedulingPreference | None:
    return SchedulingPreference.objects.filter(person=person).first()


def default_zone(person: Person) -> str:
    return person.organization.time_zone


def wishes_for(person: Person) -> Wishes:
    return Wishes.of(preference_for(person), default_zone(person))


def types_for(viewer: Actor, person: Person) -> QuerySet[AppointmentType]:
    """Appointment types of the person's open programs that the viewer works in."""
    scope = scope_for(viewer)
    programs = person.enrollments.filter(status__in=("referred", "active", "paused")).values(
        "program_id"
    )
    mine = Q(program_id__in=scope.program_ids) | Q(
        program__organization_id__in=scope.admin_organization_ids
    )
    return (
        AppointmentType.objects.filter(mine, program_id__in=programs, is_active=True)
        .select_related("program__organization")
        .order_by("program__name", "name")
    )


def interpreter_language(person: Person) -> str:
    """The person's language that needs an interpreter, from their profile."""
    row = (
        person.languages.filter(interpreter_needed=True).values_list("language", flat=True).first()
    )
    return row or ""


def person_panel(
    viewer: Actor, person: Person, disclosure: Disclosure | None = None
) -> dict[str, Any]:
    """The person page's "Appointments" panel: upcoming and recent appointments and the
    attendance counts. One query, two for a person with more than `PANEL_ROWS`
    appointments (the counts then come from the database). The page read the person
    through `visible_to`, so only the appointments' programs are scoped here (as
    `appointments_for` scopes them), and a sensitive type is named as the one
    sensitivity rule answered for the page (`disclosure`)."""
    now = timezone.now()
    disclosure = disclosure or disclosure_for(viewer, person)
    scope = scope_for(viewer)
    in_programs = Q(program_id__in=scope.program_ids) | Q(
        organization_id__in=scope.admin_organization_ids
    )
    if not disclosure.identity:  # someone the viewer may not see: nothing of theirs
        in_programs = Q(pk__in=[])

    def mine(person_id: int) -> QuerySet[Appointment]:
        return Appointment.objects.filter(in_programs, person_id=person_id)

    def listed(person_id: int) -> QuerySet[Appointment]:
        return (
            mine(person_id)
            .exclude(status=Appointment.Status.EXPIRED)
            .select_related("appointment_type", "staff")
            .order_by("-starts_at")[: PANEL_ROWS + 1]
        )

    # The statement depends on the scope (its programs are parameters of it) and whether
    # the person is seen at all: compiled once per process and key.
    key = (scope, disclosure.identity)
    rows: list[Appointment] = compiled.objects("scheduling.panel", key, listed, person.pk)
    if len(rows) > PANEL_ROWS:
        counts = dict(mine(person.pk).values_list("status").annotate(n=Count("pk")).order_by())
        rows = rows[:PANEL_ROWS]
    else:  # every appointment but the expired, which are not counted
        counts = Counter(a.status for a in rows)
    sees = disclosure.sensitive
    for row in rows:
        row.person = person  # the one person asked about: no query per row
        row.type_shown = shown_type(row, sees)  # type: ignore[attr-defined]
    upcoming = sorted(
        (a for a in rows if a.starts_at >= now and a.status in Appointment.UPCOMING_STATUSES),
        key=lambda a: a.starts_at,
    )[:PANEL_UPCOMING]
    past = [a for a in rows if a.starts_at < now and a.status != Appointment.Status.HELD][
        :PANEL_PAST
    ]
    return {
        "person": person,
        "upcoming": upcoming,
        "past": past,
        "no_shows": counts.get(Appointment.Status.NO_SHOW, 0),
        "attended": counts.get(Appointment.Status.COMPLETED, 0)
        + counts.get(Appointment.Status.ARRIVED, 0),
        "late_cancelled": counts.get(Appointment.Status.LATE_CANCELLED, 0),
    }


def person_history(viewer: Actor, person: Person, *, limit: int = 200) -> list[Appointment]:
    rows = list(
        appointments_for(viewer)
        .filter(person=person)
        .exclude(status=Appointment.Status.EXPIRED)
        .select_related("appointment_type", "staff", "location", "room")
        .order_by("-starts_at")[:limit]
    )
    for row in rows:
        row.person = person  # the one person asked about: no query per row
    return named(viewer, rows)


def waitlist_for(viewer: Actor, person: Person) -> list[WaitlistEntry]:
    scope = scope_for(viewer)
    return list(
        WaitlistEntry.objects.filter(person=person, status__in=["waiting", "offered"])
        .filter(
            Q(program_id__in=scope.program_ids)
            | Q(organization_id__in=scope.admin_organization_ids)
        )
        .select_related("appointment_type", "staff")
        .prefetch_related("offers__hold")
    )


def open_offers(viewer: Actor, person: Person) -> list[Offer]:
    return list(
        Offer.objects.filter(
            entry__person=person,
            status=Offer.Status.OPEN,
            entry__in=[e.pk for e in waitlist_for(viewer, person)],
        ).select_related("hold__appointment_type", "hold__staff", "entry")
    )


def day_bounds(day: dt.date, zone_name: str) -> tuple[dt.datetime, dt.datetime]:
    from alongside.scheduling.availability import at_local

    return at_local(day, dt.time.min, zone_name), at_local(
        day + dt.timedelta(days=1), dt.time.min, zone_name
    )


def person_for_scheduling(viewer: Actor, pk: int, purpose: str = "scheduling") -> Person:
    """The person, in the viewer's scope (DoesNotExist otherwise), the read audited."""
    from alongside.people.selectors import audit_person_view

    person = people_for(viewer).select_related("organization").get(pk=pk)
    audit_person_view(viewer, person, purpose)
    return person


def staff_for(person: Person) -> QuerySet[Any]:
    """Staff who deliver appointments in the person's open programs."""
    from alongside.accounts.models import User

    programs = person.enrollments.filter(status__in=("referred", "active", "paused")).values(
        "program_id"
    )
    return (
        User.objects.filter(is_active=True, memberships__program_id__in=programs)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def locations_for(person: Person) -> QuerySet[Any]:
    from alongside.organizations.models import Location

    return Location.objects.filter(organization_id=person.organization_id, is_active=True)


def _entries_for(viewer: Actor) -> QuerySet[WaitlistEntry]:
    """Waitlist entries of people the viewer sees, in programs they work in."""
    scope = scope_for(viewer)
    in_programs = Q(program_id__in=scope.program_ids) | Q(
        organization_id__in=scope.admin_organization_ids
    )
    return WaitlistEntry.objects.filter(in_programs, person__in=people_for(viewer).values("pk"))


def offer_detail(viewer: Actor, pk: int) -> Offer:
    return Offer.objects.select_related(
        "entry__person__organization", "entry__program", "hold__appointment_type", "hold__staff"
    ).get(pk=pk, entry__in=_entries_for(viewer).values("pk"))


def entry_detail(viewer: Actor, pk: int) -> WaitlistEntry:
    return _entries_for(viewer).select_related("person", "program").get(pk=pk)
