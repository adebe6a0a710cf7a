"""Append events to the audit trail, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from alongside.audit.context import current_origin
from alongside.audit.models import GENESIS, AuditEvent, AuditHead


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditEvent.objects.order_by("-id").first()
        head, _ = AuditHead.objects.get_or_create(
            pk=1,
            defaults={
                "last_hash": last.hash if last else GENESIS,
                "last_event_id": last.pk if last else None,
            },
        )
    return head


def record(
    *,
    actor: Any,
    action: str,
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
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    source = current_origin()
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        event = AuditEvent(
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_label=getattr(actor, "username", "") or "",
            organization_id=organization_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            person_id=person_id,
            fields=sorted(fields),
            detail=detail or {},
            ip=source.ip or "",
            request_id=source.request_id,
            channel=source.channel,
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_hash=event.hash, last_event_id=event.pk)
    return event
