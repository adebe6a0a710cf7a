from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from alongside.lib.migrations import VendorSQL


class Migration(migrations.Migration):
    dependencies = [("people", "0001_people_profiles_contacts_enrollments")]

    operations = [
        TrigramExtension(),
        VendorSQL(
            "postgresql",
            "CREATE INDEX person_search_trgm ON people_person USING gin (search_text gin_trgm_ops);",
            "DROP INDEX person_search_trgm;",
        ),
    ]
