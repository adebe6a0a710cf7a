"""PostgreSQL: an enrollment is only ever in a program of the person's own organization.

`enroll` already refuses others; this trigger makes it a property of the data, which
search relies on (people/search.py reads a scope's name words from its organizations'
entries of the index person_org_name_words, migration 0012).
"""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

CHECK = """
CREATE FUNCTION people_enrollment_same_organization() RETURNS trigger AS $$
BEGIN
    IF (SELECT organization_id FROM organizations_program WHERE id = NEW.program_id)
        IS DISTINCT FROM
        (SELECT organization_id FROM people_person WHERE id = NEW.person_id)
    THEN
        RAISE EXCEPTION 'enrollment in a program of another organization'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER enrollment_same_organization BEFORE INSERT OR UPDATE OF person_id, program_id
    ON people_enrollment FOR EACH ROW EXECUTE FUNCTION people_enrollment_same_organization();
"""
CHECK_BACKWARD = """
DROP TRIGGER enrollment_same_organization ON people_enrollment;
DROP FUNCTION people_enrollment_same_organization();
"""


class Migration(migrations.Migration):
    dependencies = [("people", "0012_name_words_by_organization_index")]

    operations = [VendorSQL("postgresql", CHECK, CHECK_BACKWARD)]
