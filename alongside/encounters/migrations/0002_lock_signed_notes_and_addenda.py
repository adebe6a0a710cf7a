"""A signed note and every addendum are locked in the database itself: UPDATE and DELETE
are refused whatever writes them (the services, the admin, raw SQL), on PostgreSQL and
SQLite. Drafts stay writable. The test runner's `flush` lifts these for its own
statements only (alongside/audit/tests/tampering.py), as a database superuser could."""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

NOTE_LOCKED = "a signed note cannot be changed or deleted: add an addendum"
ADDENDUM_LOCKED = "an addendum cannot be changed or deleted"

PG_FORWARD = f"""
CREATE FUNCTION encounters_signed_note_locked() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{NOTE_LOCKED}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER encounters_note_signed_locked BEFORE UPDATE OR DELETE ON encounters_note
    FOR EACH ROW WHEN (OLD.status = 'signed') EXECUTE FUNCTION encounters_signed_note_locked();
CREATE FUNCTION encounters_addendum_locked() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{ADDENDUM_LOCKED}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER encounters_addendum_locked BEFORE UPDATE OR DELETE ON encounters_addendum
    FOR EACH ROW EXECUTE FUNCTION encounters_addendum_locked();
"""
PG_BACKWARD = """
DROP TRIGGER encounters_addendum_locked ON encounters_addendum;
DROP FUNCTION encounters_addendum_locked();
DROP TRIGGER encounters_note_signed_locked ON encounters_note;
DROP FUNCTION encounters_signed_note_locked();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER encounters_note_signed_no_update BEFORE UPDATE ON encounters_note
    WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, '{NOTE_LOCKED}'); END;""",
    f"""CREATE TRIGGER encounters_note_signed_no_delete BEFORE DELETE ON encounters_note
    WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, '{NOTE_LOCKED}'); END;""",
    f"""CREATE TRIGGER encounters_addendum_no_update BEFORE UPDATE ON encounters_addendum
    BEGIN SELECT RAISE(ABORT, '{ADDENDUM_LOCKED}'); END;""",
    f"""CREATE TRIGGER encounters_addendum_no_delete BEFORE DELETE ON encounters_addendum
    BEGIN SELECT RAISE(ABORT, '{ADDENDUM_LOCKED}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER encounters_addendum_no_delete;",
    "DROP TRIGGER encounters_addendum_no_update;",
    "DROP TRIGGER encounters_note_signed_no_delete;",
    "DROP TRIGGER encounters_note_signed_no_update;",
]


class Migration(migrations.Migration):
    dependencies = [("encounters", "0001_encounters_notes_templates_addenda_terms")]

    operations = [
        VendorSQL("postgresql", PG_FORWARD, PG_BACKWARD),
        VendorSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
    ]
