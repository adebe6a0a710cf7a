"""What every scheduling service shares: who may act, the errors services raise, and the
audit event and timeline entry written with each change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.models import Membership, Role
from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.english import in_english
from alongside.lib.errors import NotPermitted
from alongside.organizations.models import Program
from alongside.people import timeline
from alongside.people.models import Enrollment, Person
from alongside.people.permissions import can_manage_program
from alongside.people.selectors import people_for
from alongside.people.sensitivity import disclosure_for
from alongside.scheduling.availability import zone
from alongside.scheduling.models import Appointment

BOOKED = "scheduling.appointment_booked"
MOVED = "scheduling.appointment_moved"
CANCELLED = "scheduling.appointment_cancelled"
ATTENDANCE = "scheduling.attendance"
WAITLIST = "scheduling.waitlist"


class SlotTaken(Exception):
    """The slot went to someone else first (or a hold blocks it). Names what blocks it
    and offers the next best slots: given, or worked out by a function when first asked
    for — after the refused booking's transaction has ended, so that its row locks
    (which the next booking of the same staff member or person waits for) are not held
    through a slot search."""

    def __init__(
        self,
        blocking: Appointment | None,
        alternatives: list[Any] | Callable[[], list[Any]],
        *,
        viewer: Any = None,
    ) -> None:
        self.blocking = blocking
        self._alternatives = alternatives
        # What blocks, in words for the booker; empty when it is not theirs to see.
        self.described = "" if blocking is None else describe_blocker(viewer, blocking)
        if not self.described:
            message = _("That time was just taken. Here are the next best times.")
        else:
            message = _("That time was just taken: %(what)s. Here are the next best times.") % {
                "what": self.described
            }
        super().__init__(message)

    @property
    def alternatives(self) -> list[Any]:
        if callable(self._alternatives):
            self._alternatives = self._alternatives()
        return self._alternatives


class SessionFull(Exception):
    def __init__(self) -> None:
        super().__init__(_("Every seat in this group session is taken."))


def names_type(viewer: Any, appointment: Appointment) -> bool:
    """Whether the viewer may read the appointment's type: a sensitive type only on the
    person's care team (the one sensitivity rule); a group session's always."""
    if not appointment.appointment_type.sensitive:
        return True
    person = appointment.person
    return person is not None and disclosure_for(viewer, person).sensitive


def type_name(viewer: Any, appointment: Appointment) -> str:
    """The appointment's type as the viewer may read it: a neutral "Appointment" when
    the type is sensitive and they are not on the person's care team."""
    return shown_type(appointment, names_type(viewer, appointment))


def shown_type(appointment: Appointment, sees_sensitive: bool) -> str:
    """The appointment's type for a viewer the one sensitivity rule answered
    `sees_sensitive` about its person (a page that asked once for all its rows)."""
    kind = appointment.appointment_type
    return type_shown(kind.name, kind.sensitive, sees_sensitive)


def type_shown(name: str, sensitive: bool, sees_sensitive: bool) -> str:
    """An appointment type's name (`name`, `sensitive`) as a viewer the one rule
    answered `sees_sensitive` may read it: a neutral "Appointment" for a sensitive one."""
    if sees_sensitive or not sensitive:
        return name
    return _("Appointment")


def describe_blocker(viewer: Any, appointment: Appointment) -> str:
    """What blocks a slot, in words safe for the booker (who may see the appointment):
    the staff member, the kind (neutral when sensitive) and the time, never who the
    other appointment is with."""
    what = (
        _("a hold on %(kind)s with %(staff)s at %(time)s")
        if appointment.status == Appointment.Status.HELD
        else _("%(kind)s with %(staff)s at %(time)s")
    )
    return what % {
        "kind": type_name(viewer, appointment),
        "staff": appointment.staff,
        "time": local_text(appointment.starts_at, appointment.time_zone),
    }


def local_text(moment: dt.datetime, zone_name: str) -> str:
    return formats.date_format(timezone.localtime(moment, zone(zone_name)), "DATETIME_FORMAT")


def check_person(actor: Actor, person: Person) -> None:
    """Out of scope is not found, like every person-bearing read."""
    if not people_for(actor).filter(pk=person.pk).exists():
        raise Person.DoesNotExist("Person matching query does not exist.")


def check_program(actor: Actor, program: Program) -> None:
    if not can_manage_program(actor, program):
        raise NotPermitted(_("Only the program's staff can book its appointments."))


def check_enrolled(person: Person, program: Program) -> None:
    enrolled = Enrollment.objects.filter(
        person=person, program=program, status__in=Enrollment.OPEN_STATUSES
    )
    if not enrolled.exists():
        raise ValidationError(
            _("%(name)s has no open enrollment in %(program)s.")
            % {"name": person.first_name, "program": program.name}
        )


def may_override(actor: Actor, program: Program) -> bool:
    """Whether the actor may overbook or book outside availability (with a reason)."""
    scope = scope_for(actor)
    if (
        scope.is_admin_of(program.organization_id)
        and Role.ORG_ADMIN in settings.SCHEDULING_OVERBOOK_ROLES
    ):
        return True
    if scope.user_id is None:
        return False
    return Membership.objects.filter(
        user_id=scope.user_id, program=program, role__in=settings.SCHEDULING_OVERBOOK_ROLES
    ).exists()


def summary(appointment: Appointment) -> str:
    """The appointment in a line for the person's timeline, whose summary everyone who
    sees the person reads: a sensitive type is a neutral "Appointment" there."""
    kind = appointment.appointment_type
    return _("%(kind)s with %(staff)s, %(time)s (%(way)s)") % {
        "kind": _("Appointment") if kind.sensitive else kind.name,
        "staff": appointment.staff,
        "time": local_text(appointment.starts_at, appointment.time_zone),
        "way": appointment.get_modality_display(),
    }


def record(
    actor: Actor,
    appointment: Appointment,
    action: Action,
    *,
    person: Person | None = None,
    kind: str = "",
    words: str = "",
    fields: Any = (),
    detail: dict[str, Any] | None = None,
) -> None:
    """The audit event for a change to an appointment and, with `kind`, the timeline
    entry for it, in the caller's transaction."""
    person = person or appointment.person
    detail = {"status": appointment.status, **(detail or {})}
    if person is None:
        audit.record(
            actor=actor,
            action=action,
            obj=appointment,
            organization_id=appointment.organization_id,
            fields=fields,
            detail=detail,
        )
        return
    audit.record_for_person(
        actor=actor, action=action, person=person, obj=appointment, fields=fields, detail=detail
    )
    if kind:
        line = in_english(summary, appointment)  # stored: in English whoever writes it
        timeline.add_entry(
            person=person,
            kind=kind,
            occurred_at=timezone.now(),
            summary=f"{words}: {line}" if words else line,
            actor=actor,
            program=appointment.program,
            subject=appointment,
            details=appointment.status_reason,
        )
