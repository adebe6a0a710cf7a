"""PostgreSQL: a role in a program is held in that program's organization.

The staff service already grants it so (`organizations.staff._grant`); this trigger
makes it a property of the data: a scope's organizations are then every organization
its people can belong to, which search relies on (people/search.py reads a scope's
name words from its organizations' entries alone, people migration 0012). A row made
otherwise before this migration is set to its program's organization.
"""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

CHECK = """
UPDATE accounts_membership m SET organization_id = p.organization_id
    FROM organizations_program p
    WHERE p.id = m.program_id AND m.organization_id <> p.organization_id;
CREATE FUNCTION accounts_membership_in_programs_organization() RETURNS trigger AS $$
BEGIN
    IF NEW.program_id IS NOT NULL AND NEW.organization_id IS DISTINCT FROM
        (SELECT organization_id FROM organizations_program WHERE id = NEW.program_id)
    THEN
        RAISE EXCEPTION 'a role in a program of another organization'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER membership_in_programs_organization
    BEFORE INSERT OR UPDATE OF organization_id, program_id ON accounts_membership
    FOR EACH ROW EXECUTE FUNCTION accounts_membership_in_programs_organization();
"""
CHECK_BACKWARD = """
DROP TRIGGER membership_in_programs_organization ON accounts_membership;
DROP FUNCTION accounts_membership_in_programs_organization();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_chooses_interface_language"),
        ("organizations", "0001_organizations_programs_locations"),
    ]

    operations = [VendorSQL("postgresql", CHECK, CHECK_BACKWARD)]
