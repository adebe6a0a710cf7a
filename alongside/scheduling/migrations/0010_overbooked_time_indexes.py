"""Indexes on the few overbooked appointments, which the exclusion constraints' indexes
(0002) leave out but which still block the time: the slot search reads them beside those
indexes (scheduling/busy.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0009_person_calendar_feeds")]

    operations = [
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(
                condition=models.Q(("overbooked", True)),
                fields=["staff", "blocks_from"],
                name="appointment_overbooked_staff",
            ),
        ),
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(
                condition=models.Q(("overbooked", True)),
                fields=["room", "starts_at"],
                name="appointment_overbooked_room",
            ),
        ),
    ]
