"""Many events appended at once (a reminder sweep's messages): one event per object,
chained in order after whatever came before, and the chain verifies as if each had been
appended on its own."""

from dataclasses import dataclass

import pytest

from alongside.audit import services as audit
from alongside.audit.models import AuditEvent, AuditHead
from alongside.audit.selectors import verify_chain
from alongside.audit.services import Action
from conftest import make_user


@dataclass
class Someone:
    """A person's record as the audit trail reads it."""

    pk: int
    organization_id: int


@pytest.mark.django_db
def test_many_events_append_in_order_and_the_chain_holds():
    actor = make_user("casey")
    first = audit.record(actor=actor, action=Action.VIEW, object_type="people.person", object_id=1)
    people = [make_user(f"person-{n}") for n in range(3)]
    about = [(Someone(p.pk, 7), p) for p in people]  # (whose information, the object)
    events = audit.record_for_people(
        actor=actor, action=Action.CREATE, about=about, fields=["status", "a"]
    )
    last = audit.record(actor=actor, action=Action.VIEW, object_type="people.person", object_id=2)
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in stored] == [first.pk, *[e.pk for e in events], last.pk]
    assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
    assert [(e.person_id, e.organization_id, e.object_id, e.fields) for e in stored[1:4]] == [
        (p.pk, 7, str(p.pk), ["a", "status"]) for p in people
    ]
    assert all(e.hash == e.compute_hash() for e in stored)
    head = AuditHead.objects.get(pk=1)
    assert (head.last_event_id, head.last_hash, head.event_count) == (last.pk, last.hash, 5)
    report = verify_chain()
    assert report.ok and report.checked == 5


@pytest.mark.django_db
def test_nothing_to_append_writes_nothing():
    assert audit.record_for_people(actor=None, action=Action.CREATE, about=[]) == []
    assert not AuditEvent.objects.exists()
