from django.db import migrations, models

GENESIS = "0" * 64


def seat_the_head(apps, schema_editor):
    """Give the head the count of the events already chained (creating it if the log has
    never been written), so the verifier can tell a wiped or shortened log from a new one."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    db = schema_editor.connection.alias
    events = AuditEvent.objects.using(db)
    last = events.order_by("-id").first()
    AuditHead.objects.using(db).update_or_create(
        pk=1,
        defaults={
            "last_hash": last.hash if last else GENESIS,
            "last_event_id": last.pk if last else None,
            "event_count": events.count(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_actions_complete_merge_unmerge")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="event_count",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(seat_the_head, migrations.RunPython.noop),
    ]
