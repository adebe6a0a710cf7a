"""The person, who sees them (`PersonQuerySet.visible_to`), and their enrollments: the
episodes of their journey in a program, which that rule reads."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.accounts.actors import Visitor
from alongside.accounts.scope import Scope, scope_for
from alongside.organizations.models import Organization, Program
from alongside.people.normalize import normalize


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: Visitor, *, include_merged: bool = False) -> PersonQuerySet:
        """The one rule for who sees whom: organization admins see their organization's
        people; everyone else sees people enrolled (in any status) in their programs.
        A record merged into another is hidden unless include_merged (merge records,
        undo) asks for it."""
        scope = scope_for(user)
        if scope.is_empty:
            return self.none()
        in_my_programs = Enrollment.objects.filter(
            person_id=OuterRef("pk"), program_id__in=scope.program_ids
        )
        condition: Any = Q(organization_id__in=scope.admin_organization_ids)
        if scope.program_ids:
            condition = condition | Exists(in_my_programs)
        people = self.filter(condition)
        return people if include_merged else people.filter(merged_into__isnull=True)


def rows_reached(scope: Scope) -> tuple[str, tuple[Any, ...]]:
    """SQL selecting, as `id`, a person for each row a scope starts from: each enrollment
    in its programs, each person of the organizations it administers (a person enrolled
    twice comes twice; merged records come too). Everyone `visible_to` shows is among
    them. Search counts them to tell a small scope (people/search.py, `Reach`) and reads a
    small scope's people from them, still through `visible_to`, which decides."""
    sql = (
        f"SELECT e.person_id AS id FROM {Enrollment._meta.db_table} e "  # noqa: S608
        f"WHERE e.program_id = ANY(%s) UNION ALL SELECT p.id FROM {Person._meta.db_table} p "
        f"WHERE p.organization_id = ANY(%s)"
    )
    return sql, (sorted(scope.program_ids), sorted(scope.admin_organization_ids))


def organizations_reached(scope: Scope) -> tuple[int, ...]:
    """Every organization whose people `visible_to` may show this scope: its own. A role
    in a program is held in the program's organization and a person is enrolled only in
    programs of their own (the services refuse others, and on PostgreSQL so do triggers:
    accounts migration 0003, people migration 0013)."""
    return tuple(sorted(scope.organization_ids))


class Person(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        INTERSEX = "intersex", _("Intersex")
        UNKNOWN = "unknown", _("Unknown")
        DECLINED = "declined", _("Prefers not to say")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="people")
    legal_given_name = models.CharField(_("legal first name"), max_length=150)
    legal_family_name = models.CharField(_("legal last name"), max_length=150, blank=True)
    preferred_name = models.CharField(max_length=150, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    gender_identity = models.CharField(
        max_length=100, blank=True, help_text="In the person's own words."
    )
    # Blank: the organization's time zone. Contact windows are read in this zone.
    time_zone = models.CharField(
        max_length=60, blank=True, help_text="Blank for the organization's time zone."
    )
    # Lower-cased, accent-free names, kept for search (see people/search.py).
    search_text = models.CharField(max_length=500, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    # Set when this record was merged into another (see matching/merge.py); the
    # record is kept, hidden, so that the merge can be undone.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_from",
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the care team last reached the person (an encounter that was a contact, not an
    # attempt): kept on the row so worklists and follow-up rules read it without a join.
    # Written only by `people.services.record_contact`.
    last_contacted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "person")
        verbose_name_plural = pgettext_lazy("kind of record", "people")
        indexes = [
            models.Index(fields=["organization", "legal_family_name"], name="person_org_family"),
            models.Index(fields=["date_of_birth"], name="person_dob"),
            models.Index(fields=["search_text"], name="person_search_text"),
            models.Index(fields=["organization", "last_contacted_at"], name="person_org_contacted"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def first_name(self) -> str:
        return self.preferred_name or self.legal_given_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.legal_family_name}".strip()

    @property
    def legal_name(self) -> str:
        return f"{self.legal_given_name} {self.legal_family_name}".strip()

    def age(self, today: dt.date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        today = today or timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.legal_given_name.strip():
            errors["legal_given_name"] = "Enter the person's legal first name."
        if self.date_of_birth is not None:
            if self.date_of_birth > timezone.localdate():
                errors["date_of_birth"] = "Date of birth cannot be in the future."
            elif self.date_of_birth.year < 1890:
                errors["date_of_birth"] = "Enter a date of birth after 1890."
        if self.time_zone and self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = "Give a time zone such as America/New_York."
        if errors:
            raise ValidationError(errors)
        self.refresh_search_text()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The person's time zone, or their organization's."""
        return zoneinfo.ZoneInfo(self.time_zone or self.organization.time_zone)

    def refresh_search_text(self) -> None:
        self.search_text = normalize(
            " ".join([self.legal_given_name, self.legal_family_name, self.preferred_name])
        )[:500]


class Enrollment(models.Model):
    """One episode of the person's journey in a program."""

    class Status(models.TextChoices):
        REFERRED = "referred", pgettext_lazy("enrollment status", "Referred")
        ACTIVE = "active", pgettext_lazy("enrollment status", "Active")
        PAUSED = "paused", pgettext_lazy("enrollment status", "Paused")
        CLOSED = "closed", pgettext_lazy("enrollment status", "Closed")

    class ClosureReason(models.TextChoices):
        GOALS_MET = "goals_met", _("Goals met")
        DECLINED = "declined", _("Person chose to stop")
        MOVED = "moved", _("Moved away")
        TRANSFERRED = "transferred", _("Transferred to another program")
        LOST_CONTACT = "lost_contact", _("Lost contact")
        INELIGIBLE = "ineligible", _("Not eligible")
        DECEASED = "deceased", _("Died")
        OTHER = "other", _("Other")
        # Set only by a merge, on the second open enrollment in one program.
        MERGED = "merged", _("Closed by a merge of two records")

    OPEN_STATUSES = (Status.REFERRED, Status.ACTIVE, Status.PAUSED)
    # The reasons staff choose from (a merge sets MERGED itself).
    CHOSEN_CLOSURE_REASONS = tuple(filter(ClosureReason.MERGED.__ne__, ClosureReason))

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrollments")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REFERRED)
    referred_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = models.CharField(max_length=500, blank=True)
    primary_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_enrollments",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "enrollment")
        verbose_name_plural = pgettext_lazy("kind of record", "enrollments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["program", "person"], name="enrollment_program_person"),
            models.Index(fields=["primary_coordinator", "status"], name="enrollment_coordinator"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program"],
                condition=~Q(status="closed"),
                name="enrollment_one_open_per_program",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closure_reason=""),
                name="enrollment_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="enrollment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.status == self.Status.CLOSED and not self.closure_reason:
            raise ValidationError({"closure_reason": "Say why the enrollment is closing."})
        if self.status != self.Status.CLOSED and self.closure_reason:
            self.closure_reason = ""
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date must be on or after the start date."})
        if self.status != self.Status.CLOSED and self.person_id and self.program_id:
            others = Enrollment.objects.filter(person_id=self.person_id, program_id=self.program_id)
            if others.exclude(status=self.Status.CLOSED).exclude(pk=self.pk).exists():
                raise ValidationError(
                    {
                        "program": "The person already has an open enrollment in this program; "
                        "update that one instead."
                    },
                    code="unique",
                )

    def get_constraints(self) -> list[tuple[type[models.Model], Sequence[models.BaseConstraint]]]:
        """What validation asks the database about: nothing, since clean() checks the
        same rules as the constraints above, with clearer messages and one plain query
        instead of one per constraint (Django's way costs milliseconds on every save of
        every enrollment). The constraints still guard the table itself."""
        return []

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def closed_by_merge(self) -> bool:
        return self.closure_reason == self.ClosureReason.MERGED
