"""Encounters (every kind of touchpoint with or about a person), the notes written about
them from versioned templates, and the addenda that correct a signed note.

A signed note is locked against every route: the services refuse to change it, and a
database trigger (migration 0002) refuses UPDATE and DELETE of a signed note and of any
addendum, on PostgreSQL and SQLite, whatever writes to the table. The one update it lets
through is a program's required co-signature, written once (migration 0005).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.organizations.models import Organization, Program
from alongside.people.models import Person


def shipped_or_own(field: str, shipped: str, own: str) -> list[models.BaseConstraint]:
    """One shipped row (no organization) per `field`, and one per organization."""
    return [
        models.UniqueConstraint(
            fields=[field], condition=Q(organization__isnull=True), name=shipped
        ),
        models.UniqueConstraint(fields=["organization", field], name=own),
    ]


class Encounter(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", _("Office visit")
        HOME = "home", _("Home visit")
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video call")
        TEXT = "text", _("Text exchange")
        COLLATERAL = "collateral", _("Collateral contact")
        GROUP = "group", _("Group session")
        ATTEMPTED = "attempted", _("Attempted contact")
        EMERGENCY = "emergency", _("Emergency-department visit")
        DISCHARGE = "discharge", _("Hospital discharge")

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        TEXT = "text", _("Text messages")
        NONE = "none", _("Not a meeting (a recorded event)")

    # The care team reached the person: these move `Person.last_contacted_at`. A
    # collateral contact is with someone else, an attempt reached no one, and the
    # recorded events happened elsewhere.
    CONTACT_KINDS = frozenset(
        {Kind.OFFICE, Kind.HOME, Kind.PHONE, Kind.VIDEO, Kind.TEXT, Kind.GROUP}
    )
    # Recorded events that follow-up rules watch for (contact within 48 hours).
    EVENT_KINDS = frozenset({Kind.EMERGENCY, Kind.DISCHARGE})

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="encounters")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="encounters")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    modality = models.CharField(max_length=10, choices=Modality.choices)
    place = models.CharField(max_length=200, blank=True)
    person_present = models.BooleanField(default=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # People who matter to the person and took part: [{"name": ..., "relationship": ...}].
    others = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "encounter")
        verbose_name_plural = pgettext_lazy("kind of record", "encounters")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-started_at"], name="encounter_person_recent"),
            models.Index(fields=["program", "kind", "started_at"], name="encounter_program_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="encounter_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.started_at.date().isoformat()}"

    @property
    def is_contact(self) -> bool:
        return self.kind in self.CONTACT_KINDS


class NoteTemplate(models.Model):
    """A kind of note (DAP, SOAP, motivational-interviewing progress note), shipped for
    everyone (no organization) or made by an organization, for all of its programs or
    one. Its wording is in its versions."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    # Notes from this template hold behavioral-health detail: their content is shown only
    # to the person's care team (the one sensitivity rule).
    sensitive = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = shipped_or_own(
            "slug", "note_template_shipped", "note_template_slug_in_organization"
        )

    def __str__(self) -> str:
        return self.name


class NoteTemplateVersion(models.Model):
    """One version of a template's definition: {"sections": [{"key", "title", "prompt",
    "required"}]} (see encounters/definitions.py). Notes keep the version they were
    written with, so changing a template never changes a written note."""

    template = models.ForeignKey(NoteTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="note_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def sections(self) -> list[dict[str, Any]]:
        return list(self.definition.get("sections", []))


class NoteSettings(models.Model):
    """How a program's notes are signed. A program without a row uses the defaults."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="note_settings")
    # A signed note also needs a supervisor of the program to co-sign it (trainees,
    # licensure rules): until then it is "signed, awaiting co-signature".
    requires_cosignature = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "note settings"

    def __str__(self) -> str:
        return f"Note settings of {self.program}"


class Note(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="notes")
    template_version = models.ForeignKey(
        NoteTemplateVersion, on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField(default=dict)  # {section key: text}
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    sensitive = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # Set when it is signed, from the program's NoteSettings then: a later change of the
    # setting does not change what a signed note needed.
    cosignature_required = models.BooleanField(default=False)
    # Written once, on a signed note that needs it: the only change the database lets
    # through on a signed note (migration 0005).
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True)
                | Q(status="signed", signed_at__isnull=False),
                name="note_signed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(cosigned_at__isnull=True, cosigned_by__isnull=True)
                | Q(
                    status="signed",
                    cosignature_required=True,
                    cosigned_at__isnull=False,
                    cosigned_by__isnull=False,
                ),
                name="note_cosigned_when_signed_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_version.template} ({self.get_status_display()})"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def awaits_cosignature(self) -> bool:
        return self.is_signed and self.cosignature_required and self.cosigned_at is None

    @property
    def status_label(self) -> str:
        """The status as shown: "Signed, awaiting co-signature" until a supervisor co-signs."""
        if self.awaits_cosignature:
            return str(_("Signed, awaiting co-signature"))
        if self.cosigned_at is not None:
            return str(_("Signed and co-signed"))
        return str(self.get_status_display())

    def sections(self) -> list[tuple[dict[str, Any], str]]:
        return [(s, self.content.get(s["key"], "")) for s in self.template_version.sections]


class Addendum(models.Model):
    """A correction or addition to a signed note: signed when written, never changed."""

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    content = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum to note #{self.note_id}"


class LabelingTerm(models.Model):
    """A word or phrase that labels a person rather than describing them, with a
    person-first alternative and why: the respectful-language check's list. Shipped
    terms have no organization; an organization adds its own, or turns a shipped one off
    for itself with a row of the same term and `is_active` false."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    term = models.CharField(max_length=80)
    alternative = models.CharField(max_length=300)
    why = models.CharField(max_length=500)
    source = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["term"]
        constraints = shipped_or_own(
            "term", "labeling_term_shipped", "labeling_term_in_organization"
        )

    def __str__(self) -> str:
        return self.term
