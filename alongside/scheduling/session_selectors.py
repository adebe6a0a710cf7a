"""Reads for a group session's page: the session as the viewer may see it, its seats with
each attendee named only as far as the one sensitivity rule allows, and the people the
viewer could seat, found with the people search. A fixed number of queries however many
seats."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from alongside.accounts.actors import Actor
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.people.models import Enrollment, Person
from alongside.people.selectors import people_for, people_search
from alongside.people.sensitivity import sees_sensitive
from alongside.scheduling.models import Appointment, GroupSeat
from alongside.scheduling.selectors import appointments_for, named

MATCHES = 10  # people found when searching for someone to seat


@dataclass
class SeatRow:
    seat: GroupSeat
    # The attendee's preferred name, or "" when the viewer may not see who it is.
    name: str
    person_id: int | None
    actionable: bool

    @property
    def restricted(self) -> bool:
        return not self.name


def session_detail(viewer: Actor, pk: int) -> Appointment:
    """A group session in the viewer's programs, with `type_shown` (DoesNotExist
    otherwise, and for a one-to-one appointment)."""
    session = (
        appointments_for(viewer)
        .filter(person__isnull=True, appointment_type__is_group=True)
        .select_related("appointment_type", "staff", "location", "room", "program")
        .get(pk=pk)
    )
    named(viewer, [session])
    return session


def seats_of(viewer: Actor, session: Appointment) -> list[SeatRow]:
    """The session's seats, given-up ones last. An attendee is named (preferred name)
    when the viewer sees them and, for a sensitive type, is on their care team: being
    in such a group says what the person is seen for. Others are a restricted seat.
    Reading the names is recorded as one list event."""
    rows = list(
        GroupSeat.objects.filter(appointment=session)
        .select_related("person")
        .annotate(
            visible=Exists(people_for(viewer).filter(pk=OuterRef("person_id"))),
            care=sees_sensitive(viewer, "person_id"),
        )
        .order_by("status", "person__preferred_name", "person__legal_given_name", "pk")
    )
    sensitive = session.appointment_type.sensitive
    shown = []
    for seat in rows:
        allowed = seat.visible and (seat.care or not sensitive)  # type: ignore[attr-defined]
        shown.append(
            SeatRow(
                seat=seat,
                name=seat.person.display_name if allowed else "",
                person_id=seat.person_id if allowed else None,
                actionable=allowed,
            )
        )
    # Named rows by name (the query's order), then restricted rows by pk: sorted by
    # their hidden names, their places would tell those names' alphabetical position.
    shown.sort(
        key=lambda r: (
            r.seat.status == GroupSeat.Status.CANCELLED,
            r.person_id is None,
            r.seat.pk if r.person_id is None else 0,
        )
    )
    named_ids = sorted(r.person_id for r in shown if r.person_id is not None)
    if named_ids:
        audit.record(
            actor=viewer,
            action=Action.LIST,
            object_type="scheduling.groupseat",
            organization_id=session.organization_id,
            detail={"page": "group session", "session": session.pk, "people": named_ids},
        )
    return shown


def seat_detail(viewer: Actor, pk: int) -> GroupSeat:
    """One seat the viewer may act on: in a session of their programs, of a person they
    see and, for a sensitive type, on whose care team they are (DoesNotExist otherwise)."""
    seat = (
        GroupSeat.objects.filter(
            appointment__in=appointments_for(viewer).filter(person__isnull=True),
            person__in=people_for(viewer).values("pk"),
        )
        .select_related("appointment__appointment_type", "appointment__program", "person")
        .get(pk=pk)
    )
    if seat.appointment.appointment_type.sensitive and not (
        Person.objects.filter(pk=seat.person_id).filter(sees_sensitive(viewer)).exists()
    ):
        raise GroupSeat.DoesNotExist("GroupSeat matching query does not exist.")
    return seat


def seatable(viewer: Actor, session: Appointment) -> QuerySet[Person]:
    """People the viewer could seat: in their scope, in an open enrollment of the
    session's program, not already seated (a sensitive session: only people whose care
    team the viewer is on)."""
    enrolled = Enrollment.objects.filter(
        program_id=session.program_id, status__in=Enrollment.OPEN_STATUSES
    ).values("person_id")
    seated = GroupSeat.objects.filter(appointment=session).exclude(
        status=GroupSeat.Status.CANCELLED
    )
    people = people_for(viewer).filter(pk__in=enrolled).exclude(pk__in=seated.values("person_id"))
    if session.appointment_type.sensitive:
        people = people.filter(sees_sensitive(viewer))
    return people


def seat_matches(viewer: Actor, session: Appointment, query: str) -> list[Person]:
    """The people search (ranked as the people list ranks, recorded as a search), among
    the people the viewer could seat; nothing for an empty query."""
    if not query.strip():
        return []
    return people_search(viewer, query, limit=MATCHES, among=seatable(viewer, session))
