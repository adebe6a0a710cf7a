"""The audit trail is append-only and hash-chained: each event's hash covers its content
and the hash of the event before it, so any change or removal breaks the chain at a
point `verify_chain` (and `alongside audit_verify`) names."""

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from alongside.audit import services as audit
from alongside.audit.models import GENESIS, AuditEvent, AuditHead
from alongside.audit.selectors import verify_chain
from conftest import make_user


@pytest.fixture
def events(db):
    actor = make_user("casey")
    return [
        audit.record(
            actor=actor,
            action=action,
            object_type="people.person",
            object_id=n,
            person_id=n,
            organization_id=1,
            fields=["pronouns"] if n == 2 else (),
        )
        for n, action in enumerate(["create", "view", "update", "view", "export"], start=1)
    ]


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """What someone with direct database access could do; the trigger is restored after."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
            else:
                cursor.execute(
                    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
                    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
                )


def test_it_links_each_event_to_the_one_before(events):
    chain = list(AuditEvent.objects.order_by("id"))
    assert chain[0].prev_hash == GENESIS
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash
    for event in chain:
        assert event.hash == event.compute_hash() and len(event.hash) == 64
    head = AuditHead.objects.get(pk=1)
    assert (head.last_hash, head.last_event_id) == (chain[-1].hash, chain[-1].pk)


def test_it_reports_an_intact_chain(events):
    report = verify_chain()
    assert report.ok and report.checked == len(events)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"Audit chain intact: {len(events)} events" in out.getvalue()


def test_it_verifies_in_chunks(events):
    assert verify_chain(chunk_size=2).checked == len(events)


def test_it_names_the_first_event_whose_content_was_changed(events):
    target = events[2]
    with append_only_lifted():
        AuditEvent.objects.filter(pk=target.pk).update(actor_label="someone-else")
        AuditEvent.objects.filter(pk=events[3].pk).update(action="delete")
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == target.pk and report.checked == 2
    assert "content" in report.reason
    with pytest.raises(CommandError, match=f"broken at event #{target.pk}:"):
        call_command("audit_verify", stdout=StringIO())


def test_it_notices_a_rewritten_event_with_a_recomputed_hash(events):
    """Resealing a changed event does not help: the next event still links to the old hash."""
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.detail = {"purpose": "nothing to see"}
    with append_only_lifted():
        AuditEvent.objects.filter(pk=target.pk).update(
            detail=target.detail, hash=target.compute_hash()
        )
    report = verify_chain()
    assert report.broken_at == events[2].pk and "link" in report.reason


def test_it_notices_a_removed_event(events):
    with append_only_lifted():
        AuditEvent.objects.filter(pk=events[1].pk).delete()
    report = verify_chain()
    assert report.broken_at == events[2].pk and "link" in report.reason
    with pytest.raises(CommandError, match=f"#{events[2].pk}"):
        call_command("audit_verify")


def test_it_notices_the_newest_events_cut_off(events):
    with append_only_lifted():
        AuditEvent.objects.filter(pk=events[-1].pk).delete()
    report = verify_chain()
    assert report.broken_at == events[-1].pk and "missing" in report.reason


def test_it_refuses_to_update_an_event_on_every_database(events):
    event = events[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone-else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.detail = {"changed": True}
        event.save()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET ip = '1.2.3.4'")
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "casey"
    assert verify_chain().ok


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite allows DELETE so the test runner can empty tables",
)
def test_it_refuses_to_delete_an_event_on_postgresql(events):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).delete()
    assert AuditEvent.objects.count() == len(events)
