"""What scheduling is configured with: appointment types, rooms and opening hours, staff
availability (weekly patterns, one-off additions and time off) and each person's
scheduling preferences."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.organizations.models import Location, Organization, Program
from alongside.people.models import Person


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    HOME_VISIT = "home_visit", _("Home visit")


# Modalities that ask the person to travel to a location.
TRAVEL_MODALITIES = frozenset({Modality.IN_PERSON})
# Modalities that need no place at all.
REMOTE_MODALITIES = frozenset({Modality.PHONE, Modality.VIDEO})


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """The time zones this system knows (read from disk once: listing them walks the
    zone database, which cost a booking ~50 ms)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in known_zones():
        raise ValidationError(
            _("%(zone)s is not a known time zone; give one such as America/New_York."),
            params={"zone": value},
            code="unknown_time_zone",
        )


def validate_modalities(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one way to meet."), code="modalities")
    unknown = [m for m in value if m not in Modality.values]
    if unknown:
        raise ValidationError(_("Unknown way to meet: %(m)s."), params={"m": ", ".join(unknown)})


def modality_labels(values: list[str]) -> str:
    """The ways to meet as the page shows them ("In person, Phone"), not their codes."""
    return ", ".join(str(Modality(v).label) if v in Modality.values else v for v in values)


def all_modalities() -> list[str]:
    return list(Modality.values)


class AppointmentType(models.Model):
    """A kind of appointment a program offers: how long it takes, how it can happen, who
    can deliver it, and the quiet time it needs around it."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="appointment_types")
    name = models.CharField(_("name"), max_length=120)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    # The ways this appointment can happen; slot search offers each of them.
    modalities = models.JSONField(
        _("ways to meet"), default=all_modalities, validators=[validate_modalities]
    )
    # accounts.Role values of the staff who can deliver it; empty means any role.
    roles = models.JSONField(_("roles that can deliver it"), default=list, blank=True)
    buffer_before_minutes = models.PositiveSmallIntegerField(_("buffer before"), default=0)
    buffer_after_minutes = models.PositiveSmallIntegerField(_("buffer after"), default=0)
    interpreter_needed = models.BooleanField(
        _("needs an interpreter when the person does"), default=True
    )
    is_group = models.BooleanField(_("group session"), default=False)
    capacity = models.PositiveSmallIntegerField(_("seats"), default=1)
    is_active = models.BooleanField(default=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "The type's name says what the person is seen for in a way only their care team "
            "may read; everyone else sees a neutral “Appointment”."
        ),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["program", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5), name="appointment_type_duration_min"
            ),
            models.CheckConstraint(
                condition=Q(is_group=True) | Q(capacity=1), name="appointment_type_one_seat"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appointment_type_seats"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def modality_labels(self) -> str:
        return modality_labels(self.modalities)


class Room(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    seats = models.PositiveSmallIntegerField(_("seats"), default=2)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["location", "name"]

    def __str__(self) -> str:
        return f"{self.location} · {self.name}"


class OpeningHours(models.Model):
    """When a location is open on a weekday, in its local wall time."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # Monday is 0
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["location", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.weekday} {self.opens}–{self.closes}"

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS[self.weekday])


class AvailabilityPattern(models.Model):
    """A staff member's recurring weekly availability, in a time zone's wall time: "Tuesdays
    17:00–20:00 at the Eastside clinic, in person or by phone"."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_patterns"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # Monday is 0
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    time_zone = models.CharField(_("time zone"), max_length=60, validators=[validate_time_zone])
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modalities = models.JSONField(
        _("ways to meet"), default=all_modalities, validators=[validate_modalities]
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_walk_in = models.BooleanField(_("walk-in block"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["staff", "weekday", "starts"]
        indexes = [models.Index(fields=["organization", "staff"], name="availability_org_staff")]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="availability_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="availability_weekday"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="availability_valid_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.weekday} {self.starts}–{self.ends}"

    @property
    def modality_labels(self) -> str:
        return modality_labels(self.modalities)

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS[self.weekday])

    def clean(self) -> None:
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": _("The end must be after the start.")})


class AvailabilityChange(models.Model):
    """A one-off change to a staff member's availability: an extra block, or time off."""

    class Kind(models.TextChoices):
        ADDITION = "addition", _("Extra availability")
        TIME_OFF = "time_off", _("Time off")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_changes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    time_zone = models.CharField(_("time zone"), max_length=60, validators=[validate_time_zone])
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modalities = models.JSONField(
        _("ways to meet"), default=all_modalities, validators=[validate_modalities]
    )
    is_walk_in = models.BooleanField(_("walk-in block"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["staff", "starts_at"], name="availability_change_staff")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="availability_change_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.kind} {self.starts_at:%Y-%m-%d %H:%M}"


class SchedulingPreference(models.Model):
    """What works for the person, in their own time zone: slot search ranks by it."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="scheduling_preference"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=60, blank=True, validators=[validate_time_zone]
    )
    # Weekdays that work (Monday is 0); empty means any day.
    weekdays = models.JSONField(_("days that work"), default=list, blank=True)
    earliest = models.TimeField(_("not before"), null=True, blank=True)
    latest = models.TimeField(_("finished by"), null=True, blank=True)
    evenings_ok = models.BooleanField(_("evenings work"), default=False)
    weekends_ok = models.BooleanField(_("weekends work"), default=False)
    preferred_modality = models.CharField(
        _("preferred way to meet"), max_length=12, choices=Modality.choices, blank=True
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred location"),
    )
    travel_limit_minutes = models.PositiveSmallIntegerField(
        _("longest trip (minutes)"), null=True, blank=True
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    language = models.CharField(_("language"), max_length=12, blank=True)
    preferred_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred staff member"),
    )
    notes = models.CharField(_("anything else"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "scheduling preference")
        verbose_name_plural = pgettext_lazy("kind of record", "scheduling preferences")

    def __str__(self) -> str:
        return f"{self.person}"

    def clean(self) -> None:
        if self.earliest and self.latest and self.latest <= self.earliest:
            raise ValidationError({"latest": _("The end of the window must be after its start.")})
        if any(not isinstance(d, int) or not 0 <= d <= 6 for d in self.weekdays or []):
            raise ValidationError({"weekdays": _("Days are numbered 0 (Monday) to 6 (Sunday).")})
