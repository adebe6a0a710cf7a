"""Setting scheduling up, by the organization's admins (the people the /manage/ screens
are for): appointment types, rooms and opening hours of its locations, and each staff
member's availability (weekly pattern, one-off additions, time off).

Each write checks the actor administers the organization, that everything it names
(program, location, staff member) is that organization's, validates the row, saves it
and records its audit event in one transaction. Types, rooms and patterns carry a
`version`: an edit names the version it started from, and a stale one is refused with
StaleVersion (the forms' "someone else saved" 409)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.models import Membership
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import StaleVersion
from alongside.organizations.models import Location, Organization, Program
from alongside.organizations.services import ensure_admin
from alongside.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityChange,
    AvailabilityPattern,
    GroupSeat,
    OpeningHours,
    Room,
)

TYPE_FIELDS = (
    "name",
    "duration_minutes",
    "modalities",
    "roles",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "interpreter_needed",
    "is_group",
    "capacity",
    "sensitive",
    "is_active",
)
ROOM_FIELDS = ("name", "seats", "is_active")
PATTERN_FIELDS = (
    "weekday",
    "starts",
    "ends",
    "time_zone",
    "location",
    "modalities",
    "valid_from",
    "valid_until",
    "is_walk_in",
)
CHANGE_FIELDS = (
    "kind",
    "starts_at",
    "ends_at",
    "time_zone",
    "location",
    "modalities",
    "is_walk_in",
    "reason",
)

M = TypeVar("M", bound=models.Model)


def _check_location(organization_id: int, location: Location | None) -> None:
    if location is not None and location.organization_id != organization_id:
        raise ValidationError({"location": _("Choose one of this organization's locations.")})


def _check_staff(organization_id: int, staff: Any) -> None:
    if not Membership.objects.filter(user=staff, organization_id=organization_id).exists():
        raise ValidationError(_("Choose a staff member of this organization."))


def _write(
    *,
    actor: Actor,
    organization_id: int,
    row: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    version: int | None,
) -> M:
    """Create `row` (no pk yet) or update it from `data`, in the caller's transaction."""
    if row.pk is None:
        for name in fields:
            if name in data:
                setattr(row, name, data[name])
        row.full_clean()
        row.save()
        audit.record(
            actor=actor,
            action=Action.CREATE,
            obj=row,
            organization_id=organization_id,
            fields=[n for n in fields if n in data],
        )
        return row
    current = type(row).objects.select_for_update().get(pk=row.pk)  # type: ignore[attr-defined]
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    changed = [n for n in fields if n in data and getattr(current, n) != data[n]]
    for name in changed:
        setattr(current, name, data[name])
    if changed:
        current.full_clean()
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=current,
            organization_id=organization_id,
            fields=changed,
        )
    return current  # type: ignore[no-any-return]


def _locked(row: M, version: int | None) -> M | None:
    """The row locked for a removal (None once someone else removed it); a stale
    `version` is refused with StaleVersion, for the rows that carry one."""
    current = type(row).objects.select_for_update().filter(pk=row.pk).first()  # type: ignore[attr-defined]
    if current is not None and version is not None and current.version != version:
        raise StaleVersion(current.version)
    return current


@transaction.atomic
def type_save(
    *,
    actor: Actor,
    organization: Organization,
    data: Mapping[str, Any],
    kind: AppointmentType | None = None,
    program: Program | None = None,
    version: int | None = None,
) -> AppointmentType:
    """Add an appointment type to one of the organization's programs, or change one.
    A type stays with its program: its appointments are that program's."""
    ensure_admin(actor, organization.pk)
    if kind is None:
        if program is None or program.organization_id != organization.pk:
            raise ValidationError({"program": _("Choose one of this organization's programs.")})
        kind = AppointmentType(program=program)
    elif kind.program.organization_id != organization.pk:
        raise AppointmentType.DoesNotExist("AppointmentType matching query does not exist.")
    data = dict(data)
    if not data.get("is_group", kind.is_group):
        data["capacity"] = 1
    if kind.pk is not None:
        _check_seats(kind, data)
    return _write(
        actor=actor,
        organization_id=organization.pk,
        row=kind,
        data=data,
        fields=TYPE_FIELDS,
        version=version,
    )


def _check_seats(kind: AppointmentType, data: Mapping[str, Any]) -> None:
    """A type with appointments stays one-to-one or group (its appointments were booked
    as such), and a group's capacity stays at least the most seats taken in any coming
    session. Read under the type's lock."""
    current = AppointmentType.objects.select_for_update().get(pk=kind.pk)
    appointments = Appointment.objects.filter(appointment_type=current)
    if data.get("is_group", current.is_group) != current.is_group and appointments.exists():
        raise ValidationError(
            {
                "is_group": _(
                    "This type already has appointments: it cannot change between "
                    "one-to-one and group. Make a new type instead."
                )
            }
        )
    capacity = data.get("capacity", current.capacity)
    if not current.is_group or capacity is None:
        return
    taken = Count("seats", filter=Q(seats__status__in=GroupSeat.TAKEN_STATUSES))
    most = (
        appointments.filter(starts_at__gte=timezone.now(), status__in=Appointment.ACTIVE_STATUSES)
        .annotate(taken=taken)
        .aggregate(most=Max("taken"))["most"]
        or 0
    )
    if capacity < most:
        raise ValidationError(
            {
                "capacity": _(
                    "A coming session already has %(most)d seats taken: the capacity "
                    "cannot be lower than that."
                )
                % {"most": most}
            }
        )


@transaction.atomic
def room_save(
    *,
    actor: Actor,
    data: Mapping[str, Any],
    location: Location | None = None,
    room: Room | None = None,
    version: int | None = None,
) -> Room:
    """Add a room to a location, or change one."""
    row = room if room is not None else Room(location=location)
    organization_id = row.location.organization_id
    ensure_admin(actor, organization_id)
    return _write(
        actor=actor,
        organization_id=organization_id,
        row=row,
        data=data,
        fields=ROOM_FIELDS,
        version=version,
    )


@transaction.atomic
def hours_add(*, actor: Actor, location: Location, data: Mapping[str, Any]) -> OpeningHours:
    """Opening hours for a weekday of a location, in its local wall time; hours that
    overlap others of the same day are refused."""
    ensure_admin(actor, location.organization_id)
    # The location's row locked: two adds for one day cannot both pass the overlap check.
    Location.objects.select_for_update().filter(pk=location.pk).first()
    row = OpeningHours(location=location, **{k: data[k] for k in ("weekday", "opens", "closes")})
    if row.closes <= row.opens:
        raise ValidationError({"closes": _("The closing time must be after the opening time.")})
    overlapping = OpeningHours.objects.filter(
        location=location, weekday=row.weekday, opens__lt=row.closes, closes__gt=row.opens
    )
    if overlapping.exists():
        raise ValidationError(_("These hours overlap hours already recorded for that day."))
    return _write(
        actor=actor,
        organization_id=location.organization_id,
        row=row,
        data={},
        fields=(),
        version=None,
    )


@transaction.atomic
def hours_remove(*, actor: Actor, hours: OpeningHours) -> None:
    organization_id = hours.location.organization_id
    ensure_admin(actor, organization_id)
    if _locked(hours, None) is None:
        return
    audit.record(actor=actor, action=Action.DELETE, obj=hours, organization_id=organization_id)
    hours.delete()


@transaction.atomic
def pattern_save(
    *,
    actor: Actor,
    organization: Organization,
    data: Mapping[str, Any],
    staff: Any = None,
    pattern: AvailabilityPattern | None = None,
    version: int | None = None,
) -> AvailabilityPattern:
    """Add a weekly block to a staff member's availability, or change one."""
    ensure_admin(actor, organization.pk)
    if pattern is None:
        _check_staff(organization.pk, staff)
        pattern = AvailabilityPattern(organization=organization, staff=staff)
    elif pattern.organization_id != organization.pk:
        raise AvailabilityPattern.DoesNotExist("AvailabilityPattern matching query does not exist.")
    _check_location(organization.pk, data.get("location"))
    return _write(
        actor=actor,
        organization_id=organization.pk,
        row=pattern,
        data=data,
        fields=PATTERN_FIELDS,
        version=version,
    )


@transaction.atomic
def pattern_remove(
    *, actor: Actor, pattern: AvailabilityPattern, version: int | None = None
) -> None:
    """Remove a weekly block; `version` (the one the page showed) refuses a stale remove."""
    ensure_admin(actor, pattern.organization_id)
    if _locked(pattern, version) is None:
        return
    audit.record(
        actor=actor, action=Action.DELETE, obj=pattern, organization_id=pattern.organization_id
    )
    pattern.delete()


@transaction.atomic
def change_add(
    *, actor: Actor, organization: Organization, staff: Any, data: Mapping[str, Any]
) -> AvailabilityChange:
    """A one-off change to a staff member's availability: extra time, or time off."""
    ensure_admin(actor, organization.pk)
    _check_staff(organization.pk, staff)
    _check_location(organization.pk, data.get("location"))
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    return _write(
        actor=actor,
        organization_id=organization.pk,
        row=AvailabilityChange(organization=organization, staff=staff),
        data=data,
        fields=CHANGE_FIELDS,
        version=None,
    )


@transaction.atomic
def change_remove(*, actor: Actor, change: AvailabilityChange) -> None:
    ensure_admin(actor, change.organization_id)
    if _locked(change, None) is None:
        return
    audit.record(
        actor=actor, action=Action.DELETE, obj=change, organization_id=change.organization_id
    )
    change.delete()
