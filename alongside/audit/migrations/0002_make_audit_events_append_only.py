from django.db import migrations

from alongside.lib.migrations import VendorSQL

PG_FORWARD = """
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER audit_event_no_update ON audit_auditevent;
DROP FUNCTION audit_event_is_append_only();
"""
# SQLite: updates are refused; deletes stay possible because the test runner empties
# tables with DELETE between live-server tests (PostgreSQL uses TRUNCATE, unaffected).
SQLITE_FORWARD = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER audit_event_no_update;"


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_events_and_chain_head")]

    operations = [
        VendorSQL("postgresql", PG_FORWARD, PG_BACKWARD),
        VendorSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
    ]
