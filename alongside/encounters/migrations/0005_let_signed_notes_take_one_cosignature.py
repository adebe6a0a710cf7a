"""A signed note stays locked (migration 0002) except for one write: the co-signature a
program requires, recorded once. The trigger lets an UPDATE of a signed note through
only when it needed a co-signature, has none yet, and the update sets who co-signed and
when, moves the version on by one and changes nothing else; a second co-signature, and
any change of content, status or signing, is still refused.

On SQLite the note triggers are created again: migration 0004 rebuilt the table (SQLite
adds a constraint that way), and a rebuilt table has lost its triggers."""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

NOTE_LOCKED = "a signed note cannot be changed or deleted: add an addendum"

# Columns a co-signature must leave as they were.
UNCHANGED = (
    "id",
    "encounter_id",
    "template_version_id",
    "content",
    "status",
    "sensitive",
    "author_id",
    "created_at",
    "signed_at",
    "cosignature_required",
)


def _cosignature(same: str) -> str:
    """The condition of the one allowed update, `same` being the null-safe equality."""
    kept = " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in UNCHANGED)
    return (
        "OLD.cosignature_required AND OLD.cosigned_at IS NULL "
        "AND NEW.cosigned_at IS NOT NULL AND NEW.cosigned_by_id IS NOT NULL "
        f"AND NEW.version = OLD.version + 1 AND {kept}"
    )


PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION encounters_signed_note_locked() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {_cosignature("IS NOT DISTINCT FROM")} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{NOTE_LOCKED}';
END;
$$ LANGUAGE plpgsql;
"""
PG_BACKWARD = f"""
CREATE OR REPLACE FUNCTION encounters_signed_note_locked() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{NOTE_LOCKED}';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS encounters_note_signed_no_update;",
    "DROP TRIGGER IF EXISTS encounters_note_signed_no_delete;",
]
SQLITE_DELETE = f"""CREATE TRIGGER encounters_note_signed_no_delete BEFORE DELETE ON encounters_note
    WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, '{NOTE_LOCKED}'); END;"""
SQLITE_FORWARD = [
    *SQLITE_DROP,
    f"""CREATE TRIGGER encounters_note_signed_no_update BEFORE UPDATE ON encounters_note
    WHEN OLD.status = 'signed' AND NOT ({_cosignature("IS")})
    BEGIN SELECT RAISE(ABORT, '{NOTE_LOCKED}'); END;""",
    SQLITE_DELETE,
]
SQLITE_BACKWARD = [
    *SQLITE_DROP,
    f"""CREATE TRIGGER encounters_note_signed_no_update BEFORE UPDATE ON encounters_note
    WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, '{NOTE_LOCKED}'); END;""",
    SQLITE_DELETE,
]


class Migration(migrations.Migration):
    dependencies = [("encounters", "0004_note_cosignature_and_program_note_settings")]

    operations = [
        VendorSQL("postgresql", PG_FORWARD, PG_BACKWARD),
        VendorSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
    ]
