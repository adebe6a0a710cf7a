"""PostgreSQL: a GIN index on the name words of each person prefixed by their
organization ("6:garcia"), people/search.py's `OrgNameWords`.

A searcher's people all belong to the organizations of their scope (an enrollment is
only ever in a program of the person's own organization), so a search reads only those
organizations' entries for a name word rather than everyone's: for a coordinator of one
small program in a small organization the index read of a two-word partial fell from
30 to 3 ms at a million people (bench/README.md, "Search: name words by organization").
The expression is written here as it stood when the index was made; the query must
build the very same one for PostgreSQL to use the index (a test asks EXPLAIN).
"""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

INDEX = (
    "CREATE INDEX person_org_name_words ON people_person USING gin (string_to_array("
    "organization_id::text || ':' || replace(search_text::text, ' ', ' ' || "
    "organization_id::text || ':'), ' '));"
)


class Migration(migrations.Migration):
    dependencies = [("people", "0011_contact_rules_from_safety_notes")]

    operations = [VendorSQL("postgresql", INDEX, "DROP INDEX person_org_name_words;")]
