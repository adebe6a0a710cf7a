from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from alongside.people.models import Person


class WorklistDecision(models.Model):
    """A coordinator's decision about one worklist item: done for today, or snoozed
    until a date, with why. The item is hidden meanwhile but listed under "Done today"
    or "Snoozed" with who decided and why; undoing keeps the row (undone_at)."""

    class Action(models.TextChoices):
        DONE = "done", "Done today"
        SNOOZED = "snoozed", "Snoozed"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason_key = models.CharField(max_length=80)
    item_key = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    until = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Whose worklist it was decided on, when someone covered for a teammate.
    covering_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "worklist decision")
        verbose_name_plural = pgettext_lazy("kind of record", "worklist decisions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["person", "reason_key"],
                condition=Q(undone_at__isnull=True),
                name="worklist_decision_standing",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(action="snoozed") & Q(until__isnull=False))
                | (Q(action="done") & Q(until__isnull=True)),
                name="worklist_decision_snooze_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.reason_key} for person {self.person_id}"
