"""Tasks (a piece of follow-up someone owns), their comments and history, and the
follow-up rules a program configures to create them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.organizations.models import Organization, Program
from alongside.people.models import Person


class Priority(models.TextChoices):
    # FHIR Task.priority codes (request-priority), from the least to the most pressing.
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    ASAP = "asap", _("As soon as possible")
    STAT = "stat", _("Immediately (stat)")


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> TaskQuerySet:
        return self.filter(status__in=Task.OPEN_STATUSES)


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Created by staff")
        RULE = "rule", _("Follow-up rule")
        NOTE = "note", _("Next step in a note")
        PLAN = "plan", _("Step in a plan")

    OPEN_STATUSES = (Status.TODO, Status.IN_PROGRESS)

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The person the task is about; blank for team work about no one in particular.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    # The team whose queue holds the task while nobody is assigned.
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="tasks")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_at = models.DateTimeField()
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TODO)
    # Why a task was cancelled, or how a rule closed it ("closed by rule: contacted on …").
    resolution = models.CharField(max_length=500, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    rule = models.ForeignKey(
        "FollowUpRule", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    # For a rule's task: which occurrence of the trigger it answers ("<person id>:<the
    # trigger's key>", so the key is unique within the rule without naming the person in
    # the constraint, which lets a merge move tasks like any other row), when that
    # arose, and why it exists in a few words ("urgent screening result"). For a note's
    # or a plan's task, what it carries: "note:<note id>:<line>", "step:<step id>".
    occurrence_key = models.CharField(max_length=100, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    why = models.CharField(max_length=200, blank=True)
    # Made from a sensitive source (a sensitive note, an urgent screening flag) or marked
    # so by its author: what it says is shown only as far as the one sensitivity rule
    # lets a viewer see (`tasks.presenting`). A database default too, so that rows
    # written without it (bulk loads, the benchmark's generators) are not sensitive.
    sensitive = models.BooleanField(default=False, db_default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "task")
        verbose_name_plural = pgettext_lazy("kind of record", "tasks")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["assignee", "due_at"],
                condition=Q(status__in=["todo", "in_progress"]),
                name="task_open_by_assignee",
            ),
            models.Index(
                fields=["program", "due_at"],
                condition=Q(status__in=["todo", "in_progress"], assignee__isnull=True),
                name="task_open_team_queue",
            ),
            models.Index(
                fields=["person", "due_at"],
                condition=Q(status__in=["todo", "in_progress"]),
                name="task_open_by_person",
            ),
            models.Index(
                fields=["rule"],
                condition=Q(status__in=["todo", "in_progress"], rule__isnull=False),
                name="task_open_from_rule",
            ),
        ]
        constraints = [
            # Exactly one task per occurrence of a rule's trigger, however often or on how
            # many workers at once the rule is evaluated: the database decides.
            models.UniqueConstraint(
                fields=["rule", "occurrence_key"],
                condition=Q(rule__isnull=False),
                name="task_one_per_rule_occurrence",
            ),
            # A note's next step or a plan's step becomes one task, never two.
            models.UniqueConstraint(
                fields=["origin", "occurrence_key"],
                condition=Q(origin__in=["note", "plan"]),
                name="task_one_per_note_line_or_plan_step",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(resolution=""),
                name="task_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(origin="rule", rule__isnull=False) | (~Q(origin="rule")),
                name="task_rule_origin_names_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def in_team_queue(self) -> bool:
        return self.assignee_id is None

    def clean(self) -> None:
        if self.status == self.Status.CANCELLED and not self.resolution.strip():
            raise ValidationError({"resolution": _("Say why the task is cancelled.")})
        if self.program_id and self.program.organization_id != self.organization_id:
            raise ValidationError({"program": _("Choose a program of this organization.")})


class TaskComment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class TaskEvent(models.Model):
    """One step of a task's history: created, assigned, taken, status changed, edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        ASSIGNED = "assigned", _("Assigned")
        STATUS = "status", _("Status changed")
        EDITED = "edited", _("Edited")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who acted when it was not a signed-in user ("Follow-up rules").
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old = models.CharField(max_length=200, blank=True)
    new = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.old} → {self.new}"


class FollowUpRule(models.Model):
    """A condition a program watches for (a trigger from `follow_up_triggers`) and the
    task each occurrence of it becomes."""

    class Deadline(models.TextChoices):
        SAME_DAY = "same_day", _("The same day")
        HOURS = "hours", _("Within a number of hours")
        BUSINESS_DAYS = "business_days", _("Within a number of business days")

    class AssignTo(models.TextChoices):
        COORDINATOR = "coordinator", _("The person's coordinator in the program")
        TEAM = "team", _("The program's team queue")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="follow_up_rules")
    trigger = models.CharField(max_length=60)
    # The trigger's parameter, such as N in "no contact for N days" (0 when it takes none).
    days = models.PositiveIntegerField(default=0)
    deadline = models.CharField(max_length=15, choices=Deadline.choices, default=Deadline.SAME_DAY)
    # Hours or business days, for those deadlines.
    deadline_amount = models.PositiveIntegerField(default=0)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    assign_to = models.CharField(
        max_length=12, choices=AssignTo.choices, default=AssignTo.COORDINATOR
    )
    title = models.CharField(
        max_length=200, help_text=_("The task's title, such as “Call after urgent result”.")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["program__name", "title", "id"]
        indexes = [models.Index(fields=["is_active", "trigger"], name="follow_up_rule_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline="same_day") | Q(deadline_amount__gte=1),
                name="follow_up_rule_deadline_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SweepRun(models.Model):
    """One periodic sweep of the follow-up rules, per time slot. Its unique slot is what
    keeps two workers from both enqueuing the same sweep: the second insert fails."""

    slot = models.DateTimeField(unique=True)
    enqueued_at = models.DateTimeField()
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-slot"]

    def __str__(self) -> str:
        return self.slot.isoformat()
