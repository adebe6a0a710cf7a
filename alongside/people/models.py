from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from alongside.accounts.actors import Visitor
from alongside.accounts.scope import scope_for
from alongside.organizations.models import Organization, Program
from alongside.people.languages import LANGUAGE_NAMES, LANGUAGES
from alongside.people.normalize import normalize, normalize_identifier, normalize_phone


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


class Person(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNKNOWN = "unknown", "Unknown"
        DECLINED = "declined", "Prefers not to say"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="people")
    legal_given_name = models.CharField("legal first name", max_length=150)
    legal_family_name = models.CharField("legal last name", max_length=150, blank=True)
    preferred_name = models.CharField(max_length=150, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField("sex", max_length=10, choices=Sex.choices, blank=True)
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
        verbose_name_plural = "people"
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


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=12, choices=LANGUAGES)
    is_preferred = models.BooleanField(default=False)
    interpreter_needed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_preferred", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)


class Identifier(models.Model):
    class Kind(models.TextChoices):
        MEDICAID = "medicaid", "Medicaid ID"
        MEDICARE = "medicare", "Medicare ID"
        MRN = "mrn", "Medical record number"
        HMIS = "hmis", "HMIS ID"
        INSURANCE = "insurance", "Insurance member ID"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    issuer = models.CharField(max_length=150, help_text="Who assigned it, e.g. 'NY Medicaid'.")
    value = models.CharField(max_length=64)
    normalized = models.CharField(max_length=64, editable=False, db_index=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "issuer", "normalized"], name="identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def clean(self) -> None:
        self.normalized = normalize_identifier(self.value)
        if not self.normalized:
            raise ValidationError({"value": "Enter the identifier's letters and digits."})


BAD_PHONE = "Enter a valid phone number, such as (212) 555-0187 or +1 212 555 0187."


class ContactPoint(models.Model):
    """A way to reach the person, with the rules that keep contact safe."""

    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        ADDRESS = "address", "Address"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=40, blank=True, help_text="e.g. mobile, work, home")
    value = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300, editable=False, db_index=True)
    is_preferred = models.BooleanField(default=False)
    # Per channel (see CHANNEL_FIELDS): allowed or not, why not, and a window of local
    # times in the person's time zone. Safe by default: no voicemail, no texts and no
    # email until the person says yes; a phone may be called.
    may_call = models.BooleanField(default=True)
    may_leave_voicemail = models.BooleanField(default=False)
    may_text = models.BooleanField(default=False)
    may_email = models.BooleanField(default=False)
    voice_reason = models.CharField(max_length=200, blank=True)
    voicemail_reason = models.CharField(max_length=200, blank=True)
    text_reason = models.CharField(max_length=200, blank=True)
    email_reason = models.CharField(max_length=200, blank=True)
    voice_from = models.TimeField(null=True, blank=True)
    voice_until = models.TimeField(null=True, blank=True)
    voicemail_from = models.TimeField(null=True, blank=True)
    voicemail_until = models.TimeField(null=True, blank=True)
    text_from = models.TimeField(null=True, blank=True)
    text_until = models.TimeField(null=True, blank=True)
    email_from = models.TimeField(null=True, blank=True)
    email_until = models.TimeField(null=True, blank=True)
    # For every channel: when contact is safe at all.
    safe_hours_start = models.TimeField(null=True, blank=True)
    safe_hours_end = models.TimeField(null=True, blank=True)
    best_times = models.CharField(max_length=200, blank=True)
    never_contact_times = models.CharField(max_length=200, blank=True)
    safety_note = models.CharField(
        max_length=500, blank=True, help_text="e.g. 'Use the work phone only'."
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-is_preferred", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self) -> None:
        value = self.value.strip()
        if self.kind == self.Kind.PHONE:
            phone = normalize_phone(value)
            if phone is None:
                raise ValidationError({"value": BAD_PHONE})
            self.normalized = phone
        elif self.kind == self.Kind.EMAIL:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError({"value": "Enter a valid email address."}) from None
            self.normalized = value.lower()
        else:
            if not value:
                raise ValidationError({"value": "Enter the address."})
            self.normalized = " ".join(value.lower().split())
        # Lower-casing can lengthen text ("İ" becomes two characters); keep it storable.
        self.normalized = self.normalized[:300]
        if (self.safe_hours_start is None) != (self.safe_hours_end is None):
            raise ValidationError(
                {"safe_hours_end": "Give both the start and the end of the safe hours, or neither."}
            )
        for channel in CHANNELS:
            if (getattr(self, f"{channel}_from") is None) != (
                getattr(self, f"{channel}_until") is None
            ):
                why = "Give both the start and the end of the window, or neither."
                raise ValidationError({f"{channel}_until": why})

    def is_within_safe_hours(self, at: dt.time) -> bool:
        """Whether contact at this local time is inside the person's safe hours, if set."""
        return within(self.safe_hours_start, self.safe_hours_end, at)

    def channel_applies(self, channel: str) -> bool:
        """Whether this kind of contact point can carry the channel at all."""
        return channel in CHANNELS_BY_KIND.get(self.kind, ())

    def allows(self, channel: str) -> bool:
        return self.channel_applies(channel) and bool(getattr(self, CHANNEL_FIELDS[channel]))

    def window(self, channel: str) -> tuple[dt.time | None, dt.time | None]:
        return getattr(self, f"{channel}_from"), getattr(self, f"{channel}_until")


def within(start: dt.time | None, end: dt.time | None, at: dt.time) -> bool:
    """Whether a local time is inside a window (open when unset; may cross midnight)."""
    if start is None or end is None:
        return True
    if start <= end:
        return start <= at <= end
    return at >= start or at <= end


# The channels a contact point's rules speak of, and the field that allows each.
CHANNELS = ("voice", "voicemail", "text", "email")
CHANNEL_FIELDS = {
    "voice": "may_call",
    "voicemail": "may_leave_voicemail",
    "text": "may_text",
    "email": "may_email",
}
CHANNELS_BY_KIND = {"phone": ("voice", "voicemail", "text"), "email": ("email",)}


class SupportContact(models.Model):
    """Someone who matters to the person, and whether the person agreed to involve them."""

    class Relationship(models.TextChoices):
        FAMILY = "family", "Family"
        PARTNER = "partner", "Partner or spouse"
        FRIEND = "friend", "Friend"
        GUARDIAN = "guardian", "Guardian"
        CAREGIVER = "caregiver", "Caregiver"
        PEER = "peer", "Peer supporter"
        PROFESSIONAL = "professional", "Other helper or professional"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="support_contacts")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_detail = models.CharField(max_length=100, blank=True, help_text="e.g. sister")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    may_involve = models.BooleanField(
        "person agreed to involve them",
        default=False,
        help_text="Only involve this person in care if the person served agreed.",
    )
    note = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


PROFILE_FIELDS: list[tuple[str, str]] = [
    ("appreciated", "What people appreciate about me"),
    ("important_to", "What is important TO me"),
    ("important_for", "What is important FOR me"),
    ("how_to_support", "How best to support me"),
    ("strengths", "My strengths"),
    ("hopes", "My hopes and dreams"),
    ("want_to_change", "What I would like to change"),
    ("culture_identity", "My culture and identity"),
    ("stress_helps", "What helps when I am stressed"),
]


class Profile(models.Model):
    """The one-page profile, in the person's own words, stored exactly as written."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="profile")
    appreciated = models.TextField(blank=True)
    important_to = models.TextField(blank=True)
    important_for = models.TextField(blank=True)
    how_to_support = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    hopes = models.TextField(blank=True)
    want_to_change = models.TextField(blank=True)
    culture_identity = models.TextField(blank=True)
    stress_helps = models.TextField(blank=True)
    # Shared by the person; shown only to their care team (see people/selectors.py).
    approach_with_care = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.person}"

    def sections(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, name)) for name, label in PROFILE_FIELDS]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name, _ in PROFILE_FIELDS)


class Enrollment(models.Model):
    """One episode of the person's journey in a program."""

    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    class ClosureReason(models.TextChoices):
        GOALS_MET = "goals_met", "Goals met"
        DECLINED = "declined", "Person chose to stop"
        MOVED = "moved", "Moved away"
        TRANSFERRED = "transferred", "Transferred to another program"
        LOST_CONTACT = "lost_contact", "Lost contact"
        INELIGIBLE = "ineligible", "Not eligible"
        DECEASED = "deceased", "Died"
        OTHER = "other", "Other"
        # Set only by a merge, on the second open enrollment in one program.
        MERGED = "merged", "Closed by a merge of two records"

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


class RecordChange(models.Model):
    """The history a person's page shows: who changed what, from what, to what.

    Unlike the audit trail this keeps values, so it is read through the same scoping as
    the record itself; changes to sensitive fields are marked and shown only to the
    person's care team.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=10)
    entity = models.CharField(max_length=60)
    entity_id = models.BigIntegerField()
    changes = models.JSONField(default=dict)
    sensitive = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="change_person_recent")]

    def __str__(self) -> str:
        return f"{self.action} {self.entity} at {self.at:%Y-%m-%d %H:%M}"


class TimelineEntry(models.Model):
    """One touchpoint of a person's journey, written by the service that made the change
    (people.timeline.add_entry) in the same transaction, so that a person's timeline is
    read from this one table, newest first, without asking every app.

    `summary` is safe for anyone who may see the person; `details` only for those the one
    sensitivity rule lets see sensitive details when the entry (or its kind) is sensitive.
    """

    # No index of its own: timeline_person_recent starts with the person. With both, the
    # planner read all of a busy person's entries through this one and sorted them (a
    # person with 5,000 looked like 127), instead of reading one page in order.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="timeline", db_index=False
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The program the touchpoint belongs to; entries of programs a viewer does not work
    # in are not listed to them. Null for what belongs to the person's record as a whole.
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=60)  # a registered TimelineKind's key
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    details = models.TextField(blank=True)
    sensitive = models.BooleanField(default=False)
    subject_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.BigIntegerField(null=True, blank=True)
    link = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "timeline entries"
        indexes = [
            # A page of one person's timeline, newest first, from a cursor: one index range.
            models.Index(fields=["person", "-occurred_at", "-id"], name="timeline_person_recent"),
            models.Index(fields=["subject_type", "subject_id"], name="timeline_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at.isoformat()}"
