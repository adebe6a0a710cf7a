from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from alongside.audit.anchors import Anchor
from alongside.audit.models import GENESIS, AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # the first bad event, when one can be named
    reason: str = ""
    anchors_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.reason


Problem = tuple[int | None, str]
LINK = "its link does not match the event before it"
CONTENT = "its content does not match its hash"


def _events(count: int) -> str:
    return f"{count:,} event{'' if count == 1 else 's'}"


class _Walk:
    """One pass over the events in order, checking each link and hash, the head read
    before the pass, and every anchor at the event it names."""

    def __init__(self, head: AuditHead | None, anchors: Sequence[Anchor]) -> None:
        self.head = head
        self.head_reached = head is None or head.last_event_id is None
        # An anchor of an empty log holds for any log; the rest are met in event order.
        self.anchors = sorted(
            (anchor for anchor in anchors if anchor.event_id is not None),
            key=lambda anchor: (anchor.event_id or 0, anchor.line),
        )
        self.anchors_checked = len(anchors) - len(self.anchors)
        self.next_anchor = 0
        self.agreed: Anchor | None = None
        self.expected_prev = GENESIS
        self.checked = 0
        self.last_id: int | None = None

    def _agreement(self) -> str:
        if self.agreed is None:
            return "; chain and anchors disagree from the start of the log"
        anchored = f"anchored {self.agreed.when}, line {self.agreed.line}"
        return (
            f"; chain and anchors agree up to event #{self.agreed.event_id} ({anchored}) "
            "and disagree after it"
        )

    def _ends(self) -> str:
        return f"the log has {_events(self.checked)}" + (
            f" and ends at event #{self.last_id}" if self.last_id is not None else ""
        )

    def step(self, event: AuditEvent) -> Problem | None:
        if self.next_anchor < len(self.anchors):
            anchor = self.anchors[self.next_anchor]
            if (anchor.event_id or 0) < event.pk:
                return anchor.event_id, (
                    f"removed: event #{anchor.event_id}, recorded by {anchor.label}, is "
                    f"missing{self._agreement()}"
                )
        if self.head is not None and not self.head_reached:
            newest = self.head.last_event_id or 0
            if event.pk > newest:
                return newest, f"removed: event #{newest}, the chain head's newest, is missing"
        if event.prev_hash != self.expected_prev:
            return event.pk, LINK
        if event.compute_hash() != event.hash:
            return event.pk, CONTENT
        self.expected_prev = event.hash
        self.checked += 1
        self.last_id = event.pk
        if self.head is not None and event.pk == self.head.last_event_id:
            self.head_reached = True
            problem = self._against_head(self.head, event)
            if problem:
                return problem
        return self._against_anchors(event)

    def _against_head(self, head: AuditHead, event: AuditEvent) -> Problem | None:
        if self.checked != head.event_count:
            kind = "removed" if self.checked < head.event_count else "inserted"
            return event.pk, (
                f"{kind}: the chain head records {_events(head.event_count)} up to event "
                f"#{event.pk}, the log has {_events(self.checked)}"
            )
        if event.hash != head.last_hash:
            return event.pk, f"rewritten: event #{event.pk}'s hash differs from the chain head's"
        return None

    def _against_anchors(self, event: AuditEvent) -> Problem | None:
        while self.next_anchor < len(self.anchors):
            anchor = self.anchors[self.next_anchor]
            if anchor.event_id != event.pk:
                break
            if anchor.hash != event.hash:
                return event.pk, (
                    f"rewritten: event #{event.pk}'s hash differs from {anchor.label}"
                    f"{self._agreement()}"
                )
            if anchor.count != self.checked:
                kind = "removed" if self.checked < anchor.count else "inserted"
                return event.pk, (
                    f"{kind}: {anchor.label} records {_events(anchor.count)} up to event "
                    f"#{event.pk}, the log has {_events(self.checked)}{self._agreement()}"
                )
            self.agreed = anchor
            self.anchors_checked += 1
            self.next_anchor += 1
        return None

    def finish(self, head_now: AuditHead | None) -> Problem | None:
        """After the last event: anchors and a head beyond the end of the log, then events
        beyond the head as it is now (appends during the pass move it on)."""
        cut: list[tuple[int, str]] = []
        if self.next_anchor < len(self.anchors):
            anchor = self.anchors[self.next_anchor]
            cut.append(
                (
                    anchor.event_id or 0,
                    f"truncated: {anchor.label} records {_events(anchor.count)} up to event "
                    f"#{anchor.event_id}, {self._ends()}{self._agreement()}",
                )
            )
        if self.head is not None and not self.head_reached:
            newest = self.head.last_event_id or 0
            cut.append(
                (
                    newest,
                    f"truncated: the chain head records {_events(self.head.event_count)} "
                    f"up to event #{newest}, which is missing; {self._ends()}",
                )
            )
        if cut:
            return min(cut)
        if head_now is None:
            if self.checked:
                return None, f"the chain head is missing while {_events(self.checked)} exist"
            return None
        newest = head_now.last_event_id or 0
        if self.last_id is not None and self.last_id > newest:
            first = AuditEvent.objects.filter(pk__gt=newest).order_by("id").first()
            first_id = first.pk if first else self.last_id
            if head_now.last_event_id is None:
                return first_id, (
                    f"inserted: the chain head records no events, but the log has "
                    f"{_events(self.checked)} (from event #{first_id})"
                )
            return first_id, (
                f"inserted: event #{first_id} is not recorded by the chain head, which "
                f"ends at event #{newest}"
            )
        return None


def _inconsistent(head: AuditHead | None) -> str:
    if (
        head is not None
        and head.last_event_id is None
        and (head.event_count or head.last_hash != GENESIS)
    ):
        return f"the chain head records {_events(head.event_count)} but names no newest event"
    return ""


def verify_chain(chunk_size: int = 5000, anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Walk the log in order and report the first problem: an event whose link or hash
    does not hold, a log that is shorter or longer than the chain head (or an anchor)
    records, a missing head, or an anchored event whose hash or position differs.

    Anchors must already be checked for their signature (`anchors.read_anchors`)."""
    # The head is read before the events: every event it counts was committed with it, so
    # appends running meanwhile cannot make an intact log look short.
    head = AuditHead.objects.filter(pk=1).first()
    if reason := _inconsistent(head):
        return ChainReport(0, None, reason)
    walk = _Walk(head, anchors)
    problem: Problem | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        problem = walk.step(event)
        if problem:
            break
    else:
        problem = walk.finish(AuditHead.objects.filter(pk=1).first())
    if problem:
        return ChainReport(walk.checked, problem[0], problem[1], walk.anchors_checked)
    return ChainReport(walk.checked, anchors_checked=walk.anchors_checked)


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
    person_ids: Collection[int] | None = None,
    outcome: str = "",
) -> QuerySet[AuditEvent]:
    """The organization's events, newest first. outcome "denied" keeps refused attempts
    and the alerts about them, "allowed" everything else. `person_ids` (people found by
    name) keeps the events about any of them; an empty collection keeps none."""
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
    if person_ids is not None:
        events = events.filter(
            Q(person_id__in=person_ids)
            | Q(
                action=AuditEvent.Action.DENIED,
                object_type="people.person",
                object_id__in=[str(i) for i in person_ids],
            )
        )
    if outcome == "denied":
        events = events.filter(action__in=DENIED_ACTIONS)
    elif outcome == "allowed":
        events = events.exclude(action__in=DENIED_ACTIONS)
    return events.order_by("-id")
