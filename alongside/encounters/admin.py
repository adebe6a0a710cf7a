from django.contrib import admin

from alongside.encounters.models import LabelingTerm, NoteTemplate


@admin.register(LabelingTerm)
class LabelingTermAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("term", "alternative", "organization", "is_active")
    list_filter = ("is_active",)


@admin.register(NoteTemplate)
class NoteTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "organization", "program", "sensitive", "is_active")
