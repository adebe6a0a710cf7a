"""Append events to the audit trail, inside the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from alongside.audit.context import current_origin
from alongside.audit.models import GENESIS, AuditEvent, AuditHead
from alongside.lib.actors import Acting

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
_APPEND = """
WITH head AS (SELECT last_hash FROM audit_audithead WHERE id = 1 FOR UPDATE),
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


def _append_in_one_statement(event: AuditEvent) -> bool:
    """Append on PostgreSQL in one round trip; False when there is no head row yet."""
    canonical = json.dumps(event.payload(), sort_keys=True, separators=(",", ":"))
    with connection.cursor() as cursor:
        cursor.execute(
            _APPEND,
            [event.at, *_values(event), canonical],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    event.pk, event.prev_hash, event.hash = row
    event._state.adding = False
    event._state.db = connection.alias
    return True


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
    object_type: str,
    object_id: str | int,
    person_id: int | None,
    organization_id: int | None,
    fields: Iterable[str],
    detail: dict[str, Any] | None,
) -> AuditEvent:
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
        actor, action, obj, object_type, object_id, person_id, organization_id, fields, detail
    )
    _append_one(event)
    return event


def _append_one(event: AuditEvent) -> None:
    if connection.vendor == "postgresql" and _append_in_one_statement(event):
        return
    with transaction.atomic(savepoint=False):
        if connection.vendor == "sqlite" and _append_in_plain_sql(event):
            return
        event.prev_hash = _locked_head().last_hash
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(
            last_hash=event.hash, last_event_id=event.pk, event_count=F("event_count") + 1
        )


def _append_many(events: list[AuditEvent]) -> None:
    """Append events in their order, in the caller's transaction, in a fixed number of
    statements: the head is locked (as every append locks it, so nothing interleaves),
    the chain's hashes computed here as `compute_hash` does, the rows inserted together
    (their ids ascend in the chain's order) and the head moved once."""
    if len(events) <= 1:
        for event in events:
            _append_one(event)  # one round trip on PostgreSQL
        return
    with transaction.atomic(savepoint=False):
        previous = _locked_head().last_hash
        for event in events:
            event.prev_hash = previous
            event.hash = previous = event.compute_hash()
        AuditEvent.objects.bulk_create(events)
        AuditHead.objects.filter(pk=1).update(
            last_hash=events[-1].hash,
            last_event_id=events[-1].pk,
            event_count=F("event_count") + len(events),
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


def record_for_people(
    *,
    actor: Acting | None,
    action: Action,
    about: Iterable[tuple[AboutPerson, models.Model]],
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """`record_for_person` for many objects at once (a reminder sweep's messages): one
    event per (person, object), chained in that order, appended in a fixed number of
    statements instead of one round trip each."""
    fields = list(fields)
    events = [
        _event(actor, action, obj, "", "", person.pk, person.organization_id, fields, detail)
        for person, obj in about
    ]
    _append_many(events)
    return events
