"""No staff member, room or person is ever double-booked, whatever writes the row: on
PostgreSQL exclusion constraints over time ranges (btree_gist), on SQLite triggers that
abort an overlapping insert or update. Only appointments in an active status (held, booked,
arrived, completed) take time; a deliberate overbooking is exempt for the staff member and
the room, never for the person. A staff member's range includes the type's buffers.

Holds that have lapsed still count here: the booking service clears them in its own
transaction before it books (scheduling/booking.py), so the database stays the one judge."""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

ACTIVE = "('held', 'booked', 'arrived', 'completed')"
# (constraint name, column, range start, range end, exempt when overbooked)
RULES = [
    ("appointment_staff_no_overlap", "staff_id", "blocks_from", "blocks_until", True),
    ("appointment_room_no_overlap", "room_id", "starts_at", "ends_at", True),
    ("appointment_person_no_overlap", "person_id", "starts_at", "ends_at", False),
]


def pg_forward() -> str:
    parts = ["CREATE EXTENSION IF NOT EXISTS btree_gist;"]
    for name, column, start, end, exempt in RULES:
        where = f"status IN {ACTIVE}" + (" AND NOT overbooked" if exempt else "")
        parts.append(
            f"ALTER TABLE scheduling_appointment ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange({start}, {end}, '[)') WITH &&) WHERE ({where});"
        )
    return "\n".join(parts)


def pg_backward() -> str:
    return "\n".join(
        f"ALTER TABLE scheduling_appointment DROP CONSTRAINT {name};" for name, *_ in RULES
    )


def sqlite_trigger(name: str, column: str, start: str, end: str, exempt: bool, event: str) -> str:
    mine = f"NEW.status IN {ACTIVE} AND NEW.{column} IS NOT NULL"
    theirs = f"other.status IN {ACTIVE}"
    if exempt:
        mine += " AND NOT NEW.overbooked"
        theirs += " AND NOT other.overbooked"
    if event == "UPDATE":
        theirs += " AND other.id != NEW.id"
    return f"""CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON scheduling_appointment
    WHEN {mine} AND EXISTS (
        SELECT 1 FROM scheduling_appointment AS other
        WHERE other.{column} = NEW.{column} AND {theirs}
          AND other.{start} < NEW.{end} AND NEW.{start} < other.{end}
    )
    BEGIN SELECT RAISE(ABORT, 'conflicting key value violates exclusion constraint "{name}"'); END;"""


SQLITE_FORWARD = [
    sqlite_trigger(*rule, event=event) for rule in RULES for event in ("INSERT", "UPDATE")
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER {name}_{event.lower()};" for name, *_ in RULES for event in ("INSERT", "UPDATE")
]


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_appointments_availability_waitlist")]

    operations = [
        VendorSQL("postgresql", pg_forward(), pg_backward()),
        VendorSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
    ]
