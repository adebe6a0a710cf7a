"""Holding and booking a slot. The database is the judge of double booking (migration
0002); these services prepare the row, clear lapsed holds in the same transaction, and
turn the database's refusal into a clear "just taken" answer naming what blocks the slot
and offering the next best ones. Exactly one of two concurrent bookings of the same slot
wins: on PostgreSQL the second insert waits for the first and is refused by the
exclusion constraint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.accounts.actors import Actor, account_of
from alongside.accounts.models import User
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.organizations.models import Location
from alongside.people.models import Person
from alongside.scheduling import busy, common, slots
from alongside.scheduling.common import BOOKED, SlotTaken
from alongside.scheduling.models import Appointment, AppointmentType, GroupSeat, Modality, Room
from alongside.scheduling.models.setup import validate_time_zone

NO_OVERLAP = "_no_overlap"
NEXT_BEST_FIRST_LOOK = dt.timedelta(days=1)
# The losers of one contested slot search the same window: its staff, windows and places
# (never its busy time) are read once and shared this long (slots.setup_of).
NEXT_BEST_SHARE_SECONDS = 5.0
OVERRIDE_ROLES = gettext_lazy(
    "Only the roles allowed to (supervisors and schedulers by default) may book outside "
    "availability or over another booking."
)


@dataclass
class Choice:
    """A slot as chosen: who, when, how and where."""

    kind: AppointmentType
    staff: User
    starts_at: dt.datetime
    modality: str
    location: Location | None = None
    room: Room | None = None
    time_zone: str = ""
    reason: str = ""
    # Minutes, when not the type's own duration.
    minutes: int | None = None
    # Why this booking may go outside availability or over another (allowed roles only).
    override: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes or self.kind.duration_minutes)


def zone_of(choice: Choice) -> str:
    if choice.time_zone:
        return choice.time_zone
    if choice.location is not None:
        return choice.location.zone_name
    return choice.kind.program.organization.time_zone


def validate(actor: Actor, choice: Choice, now: dt.datetime) -> None:
    """Bad input refused clearly, before anything is written."""
    kind = choice.kind
    if timezone.is_naive(choice.starts_at):
        raise ValidationError({"starts_at": _("Give the time with its time zone.")})
    if choice.minutes is not None and choice.minutes <= 0:
        raise ValidationError({"ends_at": _("An appointment must end after it starts.")})
    try:
        validate_time_zone(zone_of(choice))
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from error
    if choice.starts_at < now - dt.timedelta(minutes=5) and not choice.override:
        raise ValidationError({"starts_at": _("That time has passed: choose a later one.")})
    if not kind.is_active:
        raise ValidationError({"appointment_type": _("This appointment type is not offered.")})
    if choice.modality not in kind.modalities:
        raise ValidationError(
            {"modality": _("%(kind)s is not offered this way.") % {"kind": kind.name}}
        )
    if choice.staff.pk not in slots.deliverers(kind, [choice.staff.pk]):
        raise ValidationError(
            {
                "staff": _("%(staff)s does not deliver %(kind)s.")
                % {"staff": choice.staff, "kind": kind.name}
            }
        )
    _validate_place(choice)
    if choice.override and not common.may_override(actor, kind.program):
        raise NotPermitted(OVERRIDE_ROLES)
    if not choice.override and not slots.is_available(
        kind, choice.staff.pk, choice.starts_at, choice.ends_at, choice.modality
    ):
        raise ValidationError(
            {
                "starts_at": _(
                    "%(staff)s is not available then. Choose a time from the search, "
                    "or give a reason to book it anyway."
                )
                % {"staff": choice.staff}
            }
        )


def _validate_place(choice: Choice) -> None:
    organization_id = choice.kind.program.organization_id
    if choice.location is not None and choice.location.organization_id != organization_id:
        raise ValidationError({"location": _("Choose one of the organization's locations.")})
    if choice.room is not None and (
        choice.location is None or choice.room.location_id != choice.location.pk
    ):
        raise ValidationError({"room": _("Choose a room at the appointment's location.")})
    if choice.modality == Modality.IN_PERSON and choice.location is None:
        raise ValidationError({"location": _("An appointment in person needs a location.")})


def new_row(
    actor: Actor, person: Person | None, choice: Choice, status: str, now: dt.datetime
) -> Appointment:
    kind = choice.kind
    appointment = Appointment(
        organization_id=kind.program.organization_id,
        program=kind.program,
        person=person,
        staff=choice.staff,
        appointment_type=kind,
        modality=choice.modality,
        location=choice.location if choice.modality == Modality.IN_PERSON else None,
        room=choice.room if choice.modality == Modality.IN_PERSON else None,
        starts_at=choice.starts_at,
        ends_at=choice.ends_at,
        time_zone=zone_of(choice),
        status=status,
        reason=choice.reason[:300],
        created_by=account_of(actor),
    )
    if status == Appointment.Status.HELD:
        appointment.held_until = now + dt.timedelta(minutes=settings.SCHEDULING_HOLD_MINUTES)
    appointment.set_blocks()
    return appointment


def _overlapping(appointment: Appointment, now: dt.datetime) -> Q:
    """Active appointments of the staff member, the room or the person whose time with
    buffers overlaps this one's."""
    return busy.overlapping(
        appointment.staff_id,
        appointment.room_id,
        appointment.person_id,
        appointment.blocks_from,
        appointment.blocks_until,
    )


def clear_lapsed_holds(appointment: Appointment, now: dt.datetime) -> int:
    """Lapsed holds that would stand in this appointment's way take no time any more."""
    return Appointment.objects.filter(
        _overlapping(appointment, now), status=Appointment.Status.HELD, held_until__lte=now
    ).update(status=Appointment.Status.EXPIRED, updated_at=now)


def blocker(actor: Actor, appointment: Appointment, now: dt.datetime) -> Appointment | None:
    """The live appointment that keeps this one out, if the database named an overlap,
    and only when the actor may see it: an appointment out of their scope is never
    described (the refusal then says only that the time was taken)."""
    from alongside.scheduling.selectors import appointments_for

    # One query: the first blocker, and whether it is in the actor's scope.
    found = (
        Appointment.objects.filter(_overlapping(appointment, now), slots.occupying(now))
        .exclude(pk=appointment.pk)
        .annotate(visible=Exists(appointments_for(actor).filter(pk=OuterRef("pk"))))
        .select_related("appointment_type", "staff", "person")
        .order_by("starts_at")
        .first()
    )
    if found is None or not found.visible:
        return None
    return found


def _claims_time(appointment: Appointment, now: dt.datetime) -> bool:
    """Whether saving the row newly takes time: a new row, or one that did not occupy
    this staff member, room and time before (a hold confirmed in place keeps its time)."""
    if appointment._state.adding or appointment.pk is None:
        return True
    return not Appointment.objects.filter(
        slots.occupying(now),
        Q(room_id=appointment.room_id) if appointment.room_id else Q(room__isnull=True),
        pk=appointment.pk,
        staff_id=appointment.staff_id,
        blocks_from=appointment.blocks_from,
        blocks_until=appointment.blocks_until,
    ).exists()


def _lock_person(person_id: int) -> None:
    """Bookings for one person queue on their row, taken before the staff member's
    (`_busy`): two concurrent inserts that overlap on the person would otherwise each
    wait for the other in the exclusion constraint's check, and PostgreSQL would abort
    one as a deadlock instead of the loser being told "just taken"."""
    locked = Person.objects.select_for_update(no_key=True).filter(pk=person_id)
    list(locked.values_list("pk"))


def _busy(appointment: Appointment, now: dt.datetime) -> bool:
    """Whether the staff member or the room is taken already, overbookings included: the
    database's rules exempt an overbooked row, so without an override the service refuses
    any overlap itself. The staff member's row is locked first, so two bookings for them
    cannot slip past together."""
    if appointment.status not in Appointment.ACTIVE_STATUSES:
        return False
    # NO KEY UPDATE: bookings for one staff member queue here, while other rows may
    # still point at the user (their foreign keys take KEY SHARE), so no deadlock.
    locked = User.objects.select_for_update(no_key=True).filter(pk=appointment.staff_id)
    list(locked.values_list("pk"))
    live = Appointment.objects.filter(slots.occupying(now)).exclude(pk=appointment.pk)
    who = Q(
        staff_id=appointment.staff_id,
        blocks_from__lt=appointment.blocks_until,
        blocks_until__gt=appointment.blocks_from,
    )
    if appointment.room_id:
        who |= Q(
            room_id=appointment.room_id,
            starts_at__lt=appointment.ends_at,
            ends_at__gt=appointment.starts_at,
        )
    return live.filter(who).exists()


def seated(
    person_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    besides: Appointment | None = None,
) -> bool:
    """Whether the person holds a seat (booked or arrived) in a group session
    overlapping the time (other than the session `besides`)."""
    seats = GroupSeat.objects.filter(
        person_id=person_id,
        status__in=GroupSeat.TAKEN_STATUSES,
        appointment__starts_at__lt=ends_at,
        appointment__ends_at__gt=starts_at,
        appointment__status=Appointment.Status.BOOKED,
    )
    if besides is not None:
        seats = seats.exclude(appointment=besides)
    return seats.exists()


def next_best(
    appointment: Appointment, person: Person | None, now: dt.datetime, limit: int = 3
) -> list[slots.Slot]:
    if person is None:
        return []
    from alongside.scheduling.selectors import wishes_for

    return slots.search(
        kind=appointment.appointment_type,
        person=person,
        wishes=wishes_for(person),
        since=max(now, appointment.starts_at - dt.timedelta(hours=2)),
        days=7,
        limit=limit,
        now=now,
        # The week's first day is read first: most refusals find their best there.
        first_look=NEXT_BEST_FIRST_LOOK,
        share=NEXT_BEST_SHARE_SECONDS,
    )


def _taken(actor: Actor, appointment: Appointment, now: dt.datetime) -> SlotTaken:
    """The refusal: what blocks is read now; the next best slots when the caller asks
    for them, once this transaction (and its locks) are gone."""
    found = blocker(actor, appointment, now)
    person = appointment.person
    return SlotTaken(found, lambda: next_best(appointment, person, now), viewer=actor)


def save_or_taken(
    appointment: Appointment, now: dt.datetime, *, actor: Actor, override: bool = False
) -> Appointment:
    """Insert (or update) the appointment in the caller's transaction; the database's
    refusal of an overlap becomes SlotTaken. With `override`, an overlap of the staff
    member or the room is recorded as a deliberate overbooking; the person's never is.
    Without it, an overbooked appointment blocks the time like any other; a booked group
    seat of the person always does."""
    clear_lapsed_holds(appointment, now)
    with transaction.atomic():
        if _claims_time(appointment, now) and appointment.person_id is not None:
            _lock_person(appointment.person_id)
        if _claims_time(appointment, now) and (
            (not override and _busy(appointment, now))
            # A group session has no person: their seat is checked here, override or not.
            or (
                appointment.person_id is not None
                and seated(appointment.person_id, appointment.starts_at, appointment.ends_at)
            )
        ):
            raise _taken(actor, appointment, now)
    if override:
        others = Appointment.objects.filter(
            slots.occupying(now),
            Q(staff_id=appointment.staff_id) | Q(room_id=appointment.room_id or -1),
            blocks_from__lt=appointment.blocks_until,
            blocks_until__gt=appointment.blocks_from,
        ).exclude(pk=appointment.pk)
        appointment.overbooked = others.exists()
    appointment.full_clean(
        exclude=["blocks_from", "blocks_until", "created_by"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        if NO_OVERLAP not in str(error):
            raise
        raise _taken(actor, appointment, now) from error
    return appointment


def _place(
    actor: Actor, person: Person, choice: Choice, status: str, now: dt.datetime | None
) -> Appointment:
    now = now or timezone.now()
    common.check_person(actor, person)
    common.check_program(actor, choice.kind.program)
    common.check_enrolled(person, choice.kind.program)
    if choice.kind.is_group:
        raise ValidationError(
            {"appointment_type": _("Book a seat in one of its sessions instead.")}
        )
    validate(actor, choice, now)
    appointment = new_row(actor, person, choice, status, now)
    if choice.override:
        appointment.overbook_reason = choice.override[:300]
    with transaction.atomic():
        save_or_taken(appointment, now, actor=actor, override=bool(choice.override))
        if not appointment.overbooked:
            appointment.overbook_reason = ""
            Appointment.objects.filter(pk=appointment.pk).update(overbook_reason="")
        detail = {"override": choice.override} if choice.override else {}
        if status == Appointment.Status.HELD:
            common.record(actor, appointment, Action.CREATE, detail={"hold": True, **detail})
        else:
            common.record(actor, appointment, Action.CREATE, kind=BOOKED, detail=detail)
    return appointment


def hold_slot(
    *, actor: Actor, person: Person, choice: Choice, now: dt.datetime | None = None
) -> Appointment:
    """Hold the slot for the person while the booking is filled in; it lapses on its own
    after SCHEDULING_HOLD_MINUTES."""
    return _place(actor, person, choice, Appointment.Status.HELD, now)


def book(
    *, actor: Actor, person: Person, choice: Choice, now: dt.datetime | None = None
) -> Appointment:
    """Book the slot for the person at once."""
    return _place(actor, person, choice, Appointment.Status.BOOKED, now)


def _locked(appointment: Appointment, version: int | None) -> Appointment:
    current = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("appointment_type", "program__organization", "staff", "person")
        .get(pk=appointment.pk)
    )
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    return current


def confirm_hold(
    *, actor: Actor, hold: Appointment, reason: str = "", now: dt.datetime | None = None
) -> Appointment:
    """Book a held slot. A hold that lapsed is booked still if nobody took the time."""
    now = now or timezone.now()
    if hold.person is not None:
        common.check_person(actor, hold.person)
    common.check_program(actor, hold.program)
    return book_hold(actor=actor, hold=hold, reason=reason, now=now)


def book_hold(*, actor: Actor, hold: Appointment, reason: str, now: dt.datetime) -> Appointment:
    """The booking of a held slot, for a caller that has decided the actor may (staff
    through `confirm_hold`; the person through their offer's signed link)."""
    with transaction.atomic():
        current = _locked(hold, None)
        if current.status not in (Appointment.Status.HELD, Appointment.Status.EXPIRED):
            raise ValidationError(_("This slot is no longer held: choose another time."))
        current.status = Appointment.Status.BOOKED
        current.held_until = None
        current.reason = (reason or current.reason)[:300]
        current.version += 1
        save_or_taken(current, now, actor=actor)
        common.record(actor, current, Action.UPDATE, kind=BOOKED, fields=["status"])
    return current


def release_hold(*, actor: Actor, hold: Appointment, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    common.check_program(actor, hold.program)
    with transaction.atomic():
        current = _locked(hold, None)
        if current.status == Appointment.Status.HELD:
            current.status = Appointment.Status.EXPIRED
            current.save(update_fields=["status", "updated_at"])
            common.record(
                actor, current, Action.UPDATE, fields=["status"], detail={"released": True}
            )
