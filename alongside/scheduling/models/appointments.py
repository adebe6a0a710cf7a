"""Appointments (and holds, which are appointments not yet booked), recurring series,
group-session seats, the waitlist and the offers it makes.

A staff member, a room and a person are never double-booked: the database refuses it
(migration 0002: an exclusion constraint on PostgreSQL, triggers on SQLite) over the
appointments in ACTIVE_STATUSES. A staff member's range includes the type's buffers
(`blocks_from`, `blocks_until`); a room's and a person's is the appointment itself."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.organizations.models import Location, Organization, Program
from alongside.people.models import Person
from alongside.scheduling.models.setup import AppointmentType, Modality, Room, validate_time_zone


class Series(models.Model):
    """A recurring appointment ("weekly for 8 weeks"), as an RRULE read in its time zone's
    wall time so that a daylight-saving change never moves an occurrence by an hour."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointment_series")
    rrule = models.CharField(_("repeats"), max_length=300)
    dtstart = models.DateTimeField()
    time_zone = models.CharField(max_length=60, validators=[validate_time_zone])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "recurring appointment")
        verbose_name_plural = pgettext_lazy("kind of record", "recurring appointments")

    def __str__(self) -> str:
        return self.rrule


class Appointment(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held")
        BOOKED = "booked", _("Booked")
        ARRIVED = "arrived", _("Arrived")
        COMPLETED = "completed", pgettext_lazy("appointment status", "Completed")
        NO_SHOW = "no_show", _("Did not come")
        LATE_CANCELLED = "late_cancelled", _("Cancelled late")
        CANCELLED = "cancelled", _("Cancelled")
        # A hold nobody confirmed in time; it takes no time any more.
        EXPIRED = "expired", _("Hold lapsed")

    # The statuses that occupy time: the database refuses overlaps among them.
    ACTIVE_STATUSES = (Status.HELD, Status.BOOKED, Status.ARRIVED, Status.COMPLETED)
    UPCOMING_STATUSES = (Status.BOOKED, Status.ARRIVED)
    ATTENDANCE_STATUSES = (
        Status.COMPLETED,
        Status.ARRIVED,
        Status.NO_SHOW,
        Status.LATE_CANCELLED,
    )

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="appointments")
    # Blank for a group session, whose people are its attendees.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="appointments"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    modality = models.CharField(max_length=12, choices=Modality.choices)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The staff member's time taken, buffers included.
    blocks_from = models.DateTimeField(editable=False)
    blocks_until = models.DateTimeField(editable=False)
    # The wall-time zone the appointment was made in (the location's or the staff member's).
    time_zone = models.CharField(max_length=60, validators=[validate_time_zone])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    # A hold lapses on its own at this time; it never blocks after it.
    held_until = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("what it is for"), max_length=300, blank=True)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    interpreter_language = models.CharField(max_length=12, blank=True)
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    rescheduled_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overbooked = models.BooleanField(default=False)
    overbook_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "appointment")
        verbose_name_plural = pgettext_lazy("kind of record", "appointments")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["staff", "blocks_from"], name="appointment_staff_time"),
            models.Index(fields=["person", "starts_at"], name="appointment_person_time"),
            models.Index(fields=["room", "starts_at"], name="appointment_room_time"),
            models.Index(fields=["program", "starts_at"], name="appointment_program_time"),
            # The few overbooked rows, which the exclusion constraints' indexes leave out
            # and which still block the time: read beside those indexes by the slot search.
            models.Index(
                fields=["staff", "blocks_from"],
                condition=Q(overbooked=True),
                name="appointment_overbooked_staff",
            ),
            models.Index(
                fields=["room", "starts_at"],
                condition=Q(overbooked=True),
                name="appointment_overbooked_room",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(blocks_from__lte=F("starts_at")) & Q(blocks_until__gte=F("ends_at")),
                name="appointment_blocks_cover_it",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_until__isnull=False),
                name="appointment_hold_expires",
            ),
            models.CheckConstraint(
                condition=Q(overbooked=False) | ~Q(overbook_reason=""),
                name="appointment_overbook_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} {self.starts_at:%Y-%m-%d %H:%M}"

    def set_blocks(self) -> None:
        kind = self.appointment_type
        self.blocks_from = self.starts_at - dt.timedelta(minutes=kind.buffer_before_minutes)
        self.blocks_until = self.ends_at + dt.timedelta(minutes=kind.buffer_after_minutes)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def is_hold_live(self, now: dt.datetime | None = None) -> bool:
        return (
            self.status == self.Status.HELD
            and self.held_until is not None
            and self.held_until > (now or timezone.now())
        )

    def is_late_cancel(self, now: dt.datetime, *, hours: int) -> bool:
        return self.starts_at - now < dt.timedelta(hours=hours)


class GroupSeat(models.Model):
    """A person's seat in a group session. Seats taken never exceed the type's capacity:
    the booking service counts them with the session row locked."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ARRIVED = "arrived", _("Arrived")
        COMPLETED = "completed", pgettext_lazy("appointment status", "Completed")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")

    TAKEN_STATUSES = (Status.BOOKED, Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW)

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_seats")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "group seat")
        verbose_name_plural = pgettext_lazy("kind of record", "group seats")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "person"],
                condition=~Q(status="cancelled"),
                name="group_seat_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.appointment}"


class WaitlistEntry(models.Model):
    """A person waiting for a slot (sooner than the one they have, or any that fits)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered a slot")
        BOOKED = "booked", _("Booked")
        WITHDRAWN = "withdrawn", _("No longer waiting")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="waitlist_entries")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Waiting for something sooner than this appointment.
    current_appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    earliest = models.DateField(_("from"), null=True, blank=True)
    latest = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "waitlist entry")
        verbose_name_plural = pgettext_lazy("kind of record", "waitlist entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["program", "status"], name="waitlist_program_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "appointment_type"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_live_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.appointment_type}"


class Offer(models.Model):
    """A freed slot offered to one waiting person, held for them until it expires. One
    live offer per slot (a unique key), and the hold keeps anyone else from booking it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    hold = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="offers")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "starts_at"],
                condition=Q(status="open"),
                name="offer_one_live_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.starts_at:%Y-%m-%d %H:%M}"
