import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_screening_mode_language_and_links"),
        ("organizations", "0001_organizations_programs_locations"),
    ]

    operations = [
        migrations.AddField(
            model_name="instrument",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="instruments",
                to="organizations.organization",
            ),
        ),
    ]
