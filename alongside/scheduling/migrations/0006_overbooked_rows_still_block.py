"""An overbooked appointment still blocks the time for everyone else. Migration 0002's
SQLite triggers exempted an overbooked row on both sides, so a later ordinary booking could
land on top of it; these replace the staff and room triggers so that only the new (or
changed) row's own overbooked flag exempts it. An update that keeps a row's staff member,
room and time as they were (and was not overbooked) is not checked again, so an
appointment under an overbooking can still be updated (marked arrived, say).

On PostgreSQL the exclusion constraints stay as they are: the booking service refuses an
overlap with an overbooked row itself, under a lock on the staff member's row
(scheduling/booking.py `save_or_taken`)."""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

ACTIVE = "('held', 'booked', 'arrived', 'completed')"
RULES = [
    ("appointment_staff_no_overlap", "staff_id", "blocks_from", "blocks_until"),
    ("appointment_room_no_overlap", "room_id", "starts_at", "ends_at"),
]


def trigger(name: str, column: str, start: str, end: str, event: str, *, strict: bool) -> str:
    mine = f"NEW.status IN {ACTIVE} AND NEW.{column} IS NOT NULL AND NOT NEW.overbooked"
    theirs = f"other.status IN {ACTIVE}"
    if not strict:
        theirs += " AND NOT other.overbooked"
    if event == "UPDATE":
        theirs += " AND other.id != NEW.id"
        if strict:
            mine += (
                f" AND NOT (OLD.status IN {ACTIVE} AND NOT OLD.overbooked"
                f" AND OLD.{column} IS NEW.{column}"
                f" AND OLD.{start} = NEW.{start} AND OLD.{end} = NEW.{end})"
            )
    return f"""CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON scheduling_appointment
    WHEN {mine} AND EXISTS (
        SELECT 1 FROM scheduling_appointment AS other
        WHERE other.{column} = NEW.{column} AND {theirs}
          AND other.{start} < NEW.{end} AND NEW.{start} < other.{end}
    )
    BEGIN SELECT RAISE(ABORT, 'conflicting key value violates exclusion constraint "{name}"'); END;"""


def replace(*, strict: bool) -> list[str]:
    statements = []
    for name, column, start, end in RULES:
        for event in ("INSERT", "UPDATE"):
            statements.append(f"DROP TRIGGER IF EXISTS {name}_{event.lower()};")
            statements.append(trigger(name, column, start, end, event, strict=strict))
    return statements


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0005_calendar_feed_tokens")]

    operations = [VendorSQL("sqlite", replace(strict=True), replace(strict=False))]
