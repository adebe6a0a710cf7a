"""The waitlist: a person waits for a sooner slot, or any that fits. When a slot frees
up, the best-matching waiting person is offered it: the slot is held for them until the
offer expires (so nobody else can book it), and a unique key allows one live offer per
slot. Accepted, the hold becomes their booking; declined or expired, the next person in
line gets the offer."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor, account_of
from alongside.accounts.models import User
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.actors import SystemActor, ensure_system
from alongside.lib.english import in_english
from alongside.people import timeline
from alongside.people.models import Enrollment, Person
from alongside.scheduling import common, offer_messages
from alongside.scheduling.models import Appointment, AppointmentType, Offer, WaitlistEntry
from alongside.scheduling.ranking import rank
from alongside.scheduling.slots import Slot, Wishes

W = WaitlistEntry.Status
# How many waiting people are weighed for one freed slot (oldest first).
CONSIDERED = 50
# An offer closes this long before the slot starts, and is not made at all with less
# than SHORTEST left to answer it.
LEAD = dt.timedelta(hours=1)
SHORTEST = dt.timedelta(minutes=15)


def join(
    *,
    actor: Actor,
    person: Person,
    kind: AppointmentType,
    staff: User | None = None,
    current: Appointment | None = None,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
    note: str = "",
) -> WaitlistEntry:
    common.check_person(actor, person)
    common.check_program(actor, kind.program)
    common.check_enrolled(person, kind.program)
    if earliest and latest and latest < earliest:
        raise ValidationError({"latest": _("The end of the window must be after its start.")})
    if current is not None and current.person_id != person.pk:
        raise ValidationError({"current": _("Choose one of the person's own appointments.")})
    entry = WaitlistEntry(
        organization_id=kind.program.organization_id,
        program=kind.program,
        person=person,
        appointment_type=kind,
        staff=staff,
        current_appointment=current,
        earliest=earliest,
        latest=latest,
        note=note[:300],
        created_by=account_of(actor),
    )
    try:
        with transaction.atomic():
            entry.save()
            _record(
                actor,
                entry,
                Action.CREATE,
                lambda: (
                    _("Joined the waitlist for %(kind)s")
                    % {"kind": _("an appointment") if kind.sensitive else kind.name}
                ),
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s is already waiting for %(kind)s.")
            % {"name": person.first_name, "kind": kind.name}
        ) from error
    return entry


def withdraw(*, actor: Actor, entry: WaitlistEntry) -> WaitlistEntry:
    common.check_person(actor, entry.person)
    common.check_program(actor, entry.program)
    with transaction.atomic():
        for offer in entry.offers.filter(status=Offer.Status.OPEN).select_related("hold"):
            _close(offer, Offer.Status.DECLINED, timezone.now())
        entry.status = W.WITHDRAWN
        entry.save(update_fields=["status"])
        _record(actor, entry, Action.UPDATE, lambda: _("Left the waitlist"))
    return entry


def _record(actor: Actor, entry: WaitlistEntry, action: Action, words: Callable[[], str]) -> None:
    """The audit event and the journey entry, whose summary `words` makes (in English,
    as it is stored)."""
    audit.record_for_person(
        actor=actor, action=action, person=entry.person, obj=entry, detail={"status": entry.status}
    )
    timeline.add_entry(
        person=entry.person,
        kind=common.WAITLIST,
        occurred_at=timezone.now(),
        summary=in_english(words),
        actor=actor,
        program=entry.program,
        subject=entry,
    )


def _candidates(freed: Appointment, now: dt.datetime) -> list[WaitlistEntry]:
    day = freed.starts_at.date()
    return list(
        WaitlistEntry.objects.filter(
            appointment_type_id=freed.appointment_type_id,
            status=W.WAITING,
            person__merged_into__isnull=True,
        )
        .filter(Q(staff__isnull=True) | Q(staff_id=freed.staff_id))
        .filter(Q(earliest__isnull=True) | Q(earliest__lte=day))
        .filter(Q(latest__isnull=True) | Q(latest__gte=day))
        .filter(
            Q(current_appointment__isnull=True)
            | Q(current_appointment__starts_at__gt=freed.starts_at)
        )
        .exclude(person_id=freed.person_id or 0)
        .select_related("person__organization", "person__scheduling_preference")
        .order_by("created_at", "id")[:CONSIDERED]
    )


def _best_first(
    entries: list[WaitlistEntry], freed: Appointment, now: dt.datetime
) -> list[WaitlistEntry]:
    """The waiting people by how well the slot fits them (their preferences, their own
    coordinator), then by how long they have waited."""
    coordinated = set(
        Enrollment.objects.filter(
            person_id__in=[e.person_id for e in entries],
            primary_coordinator_id=freed.staff_id,
            status__in=Enrollment.OPEN_STATUSES,
        ).values_list("person_id", flat=True)
    )
    slot = Slot(
        staff_id=freed.staff_id,
        staff_name=str(freed.staff),
        starts_at=freed.starts_at,
        ends_at=freed.ends_at,
        modality=freed.modality,
        location_id=freed.location_id,
        location_name=freed.location.name if freed.location else "",
        room_id=freed.room_id,
        time_zone=freed.time_zone,
        is_walk_in=False,
    )

    def fit(entry: WaitlistEntry) -> int:
        person = entry.person
        preference = getattr(person, "scheduling_preference", None)
        wishes = Wishes.of(preference, person.organization.time_zone)
        data = types.SimpleNamespace(
            coordinator_ids={freed.staff_id} if person.pk in coordinated else set(),
            seen_staff_ids=set(),
        )
        return rank(slot, wishes, data, person.first_name, now.date(), explain=False).score  # type: ignore[arg-type]

    return sorted(entries, key=lambda e: (-fit(e), e.created_at, e.pk))


def offer_freed(*, actor: Actor, freed: Appointment, now: dt.datetime) -> Offer | None:
    """Offer the freed slot to the best-matching waiting person who is free then. Runs
    in the caller's transaction; each attempt in a savepoint."""
    if freed.person_id is None or freed.starts_at - LEAD < now + SHORTEST:
        return None
    for entry in _best_first(_candidates(freed, now), freed, now):
        offer = _try_offer(actor, entry, freed, now)
        if offer is not None:
            return offer
    return None


def _try_offer(
    actor: Actor, entry: WaitlistEntry, freed: Appointment, now: dt.datetime
) -> Offer | None:
    expires = min(now + dt.timedelta(hours=settings.SCHEDULING_OFFER_HOURS), freed.starts_at - LEAD)
    hold = Appointment(
        organization_id=freed.organization_id,
        program_id=freed.program_id,
        person=entry.person,
        staff_id=freed.staff_id,
        appointment_type_id=freed.appointment_type_id,
        modality=freed.modality,
        location_id=freed.location_id,
        room_id=freed.room_id,
        starts_at=freed.starts_at,
        ends_at=freed.ends_at,
        blocks_from=freed.blocks_from,
        blocks_until=freed.blocks_until,
        time_zone=freed.time_zone,
        status=Appointment.Status.HELD,
        held_until=expires,
        reason=freed.reason,
        created_by=account_of(actor),
    )
    try:
        with transaction.atomic():
            hold.save()
            offer = Offer.objects.create(
                entry=entry,
                hold=hold,
                staff_id=freed.staff_id,
                starts_at=freed.starts_at,
                expires_at=expires,
            )
            entry.status = W.OFFERED
            entry.save(update_fields=["status"])
            hold.appointment_type = freed.appointment_type
            hold.staff = freed.staff
            _record(
                actor,
                entry,
                Action.CREATE,
                lambda: _("Offered a freed slot: %(what)s") % {"what": common.summary(hold)},
            )
            offer_messages.tell(actor=actor, offer=offer)
    except IntegrityError:
        return None  # they are busy then, or another offer holds the slot
    return offer


def _close(offer: Offer, status: str, now: dt.datetime) -> None:
    offer.status = status
    offer.decided_at = now
    offer.save(update_fields=["status", "decided_at"])
    Appointment.objects.filter(pk=offer.hold_id, status=Appointment.Status.HELD).update(
        status=Appointment.Status.EXPIRED, updated_at=now
    )


def _open(offer: Offer, now: dt.datetime) -> Offer:
    current = (
        Offer.objects.select_for_update(of=("self",))
        .select_related(
            "entry__person",
            "entry__program",
            "hold__appointment_type",
            "hold__staff",
            "hold__program",
        )
        .get(pk=offer.pk)
    )
    if current.status != Offer.Status.OPEN or current.expires_at <= now:
        raise ValidationError(_("This offer is no longer open."))
    return current


def accept(*, actor: Actor, offer: Offer, now: dt.datetime | None = None) -> Appointment:
    """The person takes the offered slot (staff record it for them): the hold becomes
    their booking, and the later appointment they were waiting to bring forward is
    cancelled."""
    common.check_person(actor, offer.entry.person)
    common.check_program(actor, offer.entry.program)
    return _accept(actor, offer, now or timezone.now(), by_person=False)


def accept_from_link(*, actor: SystemActor, offer: Offer, now: dt.datetime) -> Appointment:
    """The person's own yes, from their offer's signed link (the link is their say: no
    staff permission applies). All or nothing: a slot taken meanwhile (SlotTaken) or an
    offer no longer open (ValidationError) leaves everything as it was."""
    ensure_system(actor)
    return _accept(actor, offer, now, by_person=True)


def _accept(actor: Actor, offer: Offer, now: dt.datetime, *, by_person: bool) -> Appointment:
    from alongside.scheduling import booking, changes

    with transaction.atomic():
        current = _open(offer, now)
        appointment = booking.book_hold(actor=actor, hold=current.hold, reason="", now=now)
        current.status = Offer.Status.ACCEPTED
        current.decided_at = now
        current.save(update_fields=["status", "decided_at"])
        entry = current.entry
        entry.status = W.BOOKED
        entry.save(update_fields=["status"])
        if by_person:
            _record(actor, entry, Action.UPDATE, lambda: _("Accepted an offered slot"))
        later = entry.current_appointment
        if later is not None and later.status == Appointment.Status.BOOKED:
            if by_person:
                changes.cancel_moved_by_person(actor=actor, appointment=later, now=now)
            else:
                changes.cancel(
                    actor=actor,
                    appointment=later,
                    reason=in_english(lambda: _("Moved to a sooner slot from the waitlist")),
                    now=now,
                )
    return appointment


def decline(*, actor: Actor, offer: Offer, now: dt.datetime | None = None) -> Offer | None:
    """The person says no (staff record it for them): they keep waiting, and the next
    person in line is offered the slot. Returns that next offer, if any."""
    common.check_person(actor, offer.entry.person)
    return _decline(actor, offer, now or timezone.now())


def decline_from_link(*, actor: SystemActor, offer: Offer, now: dt.datetime) -> Offer | None:
    """The person's own no, from their offer's signed link; as `decline`."""
    ensure_system(actor)
    return _decline(actor, offer, now)


def _decline(actor: Actor, offer: Offer, now: dt.datetime) -> Offer | None:
    with transaction.atomic():
        current = _open(offer, now)
        _close(current, Offer.Status.DECLINED, now)
        entry = current.entry
        entry.status = W.WAITING
        entry.save(update_fields=["status"])
        _record(actor, entry, Action.UPDATE, lambda: _("Declined an offered slot"))
        return offer_freed(actor=actor, freed=current.hold, now=now)


def expire_offers(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Close offers past their time and offer each slot to the next person in line."""
    now = now or timezone.now()
    count = 0
    for offer in Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now).select_related(
        "entry", "hold__staff", "hold__location"
    ):
        with transaction.atomic():
            _close(offer, Offer.Status.EXPIRED, now)
            WaitlistEntry.objects.filter(pk=offer.entry_id, status=W.OFFERED).update(
                status=W.WAITING
            )
            offer_freed(actor=actor, freed=offer.hold, now=now)
        count += 1
    return count
