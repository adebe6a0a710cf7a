"""PostgreSQL: an enrollment is only ever in a program of the person's own organization,
and neither a program nor a person moves to another organization.

`enroll` already refuses other programs and no service moves either; these triggers
make it a property of the data, which search relies on (people/search.py reads a
scope's name words from its organizations' entries of the index person_org_name_words,
migration 0012). Enrollments already against the rule cannot be mended here (whose
organization is right is a decision for people), so the migration stops and names how
many there are.
"""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

CHECK = """
DO $$
DECLARE
    wrong integer;
BEGIN
    SELECT COUNT(*) INTO wrong FROM people_enrollment e
        JOIN organizations_program p ON p.id = e.program_id
        JOIN people_person pp ON pp.id = e.person_id
        WHERE p.organization_id <> pp.organization_id;
    IF wrong > 0 THEN
        RAISE EXCEPTION '% enrollment(s) in another organization''s program (docs/deployment.md)',
            wrong;
    END IF;
END
$$;
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
CREATE FUNCTION organization_kept() RETURNS trigger AS $$
BEGIN
    IF NEW.organization_id IS DISTINCT FROM OLD.organization_id THEN
        RAISE EXCEPTION 'a % stays in its organization', TG_ARGV[0]
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER program_keeps_organization BEFORE UPDATE OF organization_id
    ON organizations_program FOR EACH ROW EXECUTE FUNCTION organization_kept('program');
CREATE TRIGGER person_keeps_organization BEFORE UPDATE OF organization_id
    ON people_person FOR EACH ROW EXECUTE FUNCTION organization_kept('person');
"""
CHECK_BACKWARD = """
DROP TRIGGER person_keeps_organization ON people_person;
DROP TRIGGER program_keeps_organization ON organizations_program;
DROP FUNCTION organization_kept();
DROP TRIGGER enrollment_same_organization ON people_enrollment;
DROP FUNCTION people_enrollment_same_organization();
"""


class Migration(migrations.Migration):
    dependencies = [("people", "0012_name_words_by_organization_index")]

    operations = [VendorSQL("postgresql", CHECK, CHECK_BACKWARD)]
