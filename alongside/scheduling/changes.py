"""Cancelling and moving an appointment, with a reason. A freed slot goes to the
best-matching person on the waitlist (waitlist.offer_freed), in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor, account_of
from alongside.audit.services import Action
from alongside.lib.english import in_english
from alongside.lib.errors import StaleVersion
from alongside.scheduling import booking, common, waitlist
from alongside.scheduling.models import Appointment

S = Appointment.Status
CHANGEABLE = (S.HELD, S.BOOKED)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, in a few words.")})
    return reason[:300]


def _locked(actor: Actor, appointment: Appointment, version: int | None) -> Appointment:
    if appointment.person is not None:
        common.check_person(actor, appointment.person)
    common.check_program(actor, appointment.program)
    return _lock(appointment, version)


def _lock(appointment: Appointment, version: int | None) -> Appointment:
    current = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related(
            "appointment_type__program__organization",
            "staff",
            "person",
            "program",
            "location",
            "room",
        )
        .get(pk=appointment.pk)
    )
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    if current.status not in CHANGEABLE:
        raise ValidationError(
            _("This appointment is %(now)s; it can no longer be changed.")
            % {"now": current.get_status_display().lower()}
        )
    return current


def _cancel_row(
    actor: Actor, current: Appointment, reason: str, by_person: bool, now: dt.datetime
) -> None:
    late = by_person and current.is_late_cancel(now, hours=settings.SCHEDULING_LATE_CANCEL_HOURS)
    current.status = S.LATE_CANCELLED if late else S.CANCELLED
    current.status_reason = reason
    current.version += 1
    current.save(update_fields=["status", "status_reason", "version", "updated_at"])
    words = in_english(lambda: _("Cancelled by the person") if by_person else _("Cancelled"))
    common.record(
        actor,
        current,
        Action.UPDATE,
        kind=common.CANCELLED,
        words=str(words),
        fields=["status"],
        detail={"by_person": by_person},
    )


def cancel(
    *,
    actor: Actor,
    appointment: Appointment,
    reason: str,
    by_person: bool = False,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Cancel with a reason. Cancelled by the person within SCHEDULING_LATE_CANCEL_HOURS
    of its start, it counts as a late cancellation. The freed slot is offered to the
    waitlist."""
    now = now or timezone.now()
    reason = _reason(reason)
    with transaction.atomic():
        current = _locked(actor, appointment, version)
        _cancel_row(actor, current, reason, by_person, now)
        if current.starts_at > now:
            waitlist.offer_freed(actor=actor, freed=current, now=now)
    return current


def cancel_by_person_locked(
    *, actor: Actor, current: Appointment, reason: str, now: dt.datetime
) -> None:
    """The person's own cancellation of an appointment already locked in the caller's
    transaction (a signed reminder link is their say: no staff permission applies). Late
    if close to the start, and the freed slot offered to the waitlist, as `cancel`."""
    _cancel_row(actor, current, reason, True, now)
    if current.starts_at > now:
        waitlist.offer_freed(actor=actor, freed=current, now=now)


def cancel_moved_by_person(*, actor: Actor, appointment: Appointment, now: dt.datetime) -> None:
    """Cancel the later appointment a person gave up for a sooner slot they took from
    their offer's signed link (their say: no staff permission applies). Not a late
    cancellation; the freed slot is offered to the waitlist, as `cancel`."""
    with transaction.atomic():
        current = _lock(appointment, None)
        moved = in_english(lambda: _("Moved to a sooner slot from the waitlist"))
        _cancel_row(actor, current, moved, False, now)
        if current.starts_at > now:
            waitlist.offer_freed(actor=actor, freed=current, now=now)


def reschedule(
    *,
    actor: Actor,
    appointment: Appointment,
    choice: booking.Choice,
    reason: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Move the appointment to the chosen slot: the new one is booked and the old one
    cancelled together, or neither (a taken slot leaves the old appointment as it was)."""
    now = now or timezone.now()
    reason = _reason(reason)
    booking.validate(actor, choice, now)
    with transaction.atomic():
        current = _locked(actor, appointment, version)
        if current.person is None:
            raise ValidationError(_("Move a group session's seats one by one."))
        current.status = S.CANCELLED
        current.status_reason = _("Moved: %(reason)s") % {"reason": reason}
        current.version += 1
        current.save(update_fields=["status", "status_reason", "version", "updated_at"])
        moved = booking.new_row(actor, current.person, choice, S.BOOKED, now)
        moved.series = current.series
        moved.rescheduled_from = current
        moved.reason = choice.reason or current.reason
        if choice.override:
            moved.overbook_reason = choice.override[:300]
        booking.save_or_taken(moved, now, actor=actor, override=bool(choice.override))
        if not moved.overbooked:
            Appointment.objects.filter(pk=moved.pk).update(overbook_reason="")
        common.record(
            actor,
            moved,
            Action.UPDATE,
            kind=common.MOVED,
            words=in_english(
                lambda: (
                    _("Moved from %(old)s")
                    % {"old": common.local_text(current.starts_at, current.time_zone)}
                )
            ),
            fields=["starts_at", "ends_at", "staff"],
            detail={
                "from": current.pk,
                "reason": reason,
                "created_by": getattr(account_of(actor), "pk", None),
            },
        )
        if current.starts_at > now:
            waitlist.offer_freed(actor=actor, freed=current, now=now)
    return moved
