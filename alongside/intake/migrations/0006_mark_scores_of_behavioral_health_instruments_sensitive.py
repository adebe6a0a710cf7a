"""Scores of behavioral-health instruments (PHQ-2, PHQ-9, GAD-7, and any instrument whose
definition says `"sensitive": true`) are sensitive as a whole: every score already given
on them becomes `sensitive`. Reversed, they go back to the rule before: sensitive only
when they add up an item marked sensitive.

The rule is repeated from intake/sensitive.py because a migration must not import the
app's code."""

from django.db import migrations

LOINC = "http://loinc.org"
BEHAVIORAL_HEALTH_PANELS = {(LOINC, "55757-9"), (LOINC, "44249-1"), (LOINC, "69737-5")}


def _wholly_sensitive(definition):
    if definition.get("sensitive") is True:
        return True
    code = definition.get("code")
    if not isinstance(code, dict):
        return False
    return (code.get("system") or LOINC, code.get("code")) in BEHAVIORAL_HEALTH_PANELS


def _wholly_sensitive_versions(apps):
    InstrumentVersion = apps.get_model("intake", "InstrumentVersion")
    for version in InstrumentVersion.objects.only("pk", "definition").iterator():
        if _wholly_sensitive(version.definition or {}):
            yield version


def mark_sensitive(apps, schema_editor):
    Score = apps.get_model("intake", "Score")
    for version in _wholly_sensitive_versions(apps):
        Score.objects.filter(response__instrument_version_id=version.pk, sensitive=False).update(
            sensitive=True
        )


def unmark_sensitive(apps, schema_editor):
    Score = apps.get_model("intake", "Score")
    for version in _wholly_sensitive_versions(apps):
        definition = version.definition
        items = {e["link_id"] for e in definition.get("items", []) if e.get("sensitive")}
        kept = [s["name"] for s in definition.get("scores", []) if items & set(s["items"])]
        Score.objects.filter(response__instrument_version_id=version.pk).exclude(
            name__in=kept
        ).update(sensitive=False)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_score_sensitive_when_it_adds_up_sensitive_items"),
    ]

    operations = [
        migrations.RunPython(mark_sensitive, unmark_sensitive, elidable=False),
    ]
