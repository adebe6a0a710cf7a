"""When a program reminds people of their appointments, and what people answered from a
reminder (scheduling/reminders.py, scheduling/reply_views.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.organizations.models import Program
from alongside.scheduling.models.appointments import Appointment


class ReminderRule(models.Model):
    """One reminder a program sends before each appointment, e.g. 72 or 24 hours
    before. A program with no rules uses SCHEDULING_DEFAULT_REMINDER_HOURS; one whose
    rules are all inactive sends none."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reminder_rules")
    hours_before = models.PositiveSmallIntegerField(_("hours before"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["program", "-hours_before"]
        constraints = [
            models.UniqueConstraint(fields=["program", "hours_before"], name="reminder_rule_once"),
            models.CheckConstraint(
                condition=Q(hours_before__gte=1) & Q(hours_before__lte=24 * 30),
                name="reminder_rule_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours_before} h before"


class ReminderReply(models.Model):
    """What the person said about an appointment from a reminder: confirmed, cancelled
    or asked to reschedule, by a signed link or by replying to the text."""

    class Answer(models.TextChoices):
        CONFIRM = "confirm", _("Confirmed")
        CANCEL = "cancel", _("Cancelled")
        RESCHEDULE = "reschedule", _("Asked to reschedule")

    class Via(models.TextChoices):
        LINK = "link", _("Link in a reminder")
        TEXT = "text", _("Reply to a text")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="reminder_replies"
    )
    answer = models.CharField(max_length=12, choices=Answer.choices)
    via = models.CharField(max_length=6, choices=Via.choices)
    starts_at = models.DateTimeField()  # the start the person answered about
    note = models.CharField(max_length=500, blank=True)
    answered_at = models.DateTimeField()
    # Reschedule requests stay open on the worklist until staff act on them.
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(
                fields=["answered_at"],
                condition=Q(answer="reschedule", handled_at__isnull=True),
                name="reminder_reply_open_reschedule",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_answer_display()} ({self.appointment_id})"
