from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.intake.definitions import NEED_KINDS, validate_definition
from alongside.intake.wording import NEEDS, STATUSES, need_description
from alongside.organizations.models import Organization
from alongside.people.models import Person


class Instrument(models.Model):
    """A screening instrument, such as the PHQ-9, across all its versions."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, blank=True)
    citation = models.TextField(blank=True, help_text="Where the items and scoring come from.")
    code = models.CharField(max_length=40, blank=True, help_text="LOINC panel code, if any.")
    # Null for the shipped instruments, which every organization can use; otherwise the
    # organization that built it in the instrument builder, and only it can use it.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class InstrumentVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("instrument version status", "Active")
        RETIRED = "retired", _("Retired")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "label"], name="instrument_version_label_unique"
            ),
            models.UniqueConstraint(
                fields=["instrument"],
                condition=Q(status="active"),
                name="instrument_one_active_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.label})"

    def clean(self) -> None:
        problems = validate_definition(self.definition)
        if problems:
            raise ValidationError({"definition": problems})


# The screening languages as a sentence names them, in the reader's language ("questions
# in Spanish", "preguntas en español").
LANGUAGE_IN_A_SENTENCE = {
    "en": pgettext_lazy("language in a sentence", "English"),
    "es": pgettext_lazy("language in a sentence", "Spanish"),
}


class ScreeningResponse(models.Model):
    """One sitting of one instrument with one person; may be saved part-way and resumed."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", pgettext_lazy("screening status", "Completed")

    class Mode(models.TextChoices):
        STAFF = "staff", _("Asked by staff")
        PERSON = "person", _("Answered by the person")

    class Language(models.TextChoices):
        # Each named in itself, for choosing; `language_name` names it in a sentence.
        ENGLISH = "en", "English"
        SPANISH = "es", "Español"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="screenings")
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.STAFF)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "screening response")
        verbose_name_plural = pgettext_lazy("kind of record", "screening responses")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["person", "-started_at"], name="screening_person_started")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(completed_at__isnull=False),
                name="screening_completed_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_version} for person {self.person_id}"

    @property
    def language_name(self) -> str:
        """The questions' language named in the reader's: "Spanish", "español"."""
        return str(LANGUAGE_IN_A_SENTENCE.get(self.language, self.get_language_display()))

    @property
    def definition(self) -> dict[str, Any]:
        return dict(self.instrument_version.definition)

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class Answer(models.Model):
    """One item's answer. Declining ("prefer not to answer") is recorded as declined,
    never as a 'no'; items left unanswered at completion are recorded as skipped."""

    class State(models.TextChoices):
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Prefers not to answer"
        SKIPPED = "skipped", "Skipped"

    response = models.ForeignKey(
        ScreeningResponse, on_delete=models.CASCADE, related_name="answers"
    )
    link_id = models.CharField(max_length=100)
    state = models.CharField(max_length=10, choices=State.choices)
    # The option code for a choice, a number, true/false, or text; null unless answered.
    value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "link_id"], name="answer_one_per_item"),
            models.CheckConstraint(
                condition=Q(state="answered") | Q(value__isnull=True),
                name="answer_value_only_when_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.link_id}: {self.state}"


class Score(models.Model):
    response = models.ForeignKey(ScreeningResponse, on_delete=models.CASCADE, related_name="scores")
    name = models.CharField(max_length=60)
    value = models.IntegerField()
    band = models.CharField(max_length=60, blank=True)
    items_missing = models.PositiveIntegerField(
        default=0, help_text="Items declined or skipped: the score may understate."
    )
    # Adds up a sensitive item (intake/sensitive.py), so only those who may see
    # sensitive details see it; set when scored, as the instrument version never changes.
    sensitive = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "name"], name="score_one_per_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.value} {self.band}".strip()


class Need(models.Model):
    """A health-related social or behavioral-health need, and the screening it came from."""

    # Named in `wording`, the one place a need and its status are named.
    class Kind(models.TextChoices):
        FOOD_INSECURITY = "food_insecurity", NEEDS["food_insecurity"].name
        HOUSING_INSTABILITY = "housing_instability", NEEDS["housing_instability"].name
        UNSAFE_RELATIONSHIP = "unsafe_relationship", NEEDS["unsafe_relationship"].name
        UTILITIES = "utilities", NEEDS["utilities"].name
        TRANSPORTATION = "transportation", NEEDS["transportation"].name
        DEPRESSION = "depression", NEEDS["depression"].name
        ANXIETY = "anxiety", NEEDS["anxiety"].name

    class Status(models.TextChoices):
        IDENTIFIED = "identified", STATUSES["identified"]
        ADDRESSING = "addressing", STATUSES["addressing"]
        RESOLVED = "resolved", STATUSES["resolved"]
        NOT_WANTED = "not_wanted", STATUSES["not_wanted"]

    OPEN_STATUSES = (Status.IDENTIFIED, Status.ADDRESSING)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    source_response = models.ForeignKey(
        ScreeningResponse, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDENTIFIED)
    identified_at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "need")
        verbose_name_plural = pgettext_lazy("kind of record", "needs")
        ordering = ["-identified_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status__in=["identified", "addressing"]),
                name="need_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def description(self) -> str:
        """What the need means for the person: "may want help with having enough food"."""
        return need_description(self.kind)


assert set(NEED_KINDS) == set(Need.Kind.values) == set(NEEDS)
assert set(Need.Status.values) == set(STATUSES)


class UrgentFlag(models.Model):
    """A screening result someone must act on today, until a staff member acknowledges it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="urgent_flags")
    response = models.ForeignKey(
        ScreeningResponse, on_delete=models.CASCADE, related_name="urgent_flags"
    )
    reason = models.CharField(max_length=200)
    guidance = models.TextField()
    raised_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "urgent flag")
        verbose_name_plural = pgettext_lazy("kind of record", "urgent flags")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(
                fields=["person"],
                condition=Q(acknowledged_at__isnull=True),
                name="urgent_flag_open",
            ),
            # The urgent queue walks open flags oldest first and stops at a page's worth
            # of the user's own, instead of sorting every open flag in the system.
            models.Index(
                fields=["raised_at", "id"],
                condition=Q(acknowledged_at__isnull=True),
                name="urgent_flag_open_by_time",
            ),
        ]

    def __str__(self) -> str:
        return self.reason

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class UrgentFlagAction(models.Model):
    """One thing a staff member did about an urgent flag, with a note. The flag's history
    is its actions in order. Every action but "could not reach" closes the flag (sets its
    `acknowledged_at`): an attempt that did not reach the person leaves it open, on the
    person's page and in the queue, until someone does reach them."""

    class Kind(models.TextChoices):
        CONTACTED = "contacted", _("Contacted the person")
        SAFETY_PLAN = "safety_plan", _("Made a safety plan with them")
        REFERRED = "referred", _("Referred them for support")
        COULD_NOT_REACH = "could_not_reach", _("Tried, but could not reach them")
        OTHER = "other", _("Something else")

    # A note says what happened when the choice alone cannot: who was tried and how, or
    # what "something else" was.
    NOTE_REQUIRED = frozenset({Kind.COULD_NOT_REACH, Kind.OTHER})
    KEEPS_OPEN = frozenset({Kind.COULD_NOT_REACH})

    flag = models.ForeignKey(UrgentFlag, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["taken_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["could_not_reach", "other"]) | ~Q(note=""),
                name="urgent_flag_action_note_when_required",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def closes_flag(self) -> bool:
        return self.kind not in self.KEEPS_OPEN


class ScreeningLink(models.Model):
    """A link that lets the person fill in one screening on their own device, without an
    account. Only a hash of its token is stored; it ends when the screening is completed,
    when it expires, or when staff revoke it."""

    response = models.ForeignKey(ScreeningResponse, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Link for screening {self.response_id}"
