"""The one-page profile in the person's own words, the history of changes to the record,
and the journey timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.organizations.models import Organization, Program
from alongside.people.models.person import Person

# Each section of the one-page profile, its heading read in the viewer's language.
PROFILE_FIELDS: list[tuple[str, str | Promise]] = [
    ("appreciated", _("What people appreciate about me")),
    ("important_to", _("What is important TO me")),
    ("important_for", _("What is important FOR me")),
    ("how_to_support", _("How best to support me")),
    ("strengths", _("My strengths")),
    ("hopes", _("My hopes and dreams")),
    ("want_to_change", _("What I would like to change")),
    ("culture_identity", _("My culture and identity")),
    ("stress_helps", _("What helps when I am stressed")),
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

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "profile")
        verbose_name_plural = pgettext_lazy("kind of record", "profiles")

    def __str__(self) -> str:
        return f"Profile of {self.person}"

    def sections(self) -> list[tuple[str | Promise, str]]:
        return [(label, getattr(self, name)) for name, label in PROFILE_FIELDS]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name, _ in PROFILE_FIELDS)


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
        verbose_name = pgettext_lazy("kind of record", "record change")
        verbose_name_plural = pgettext_lazy("kind of record", "record changes")
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
        verbose_name = pgettext_lazy("kind of record", "timeline entry")
        verbose_name_plural = pgettext_lazy("kind of record", "timeline entries")
        indexes = [
            # A page of one person's timeline, newest first, from a cursor: one index range.
            models.Index(fields=["person", "-occurred_at", "-id"], name="timeline_person_recent"),
            models.Index(fields=["subject_type", "subject_id"], name="timeline_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at.isoformat()}"
