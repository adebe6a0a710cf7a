"""Recurring appointments from an RRULE ("FREQ=WEEKLY;COUNT=8"). Occurrences are
computed in the series' wall time and only then placed in time with zoneinfo, so a
daylight-saving change never moves one by an hour. A rule that never ends or yields
nothing is refused; the series is created whole or not at all (one transaction: a taken
occurrence rolls every other back, and the error names it)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor, account_of
from alongside.audit.services import Action
from alongside.people.models import Person
from alongside.scheduling import booking, changes, common
from alongside.scheduling.availability import zone
from alongside.scheduling.common import SlotTaken
from alongside.scheduling.models import Appointment, Series

MAX_OCCURRENCES = 104
S = Appointment.Status


def occurrences(rule: str, first: dt.datetime, zone_name: str) -> list[dt.datetime]:
    """The aware starts of the rule's occurrences, from `first` (aware), in the zone's
    wall time."""
    text = rule.strip().removeprefix("RRULE:")
    upper = text.upper()
    if "COUNT=" not in upper and "UNTIL=" not in upper:
        raise ValidationError(
            {
                "rrule": _(
                    "Say when the series ends: a number of times (COUNT) or a last date (UNTIL)."
                )
            }
        )
    local_zone = zone(zone_name)
    local_first = first.astimezone(local_zone).replace(tzinfo=None)
    try:
        parsed = rrulestr(text, dtstart=local_first, ignoretz=True)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            {"rrule": _("This repeat rule could not be read: %(error)s") % {"error": error}}
        ) from error
    if not isinstance(parsed, rrule):
        raise ValidationError({"rrule": _("Give one repeat rule.")})
    found = []
    for wall in parsed:
        found.append(wall.replace(tzinfo=local_zone).astimezone(dt.UTC))
        if len(found) > MAX_OCCURRENCES:
            raise ValidationError(
                {
                    "rrule": _("A series can have at most %(n)s appointments.")
                    % {"n": MAX_OCCURRENCES}
                }
            )
    if not found:
        raise ValidationError({"rrule": _("This rule gives no appointments at all.")})
    return found


def create(
    *,
    actor: Actor,
    person: Person,
    choice: booking.Choice,
    rule: str,
    now: dt.datetime | None = None,
) -> Series:
    """Book every occurrence, or none."""
    now = now or timezone.now()
    common.check_person(actor, person)
    common.check_program(actor, choice.kind.program)
    common.check_enrolled(person, choice.kind.program)
    zone_name = booking.zone_of(choice)
    starts = occurrences(rule, choice.starts_at, zone_name)
    with transaction.atomic():
        series = Series.objects.create(
            organization_id=choice.kind.program.organization_id,
            program=choice.kind.program,
            person=person,
            rrule=rule.strip()[:300],
            dtstart=starts[0],
            time_zone=zone_name,
            created_by=account_of(actor),
        )
        for start in starts:
            one = dataclasses.replace(choice, starts_at=start)
            try:
                booking.validate(actor, one, now)
            except ValidationError as error:
                raise ValidationError(
                    _("The appointment on %(day)s cannot be booked: %(why)s")
                    % {"day": common.local_text(start, zone_name), "why": " ".join(error.messages)}
                ) from error
            appointment = booking.new_row(actor, person, one, S.BOOKED, now)
            appointment.series = series
            appointment.overbook_reason = choice.override[:300]
            booking.save_or_taken(appointment, now, actor=actor, override=bool(choice.override))
            if not appointment.overbooked:
                Appointment.objects.filter(pk=appointment.pk).update(overbook_reason="")
            common.record(
                actor, appointment, Action.CREATE, kind=common.BOOKED, detail={"series": series.pk}
            )
    return series


def cancel_rest(
    *, actor: Actor, appointment: Appointment, reason: str, now: dt.datetime | None = None
) -> int:
    """Cancel this occurrence and every later one still booked."""
    now = now or timezone.now()
    if appointment.series_id is None:
        raise ValidationError(_("This appointment is not part of a series."))
    rest = Appointment.objects.filter(
        series_id=appointment.series_id,
        starts_at__gte=appointment.starts_at,
        status__in=changes.CHANGEABLE,
    ).select_related("person", "program")
    count = 0
    with transaction.atomic():
        for one in rest:
            changes.cancel(actor=actor, appointment=one, reason=reason, now=now)
            count += 1
    return count


def move_rest(
    *,
    actor: Actor,
    appointment: Appointment,
    new_start: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
) -> int:
    """Move this occurrence and every later one by the same change of wall time (e.g.
    Tuesdays 10:00 become Wednesdays 14:00), all or none."""
    now = now or timezone.now()
    if appointment.series_id is None:
        raise ValidationError(_("This appointment is not part of a series."))
    zone_name = appointment.time_zone
    local_zone = zone(zone_name)
    old_wall = appointment.starts_at.astimezone(local_zone).replace(tzinfo=None)
    new_wall = new_start.astimezone(local_zone).replace(tzinfo=None)
    shift = new_wall - old_wall
    rest = list(
        Appointment.objects.filter(
            series_id=appointment.series_id,
            starts_at__gte=appointment.starts_at,
            status__in=changes.CHANGEABLE,
        ).select_related(
            "appointment_type__program__organization",
            "staff",
            "location",
            "room",
            "person",
            "program",
        )
    )
    with transaction.atomic():
        for one in rest:
            wall = one.starts_at.astimezone(local_zone).replace(tzinfo=None) + shift
            choice = booking.Choice(
                kind=one.appointment_type,
                staff=one.staff,
                starts_at=wall.replace(tzinfo=local_zone).astimezone(dt.UTC),
                modality=one.modality,
                location=one.location,
                room=one.room,
                time_zone=one.time_zone,
                reason=one.reason,
            )
            changes.reschedule(actor=actor, appointment=one, choice=choice, reason=reason, now=now)
    return len(rest)


__all__ = ["SlotTaken", "cancel_rest", "create", "move_rest", "occurrences"]
