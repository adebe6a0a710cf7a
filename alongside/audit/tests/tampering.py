"""What someone with superuser access to the database can do that the application cannot:
turn off the audit tables' triggers. Tests use it to play the attacker, and the test
runner to empty tables between transactional tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLES = ("audit_auditevent", "audit_audithead")
# Tables whose rows the database also refuses to change or delete: signed notes and their
# addenda (encounters migration 0002). `flush` empties them the same way.
LOCKED_TABLES = (*AUDIT_TABLES, "encounters_note", "encounters_addendum")


@contextmanager
def protections_lifted(
    connection: BaseDatabaseWrapper = default_connection, tables: tuple[str, ...] = AUDIT_TABLES
) -> Iterator[None]:
    """The triggers of `tables` (the audit tables) are off inside, and restored after."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        return
    # SQLite cannot disable a trigger: drop them and create them again from their SQL.
    with connection.cursor() as cursor:
        slots = ", ".join(["%s"] * len(tables))  # placeholders only: the values are bound
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "  # noqa: S608
            f"AND tbl_name IN ({slots})",
            tables,
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, sql in triggers:
                cursor.execute(sql)


def is_flush_statement(sql: str) -> bool:
    """A statement of Django's `flush` that empties an audit table (or another locked
    one). `flush` quotes table names and ends each statement with a semicolon, which the
    ORM never does, so an attacker's DELETE or TRUNCATE in a test is not mistaken for one."""
    return (
        sql.startswith(("TRUNCATE ", "DELETE FROM "))
        and sql.endswith(";")
        and any(f'"{table}"' in sql for table in LOCKED_TABLES)
    )


def let_flush_empty_the_audit_tables(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper (connection.execute_wrapper) for the test runner."""
    if isinstance(sql, str) and is_flush_statement(sql):
        with protections_lifted(context["connection"], LOCKED_TABLES):
            return execute(sql, params, many, context)
    return execute(sql, params, many, context)


def reseal_from(event_id: int, connection: BaseDatabaseWrapper = default_connection) -> None:
    """Recompute the link and hash of this event and every later one, and point the head
    at the result: what an attacker who knows the algorithm does after editing or removing
    events, so that the chain holds again. Inside `protections_lifted` only."""
    from alongside.audit.models import GENESIS, AuditEvent

    before = AuditEvent.objects.filter(pk__lt=event_id).order_by("-id").first()
    prev_hash = before.hash if before else GENESIS
    last_id = before.pk if before else None
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.filter(pk__gte=event_id).order_by("id"):
            event.prev_hash = prev_hash
            prev_hash = event.compute_hash()
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                [event.prev_hash, prev_hash, event.pk],
            )
            last_id = event.pk
        cursor.execute(
            "UPDATE audit_audithead SET last_hash = %s, last_event_id = %s, event_count = "
            "(SELECT COUNT(*) FROM audit_auditevent) WHERE id = 1",
            [prev_hash, last_id],
        )


def install_flush_wrapper(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """A `connection_created` receiver that adds the wrapper above to the connection."""
    if let_flush_empty_the_audit_tables not in connection.execute_wrappers:
        connection.execute_wrappers.append(let_flush_empty_the_audit_tables)
