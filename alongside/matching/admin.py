"""Read-only views of the report and of merges for superusers: every change goes
through the services (and so the audit trail), never through the Django admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alongside.matching.models import DuplicatePair, MergeRecord


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DuplicatePair)
class DuplicatePairAdmin(ReadOnly):
    list_display = (
        "id",
        "organization",
        "person_a_id",
        "person_b_id",
        "score",
        "decision",
        "status",
    )
    list_filter = ("decision", "status")


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnly):
    list_display = ("id", "organization", "survivor_id", "merged_id", "merged_at", "undone_at")
