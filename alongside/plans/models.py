"""Individualized service plans, made with the person: one plan per enrollment, goals in
the person's own words (kept exactly as written), steps with owners, readiness, goal
attainment scaling, reviews and the person's agreement. Every change bumps the plan's
`version` and keeps a `PlanVersion` snapshot of the whole plan, so a past version reads
exactly as it was (docs/plans.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.organizations.models import Program
from alongside.people.models import Enrollment, Person, SupportContact

# Life domains whose goals say something about behavioral health, substance use or
# safety: shown only to those the one sensitivity rule lets see sensitive details.
SENSITIVE_DOMAINS = frozenset({"mental_health", "substance_use", "safety"})
# The profile sections a goal can serve, in the person's words (people.Profile).
LINKABLE_PROFILE_FIELDS = ("important_to", "hopes", "want_to_change", "strengths")


class PlanSettings(models.Model):
    """How a program runs its plans. A program without a row uses the defaults."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="plan_settings")
    requires_agreement = models.BooleanField(default=True)
    # Agreement must be a signature on screen (not only verbal with a witness).
    requires_signature = models.BooleanField(default=False)
    requires_approval = models.BooleanField(default=False)
    review_interval_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(7), MaxValueValidator(730)]
    )

    def __str__(self) -> str:
        return f"Plan settings of {self.program}"


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        UNDER_REVIEW = "under_review", _("Under review")
        REVISED = "revised", _("Revised")
        # Translators: the status of a plan (Spanish: masculine, "plan").
        COMPLETED = "completed", pgettext_lazy("plan status", "Completed")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.DRAFT, Status.ACTIVE, Status.UNDER_REVIEW, Status.REVISED)
    # In force: reviews fall due.
    IN_FORCE = (Status.ACTIVE, Status.UNDER_REVIEW, Status.REVISED)
    ENDED = (Status.COMPLETED, Status.CLOSED)

    # The person is kept on the row (it is the enrollment's) so scoping is one join.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plans")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.DRAFT)
    ended_reason = models.CharField(max_length=500, blank=True)
    started_on = models.DateField()
    activated_at = models.DateTimeField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "plan")
        verbose_name_plural = pgettext_lazy("kind of record", "plans")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "status"], name="plan_person_status"),
            models.Index(
                fields=["next_review_on"],
                condition=Q(status__in=["active", "under_review", "revised"]),
                name="plan_review_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status__in=["draft", "active", "under_review", "revised"]),
                name="plan_one_open_per_enrollment",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "under_review", "revised"])
                | ~Q(ended_reason=""),
                name="plan_ended_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Goal(models.Model):
    """A goal with a stable identity across versions: never deleted and recreated (a goal
    set aside is cancelled or entered in error), so notes, tasks and the API can refer
    to it."""

    class Domain(models.TextChoices):
        HOUSING = "housing", _("Housing")
        FOOD = "food", _("Food")
        HEALTH = "health", _("Health")
        MENTAL_HEALTH = "mental_health", _("Mental health")
        SUBSTANCE_USE = "substance_use", _("Substance use")
        SAFETY = "safety", _("Safety")
        INCOME = "income", _("Income")
        EMPLOYMENT = "employment", _("Employment")
        EDUCATION = "education", _("Education")
        LEGAL = "legal", _("Legal")
        TRANSPORTATION = "transportation", _("Transportation")
        FAMILY = "family", _("Family")
        SOCIAL = "social_connection", _("Social connection")
        OTHER = "other", _("Other")

    class Importance(models.TextChoices):
        TO = "to", _("Important to them")
        FOR = "for", _("Important for them")
        BOTH = "both", _("Both")

    class Lifecycle(models.TextChoices):  # FHIR Goal.lifecycleStatus
        PROPOSED = "proposed", _("Proposed")
        PLANNED = "planned", _("Planned")
        ACCEPTED = "accepted", _("Accepted")
        # Translators: the status of a goal (Spanish: feminine, "meta").
        ACTIVE = "active", pgettext_lazy("goal status", "Active")
        ON_HOLD = "on-hold", _("On hold")
        COMPLETED = "completed", pgettext_lazy("goal status", "Completed")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")
        ENTERED_IN_ERROR = "entered-in-error", _("Entered in error")

    class Achievement(models.TextChoices):  # FHIR Goal.achievementStatus
        IN_PROGRESS = "in-progress", _("In progress")
        IMPROVING = "improving", _("Improving")
        WORSENING = "worsening", _("Worsening")
        NO_CHANGE = "no-change", _("No change")
        ACHIEVED = "achieved", _("Achieved")
        SUSTAINING = "sustaining", _("Sustaining")
        NOT_ACHIEVED = "not-achieved", _("Not achieved")
        NO_PROGRESS = "no-progress", _("No progress")
        NOT_ATTAINABLE = "not-attainable", _("Not attainable")

    class ProfileLink(models.TextChoices):
        IMPORTANT_TO = "important_to", _("What is important TO me")
        HOPES = "hopes", _("My hopes and dreams")
        WANT_TO_CHANGE = "want_to_change", _("What I would like to change")
        STRENGTHS = "strengths", _("My strengths")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    words = models.TextField(help_text=_("The goal in the person's own words, exactly."))
    restatement = models.TextField(blank=True)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    importance = models.CharField(max_length=4, choices=Importance.choices)
    profile_link = models.CharField(max_length=20, choices=ProfileLink.choices, blank=True)
    priority = models.PositiveSmallIntegerField(default=1)
    target_date = models.DateField(null=True, blank=True)
    lifecycle = models.CharField(
        max_length=20, choices=Lifecycle.choices, default=Lifecycle.PROPOSED
    )
    achievement = models.CharField(max_length=20, choices=Achievement.choices, blank=True)
    # Goal attainment scaling: what each level would look like, described when set.
    gas_minus2 = models.TextField(blank=True)
    gas_minus1 = models.TextField(blank=True)
    gas_0 = models.TextField(blank=True)
    gas_plus1 = models.TextField(blank=True)
    gas_plus2 = models.TextField(blank=True)
    # The goal's weight in the plan's GAS T-score (gas.py).
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return self.words[:60]

    @property
    def is_sensitive(self) -> bool:
        return self.domain in SENSITIVE_DOMAINS

    @property
    def only_important_for(self) -> bool:
        return self.importance == self.Importance.FOR

    @property
    def is_current(self) -> bool:
        return self.lifecycle not in (
            self.Lifecycle.CANCELLED,
            self.Lifecycle.REJECTED,
            self.Lifecycle.ENTERED_IN_ERROR,
        )

    def gas_levels(self) -> list[tuple[int, str]]:
        return [
            (-2, self.gas_minus2),
            (-1, self.gas_minus1),
            (0, self.gas_0),
            (1, self.gas_plus1),
            (2, self.gas_plus2),
        ]


ZERO_TO_TEN = [MinValueValidator(0), MaxValueValidator(10)]


class GoalTemplate(models.Model):
    """A goal a program's staff can start from, with the steps it usually takes: it
    fills in the life domain, the staff restatement and the expected outcome, never the
    person's words. Programs without their own use the shipped ones (plans/library.py)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="goal_templates")
    title = models.CharField(max_length=200)
    domain = models.CharField(max_length=20, choices=Goal.Domain.choices)
    importance = models.CharField(
        max_length=4, choices=Goal.Importance.choices, default=Goal.Importance.BOTH
    )
    restatement = models.TextField(blank=True)
    gas_0 = models.TextField(blank=True)
    # The steps it usually takes, one a line: offered when adding a step to its goals.
    steps = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                "program", models.functions.Lower("title"), name="goal_template_title_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def step_lines(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class Readiness(models.Model):
    """One measurement of the readiness ruler for a goal: how important and how
    confident, 0 to 10, with the answer to "why not lower?" in the person's words."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="readiness")
    importance = models.SmallIntegerField(validators=ZERO_TO_TEN)
    confidence = models.SmallIntegerField(validators=ZERO_TO_TEN)
    why_not_lower = models.TextField(blank=True)
    measured_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["measured_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(importance__gte=0, importance__lte=10)
                & Q(confidence__gte=0, confidence__lte=10),
                name="readiness_zero_to_ten",
            )
        ]

    def __str__(self) -> str:
        return f"{self.importance}/{self.confidence}"


class Step(models.Model):
    """Something someone will do toward a goal. A step owned by a staff member is the
    one the hub's tasks will carry (plans/hooks.py)."""

    class Owner(models.TextChoices):
        PERSON = "person", _("The person")
        STAFF = "staff", _("A staff member")
        SUPPORT = "support", _("Someone who matters to them")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.TextField()
    owner_kind = models.CharField(max_length=10, choices=Owner.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_steps",
    )
    owner_contact = models.ForeignKey(
        SupportContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        indexes = [
            models.Index(
                fields=["owner_user", "due_on"],
                condition=Q(done_at__isnull=True),
                name="step_open_by_owner",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Review(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    participants = models.TextField()
    person_view = models.TextField(blank=True)
    what_changed = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Review on {self.held_on}"


class GasRating(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    level = models.SmallIntegerField(validators=[MinValueValidator(-2), MaxValueValidator(2)])
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review_id", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="gas_rating_one_per_goal"),
            models.CheckConstraint(
                condition=Q(level__gte=-2, level__lte=2), name="gas_rating_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level:+d}"


class Agreement(models.Model):
    class Method(models.TextChoices):
        SIGNED = "signed", _("Signed on screen")
        VERBAL = "verbal", _("Agreed verbally, with a witness")
        DECLINED = "declined", _("Declined")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    method = models.CharField(max_length=10, choices=Method.choices)
    signature = models.CharField(max_length=200, blank=True)
    witness = models.CharField(max_length=200, blank=True)
    person_words = models.TextField(blank=True)
    plan_version = models.PositiveIntegerField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.get_method_display()

    @property
    def agrees(self) -> bool:
        return self.method != self.Method.DECLINED


class PlanVersion(models.Model):
    """The whole plan as it was after one change (plans/snapshot.py), never changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.CharField(max_length=300)
    snapshot = models.JSONField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"
