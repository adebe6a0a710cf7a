"""Append events to the audit trail, inside the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from alongside.audit.context import current_origin
from alongside.audit.models import GENESIS, AuditEvent, AuditHead
from alongside.lib.actors import Acting
from alongside.lib.compiled import Write

# What an event records being done: every caller names one of these, never a bare string.
Action = AuditEvent.Action


class AuditChainBroken(RuntimeError):
    """The chain head is gone while events remain: appending would hide that."""


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # The migrations seat the head; it is missing only in a log that has never been
    # written (a freshly emptied test database) or one that was tampered with. Recreating
    # it from the events would erase the evidence, so only an empty log gets a new head.
    if AuditEvent.objects.exists():
        raise AuditChainBroken(
            "The audit chain head is missing while audit events exist; nothing can be "
            "recorded until it is investigated (run `alongside audit_verify`)."
        )
    AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
    return AuditHead.objects.select_for_update().get(pk=1)


# PostgreSQL: lock the head, insert the event chained to it and move the head in one
# statement: one round trip, atomic by itself, and inside a caller's transaction the head
# stays locked until it ends, as below. The database hashes exactly what compute_hash()
# hashes: "<prev_hash>|<canonical JSON>" (the JSON is ASCII), so verify_chain holds.
# {durability} is empty, or the set_config below that `_APPEND_ALONE` adds.
_APPEND_STATEMENT = """
WITH head AS (
    SELECT last_hash{durability} FROM audit_audithead WHERE id = 1 FOR UPDATE
),
event AS (
    INSERT INTO audit_auditevent (
        at, actor_id, actor_label, organization_id, action, object_type, object_id,
        person_id, fields, detail, ip, request_id, channel, prev_hash, hash)
    SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s, head.last_hash,
        encode(sha256(convert_to(head.last_hash || '|' || %s::text, 'UTF8')), 'hex')
    FROM head
    RETURNING id, prev_hash, hash
)
UPDATE audit_audithead
SET last_hash = event.hash, last_event_id = event.id,
    event_count = audit_audithead.event_count + 1
FROM event WHERE audit_audithead.id = 1
RETURNING event.id, event.prev_hash, event.hash
"""
_APPEND = _APPEND_STATEMENT.format(durability="")
# An event committed alone (a read's, a refusal's: nothing else commits with it) does
# not wait for the WAL flush, which was as long as the whole page it records: the same
# statement turns synchronous_commit off for its own transaction only (is_local: the
# setting ends with that transaction, the session's is untouched). A crash of the
# database server can lose the last fraction of a second of such events, the head with
# them, so the chain stays whole; anything committed durably after them flushes them
# first. AUDIT_WAIT_FOR_DISK_ON_READS waits as before (docs/access-and-audit.md).
_APPEND_ALONE = _APPEND_STATEMENT.format(
    durability=", set_config('synchronous_commit', 'off', true)"
)


def _committed_alone() -> bool:
    """Whether the append is a transaction of its own, nothing of the caller's in it."""
    return connection.get_autocommit() and not connection.in_atomic_block


def _append_sql(alone: bool) -> str:
    """The append for an event committed alone (`alone`) or with a caller's write."""
    return _APPEND_ALONE if alone and not settings.AUDIT_WAIT_FOR_DISK_ON_READS else _APPEND


def _values(event: AuditEvent) -> list[Any]:
    """The event's columns from actor_id to channel, as both appends write them."""
    return [
        event.actor_id,
        event.actor_label,
        event.organization_id,
        event.action,
        event.object_type,
        event.object_id,
        event.person_id,
        json.dumps(event.fields),
        json.dumps(event.detail),
        event.ip,
        event.request_id,
        event.channel,
    ]


def _append_params(event: AuditEvent) -> list[Any]:
    """`_APPEND`'s values for the event."""
    canonical = json.dumps(event.payload(), sort_keys=True, separators=(",", ":"))
    return [event.at, *_values(event), canonical]


def _appended(event: AuditEvent, row: Sequence[Any] | None) -> bool:
    """The event as `_APPEND` returned it; False when there was no head row to chain to
    (nothing was written)."""
    if row is None:
        return False
    event.pk, event.prev_hash, event.hash = row
    event._state.adding = False
    event._state.db = connection.alias
    return True


def _append_in_one_statement(event: AuditEvent) -> bool:
    """Append on PostgreSQL in one round trip; False when there is no head row yet."""
    with connection.cursor() as cursor:
        cursor.execute(_append_sql(_committed_alone()), _append_params(event))
        row = cursor.fetchone()
    return _appended(event, row)


# SQLite: the transaction already holds the database's write lock (BEGIN IMMEDIATE, see
# settings), so reading the head and appending cannot interleave with another writer.
# Plain statements, like PostgreSQL's above: the ORM's query building cost more than the
# writes themselves where many events are recorded (imports, the demo).
_SQLITE_INSERT = """
INSERT INTO audit_auditevent (
    at, actor_id, actor_label, organization_id, action, object_type, object_id,
    person_id, fields, detail, ip, request_id, channel, prev_hash, hash)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
RETURNING id
"""
_SQLITE_MOVE_HEAD = """
UPDATE audit_audithead
SET last_hash = %s, last_event_id = %s, event_count = event_count + 1
WHERE id = 1
"""


def _append_in_plain_sql(event: AuditEvent) -> bool:
    """Append on SQLite inside the caller's transaction; False when there is no head."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_hash FROM audit_audithead WHERE id = 1")
        head = cursor.fetchone()
        if head is None:
            return False
        event.prev_hash = head[0]
        event.hash = event.compute_hash()
        cursor.execute(
            _SQLITE_INSERT,
            [
                connection.ops.adapt_datetimefield_value(event.at),
                *_values(event),
                event.prev_hash,
                event.hash,
            ],
        )
        (event.pk,) = cursor.fetchone()
        cursor.execute(_SQLITE_MOVE_HEAD, [event.hash, event.pk])
    event._state.adding = False
    event._state.db = connection.alias
    return True


def _event(
    actor: Acting | None,
    action: Action,
    obj: models.Model | None,
    *,
    object_type: str = "",
    object_id: str | int = "",
    person_id: int | None = None,
    organization_id: int | None = None,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """An event not yet chained nor saved, at now, from the request that is running."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    source = current_origin()
    return AuditEvent(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_label=getattr(actor, "username", "") or "",
        organization_id=organization_id,
        # A value outside the enumeration is a ValueError here, not a row no filter finds.
        action=Action(action).value,
        object_type=object_type,
        object_id=str(object_id),
        person_id=person_id,
        fields=sorted(fields),
        detail=detail or {},
        ip=source.ip or "",
        request_id=source.request_id,
        channel=source.channel,
    )


def record(
    *,
    actor: Acting | None,
    action: Action,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    person_id: int | None = None,
    organization_id: int | None = None,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Runs in the caller's transaction so the event and the write
    it describes commit or roll back together."""
    event = _event(
        actor,
        action,
        obj,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        organization_id=organization_id,
        fields=fields,
        detail=detail,
    )
    _append(event)
    return event


def _append(event: AuditEvent) -> None:
    if connection.vendor == "postgresql" and _append_in_one_statement(event):
        return
    _append_locked(event)


def _append_locked(event: AuditEvent) -> None:
    """Append holding the chain head (SQLite's statements, or the ORM's where the head
    row is missing)."""
    with transaction.atomic(savepoint=False):
        if connection.vendor == "sqlite" and _append_in_plain_sql(event):
            return
        event.prev_hash = _locked_head().last_hash
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(
            last_hash=event.hash, last_event_id=event.pk, event_count=F("event_count") + 1
        )


class AboutPerson(Protocol):
    """A person's record as the audit trail needs it (the trail imports no app above it)."""

    @property
    def pk(self) -> Any: ...

    @property
    def organization_id(self) -> int: ...


def record_for_person(
    *,
    actor: Acting | None,
    action: Action,
    person: AboutPerson,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event about a person's information (`obj`, or `object_type` and
    `object_id`: the person, or something on their record), naming the person and their
    organization, so it is in the person's access report and the organization's trail."""
    return record(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        person_id=person.pk,
        organization_id=person.organization_id,
        fields=fields,
        detail=detail,
    )


def read_of_person(
    *, actor: Acting | None, person: AboutPerson, detail: dict[str, Any] | None = None
) -> Write:
    """The event of a read of the person's record (`record_for_person` with VIEW, the
    person as the object) as a write for a page's reads (`lib.compiled.together`): on
    PostgreSQL sent after them, committing while the page renders, and committed before
    the page is answered; otherwise appended on entering, as `record_for_person` does."""
    event = _event(
        actor,
        Action.VIEW,
        cast(models.Model, person),
        person_id=person.pk,
        organization_id=person.organization_id,
        detail=detail,
    )

    def done(row: tuple[Any, ...] | None) -> None:
        if not _appended(event, row):  # no head row to chain to: nothing was written
            _append_locked(event)

    # Sent in a transaction of its own (see `Write`): committed alone, as a read's is.
    return Write(_append_sql(alone=True), _append_params(event), done, lambda: _append(event))


@dataclass(frozen=True)
class Recorded:
    """One of the events `record_many` appends: what was done to which object, and,
    for something on a person's record, the person (`person_id`) and organization."""

    obj: models.Model
    organization_id: int | None
    person_id: int | None = None
    fields: Sequence[str] = ()
    detail: dict[str, Any] | None = None


def _event_ids(count: int) -> list[int] | None:
    """On PostgreSQL, `count` ids for new events, in ascending order, drawn while the
    caller holds the chain head (so no other append draws one between them); None
    elsewhere (SQLite numbers rows in the order they are inserted, under its write lock)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        return sorted(row[0] for row in cursor.fetchall())


@transaction.atomic
def record_many(
    *, actor: Acting | None, action: Action, events: Sequence[Recorded]
) -> list[AuditEvent]:
    """Append one event per item, as `record` would one by one, in one insert: the
    chain head is locked once, each event is chained to the one before it in the order
    given, the events take ascending ids in that order (the order `verify_chain` walks),
    and the head moves to the last. For a set-based write (the follow-up sweep's tasks),
    where one event per row keeps each person's access report whole."""
    if not events:
        return []
    if len(events) == 1:  # one statement on PostgreSQL
        (item,) = events
        return [
            record(
                actor=actor,
                action=action,
                obj=item.obj,
                person_id=item.person_id,
                organization_id=item.organization_id,
                fields=item.fields,
                detail=item.detail,
            )
        ]
    built = [
        _event(
            actor,
            action,
            item.obj,
            person_id=item.person_id,
            organization_id=item.organization_id,
            fields=item.fields,
            detail=item.detail,
        )
        for item in events
    ]
    previous = _locked_head().last_hash
    ids = _event_ids(len(built))
    for position, event in enumerate(built):
        if ids is not None:
            event.pk = ids[position]
        event.prev_hash = previous
        event.hash = previous = event.compute_hash()
    AuditEvent.objects.bulk_create(built)
    numbered = [event.pk for event in built]
    if numbered != sorted(numbered) or None in numbered:
        # Ids out of chain order would read as a broken chain: refuse rather than write it.
        raise AuditChainBroken("The batch of audit events was not numbered in chain order.")
    AuditHead.objects.filter(pk=1).update(
        last_hash=built[-1].hash,
        last_event_id=built[-1].pk,
        event_count=F("event_count") + len(built),
    )
    return built


def record_for_people(
    *,
    actor: Acting | None,
    action: Action,
    about: Iterable[tuple[AboutPerson, models.Model]],
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """`record_for_person` for many objects at once (a reminder sweep's messages): one
    event per (person, object), chained in that order through `record_many`."""
    fields = list(fields)
    return record_many(
        actor=actor,
        action=action,
        events=[
            Recorded(
                obj=obj,
                organization_id=person.organization_id,
                person_id=person.pk,
                fields=fields,
                detail=detail,
            )
            for person, obj in about
        ],
    )
