"""The head may only move forward and never be deleted; the audit tables refuse TRUNCATE
(PostgreSQL) and events refuse DELETE on SQLite too. A database superuser can still drop
these triggers: anchors kept outside the database (alongside/audit/anchors.py) catch that."""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

# A head row may not go back: fewer events, an older newest event, or a different newest
# hash without a new event. Comparisons with NULL are not true, so a fresh head (no event
# yet) may take its first event.
MOVES_BACK = """
    NEW.id <> OLD.id
    OR NEW.event_count < OLD.event_count
    OR NEW.last_event_id < OLD.last_event_id
    OR (OLD.last_event_id IS NOT NULL AND NEW.last_event_id IS NULL)
    OR (NEW.last_hash <> OLD.last_hash AND NEW.event_count <= OLD.event_count)
"""

PG_FORWARD = f"""
CREATE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail cannot be truncated';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();

CREATE FUNCTION audit_head_moves_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit chain head cannot be deleted';
    END IF;
    IF {MOVES_BACK} THEN
        RAISE EXCEPTION 'the audit chain head only moves forward';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION audit_head_moves_forward();
"""
PG_BACKWARD = """
DROP TRIGGER audit_head_forward_only ON audit_audithead;
DROP FUNCTION audit_head_moves_forward();
DROP TRIGGER audit_head_no_truncate ON audit_audithead;
DROP TRIGGER audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION audit_refuse_truncate();
"""
# SQLite has no TRUNCATE (DELETE without WHERE is the same thing, refused here). The test
# runner empties tables between live-server tests with `flush`, lifting these triggers as
# a superuser would (see conftest.py).
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
    BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be deleted'); END;""",
    f"""CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_audithead
    WHEN {MOVES_BACK}
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER audit_head_forward_only;",
    "DROP TRIGGER audit_head_no_delete;",
    "DROP TRIGGER audit_event_no_delete;",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_count_events_in_the_chain_head")]

    operations = [
        VendorSQL("postgresql", PG_FORWARD, PG_BACKWARD),
        VendorSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
    ]
