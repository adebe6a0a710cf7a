"""Follow-up tasks made for no-shows before a sensitive kind of appointment made a
sensitive task: mark them sensitive, so only those the sensitivity rule lets see it
read the kind's name in their text (tasks.presenting)."""

from django.db import migrations

PREFIXES = (("no-show", "Appointment"), ("no-show-seat", "GroupSeat"))


def mark_sensitive(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    for prefix, model_name in PREFIXES:
        model = apps.get_model("scheduling", model_name)
        found: dict[int, list[int]] = {}
        rows = Task.objects.filter(
            occurrence_key__contains=f":{prefix}:", sensitive=False
        ).values_list("pk", "occurrence_key")
        for pk, key in rows.iterator(chunk_size=2000):
            # "<person id>:<prefix>:<id>"; "no-show:" is also the start of "no-show-seat:".
            head, _, tail = key.rpartition(":")
            if head.endswith(f":{prefix}") and tail.isdigit():
                found.setdefault(int(tail), []).append(pk)
        type_path = (
            "appointment_type__sensitive"
            if model_name == "Appointment"
            else "appointment__appointment_type__sensitive"
        )
        ids = list(found)
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            sensitive = model.objects.filter(pk__in=chunk, **{type_path: True}).values_list(
                "pk", flat=True
            )
            tasks = [task for source in sensitive for task in found[source]]
            Task.objects.filter(pk__in=tasks).update(sensitive=True)


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0010_overbooked_time_indexes"),
        ("tasks", "0003_task_sensitive_source"),
    ]

    operations = [migrations.RunPython(mark_sensitive, migrations.RunPython.noop)]
