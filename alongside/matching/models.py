"""What duplicate detection keeps: pairs found by the batch report, and merges (with
everything needed to undo them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from alongside.organizations.models import Organization
from alongside.people.models import Person


class DuplicatePair(models.Model):
    """Two records of one organization that may be the same person, as the last run of
    `alongside find_duplicates` scored them, and what a reviewer decided."""

    class Decision(models.TextChoices):
        LIKELY = "likely", _("Likely the same person")
        POSSIBLE = "possible", _("Possibly the same person")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("duplicate pair", "Not reviewed yet")
        NOT_THE_SAME = "not_the_same", pgettext_lazy("duplicate pair", "Not the same person")
        MERGED = "merged", pgettext_lazy("duplicate pair", "Merged")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "duplicate pair")
        verbose_name_plural = pgettext_lazy("kind of record", "duplicate pairs")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "decision", "-score"],
                name="duplicate_pair_queue",
            ),
            models.Index(fields=["person_b"], name="duplicate_pair_person_b"),
        ]

    def __str__(self) -> str:
        return f"#{self.person_a_id} and #{self.person_b_id} ({self.decision}, {self.score:g})"


class MergeRecord(models.Model):
    """One merge: who merged which record into which, why, and exactly what it did, so
    that it can be undone.

    `moved` maps "app_label.model.field" to the ids of the rows whose field was pointed
    from the merged record at the survivor. `changed` lists every field value the merge
    set on a row: {"model", "id", "field", "old", "new", "why"}. `kept` lists rows left on
    the merged record because the survivor already had the same thing:
    {"model", "id", "why"}; a profile section or identity field where both records had
    their own value adds "field" (and, for identity fields, the merged record's "value").
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField()
    moved = models.JSONField(default=dict)
    changed = models.JSONField(default=list)
    kept = models.JSONField(default=list)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)
    # What the undo could not put back as it was (rows removed since, values edited since).
    undo_notes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "merge record")
        verbose_name_plural = pgettext_lazy("kind of record", "merge records")
        ordering = ["-merged_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-merged_at"], name="merge_org_recent"),
            models.Index(fields=["survivor"], name="merge_survivor"),
            models.Index(fields=["merged"], name="merge_merged"),
        ]

    def __str__(self) -> str:
        return f"#{self.merged_id} merged into #{self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None

    def moved_counts(self) -> list[tuple[str, int]]:
        """(what, how many) for each kind of row moved, for people to read: "contact
        points", 2; "enrollment", 1."""
        counts: dict[str, int] = {}
        for key, ids in self.moved.items():
            model = ".".join(key.split(".")[:2])
            counts[model] = counts.get(model, 0) + len(ids)
        return sorted((_label(model, n), n) for model, n in counts.items())

    def kept_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for row in self.kept:
            if row.get("field"):
                continue  # a section of a profile kept whole, counted once
            counts[row["model"]] = counts.get(row["model"], 0) + 1
        return sorted((_label(model, n), n) for model, n in counts.items())


def _label(key: str, count: int) -> str:
    """'people.contactpoint' → 'contact points' (or 'contact point' for one), in the
    reader's language: the model's own names, the one `count` needs."""
    from django.apps import apps

    app_label, model_name = key.split(".")[:2]
    try:
        model: Any = apps.get_model(app_label, model_name)
    except LookupError:
        return model_name
    meta = model._meta
    # As the admin does (`model_ngettext`): both names already in the reader's language,
    # ngettext chooses between them by the language's plural rule.
    return ngettext(str(meta.verbose_name), str(meta.verbose_name_plural), count)
