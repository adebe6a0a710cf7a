"""The shipped note templates (DAP, SOAP, motivational-interviewing progress note) and
respectful-language terms, loaded as `alongside load_note_templates` loads them."""

from typing import Any

from django.db import migrations

from alongside.encounters.loading import load_shipped


def forward(apps: Any, schema_editor: Any) -> None:
    load_shipped(
        apps.get_model("encounters", "NoteTemplate"),
        apps.get_model("encounters", "NoteTemplateVersion"),
        apps.get_model("encounters", "LabelingTerm"),
    )


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("encounters", "LabelingTerm").objects.filter(organization=None).delete()
    templates = apps.get_model("encounters", "NoteTemplate").objects.filter(organization=None)
    apps.get_model("encounters", "NoteTemplateVersion").objects.filter(
        template__in=templates
    ).delete()
    templates.delete()


class Migration(migrations.Migration):
    dependencies = [("encounters", "0002_lock_signed_notes_and_addenda")]

    operations = [migrations.RunPython(forward, backward)]
