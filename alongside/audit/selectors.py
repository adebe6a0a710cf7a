from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from alongside.audit.models import GENESIS, AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(chunk_size: int = 5000) -> ChainReport:
    """Walk the log in order; the first event whose link or hash does not hold is reported."""
    expected_prev = GENESIS
    checked = 0
    last_id = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.pk, "its link does not match the event before it")
        if event.compute_hash() != event.hash:
            return ChainReport(checked, event.pk, "its content does not match its hash")
        expected_prev = event.hash
        last_id = event.pk
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and checked and head.last_event_id != last_id:
        return ChainReport(checked, head.last_event_id, "the chain head names a missing event")
    return ChainReport(checked)


def events_for_person(person_id: int, limit: int = 100) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(person_id=person_id).order_by("-id")[:limit]


def events_for_people(person_ids: list[int], limit: int = 100) -> QuerySet[AuditEvent]:
    """Events about any of these records (a person and the records merged into it)."""
    return AuditEvent.objects.filter(person_id__in=person_ids).order_by("-id")[:limit]


DENIED_ACTIONS = (AuditEvent.Action.DENIED, AuditEvent.Action.DENIED_ALERT)


def events_for_organization(
    organization_id: int,
    *,
    action: str = "",
    actor: str = "",
    person_id: int | None = None,
    outcome: str = "",
) -> QuerySet[AuditEvent]:
    """The organization's events, newest first. outcome "denied" keeps refused attempts
    and the alerts about them, "allowed" everything else."""
    events = AuditEvent.objects.filter(organization_id=organization_id)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_label__iexact=actor)
    if person_id is not None:
        # A denied attempt names the record it asked for but is not about it (it may
        # not exist): it carries the number as its object, not as person_id.
        events = events.filter(
            Q(person_id=person_id)
            | Q(
                action=AuditEvent.Action.DENIED,
                object_type="people.person",
                object_id=str(person_id),
            )
        )
    if outcome == "denied":
        events = events.filter(action__in=DENIED_ACTIONS)
    elif outcome == "allowed":
        events = events.exclude(action__in=DENIED_ACTIONS)
    return events.order_by("-id")
