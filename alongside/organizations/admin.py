from typing import Any

from django.contrib import admin

from alongside.organizations.models import Location, Organization, Program

# People's records are deliberately absent from Django admin: they are reached only
# through the app, where scoping and the audit trail apply.


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "person_label"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_active"]
    list_filter = ["organization", "is_active"]

    def get_readonly_fields(self, request: Any, obj: Program | None = None) -> Any:
        # A program never moves to another organization: its people, staff and records
        # stay with the organization it was made in (people migration 0013).
        return ["organization"] if obj is not None else []


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_active"]
