"""The audit trail is append-only and hash-chained: each event's hash covers its content
and the hash of the event before it, so any change or removal breaks the chain at a
point `verify_chain` (and `alongside audit_verify`) names."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from alongside.audit import services as audit
from alongside.audit.models import GENESIS, AuditEvent, AuditHead
from alongside.audit.selectors import verify_chain
from alongside.audit.services import Action, AuditChainBroken
from alongside.audit.tests.tampering import protections_lifted, reseal_from
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
        for n, action in enumerate(
            [Action.CREATE, Action.VIEW, Action.UPDATE, Action.VIEW, Action.EXPORT], start=1
        )
    ]


def run_sql(sql: str) -> None:
    """Straight to the database, as someone with a database account would."""
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_it_links_each_event_to_the_one_before(events):
    chain = list(AuditEvent.objects.order_by("id"))
    assert chain[0].prev_hash == GENESIS
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash
    for event in chain:
        assert event.hash == event.compute_hash() and len(event.hash) == 64
    head = AuditHead.objects.get(pk=1)
    assert (head.last_hash, head.last_event_id, head.event_count) == (
        chain[-1].hash,
        chain[-1].pk,
        len(chain),
    )


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
    with protections_lifted():
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
    with protections_lifted():
        AuditEvent.objects.filter(pk=target.pk).update(
            detail=target.detail, hash=target.compute_hash()
        )
    report = verify_chain()
    assert report.broken_at == events[2].pk and "link" in report.reason


def test_it_notices_a_removed_event(events):
    with protections_lifted():
        AuditEvent.objects.filter(pk=events[1].pk).delete()
    report = verify_chain()
    assert report.broken_at == events[2].pk and "link" in report.reason
    with pytest.raises(CommandError, match=f"#{events[2].pk}"):
        call_command("audit_verify")


def test_it_notices_the_newest_events_cut_off(events):
    with protections_lifted():
        AuditEvent.objects.filter(pk=events[-1].pk).delete()
    report = verify_chain()
    assert report.broken_at == events[-1].pk
    assert report.reason == (
        f"truncated: the chain head records 5 events up to event #{events[-1].pk}, which is "
        f"missing; the log has 4 events and ends at event #{events[-2].pk}"
    )


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


def test_it_refuses_to_delete_events_on_every_database(events):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        run_sql("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == len(events)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
@pytest.mark.parametrize("statement", ["TRUNCATE audit_auditevent", "TRUNCATE audit_audithead"])
def test_it_refuses_to_truncate_the_audit_tables_on_postgresql(events, statement):
    with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic():
        run_sql(statement)
    assert AuditEvent.objects.count() == len(events) and verify_chain().ok


def test_it_refuses_to_delete_the_chain_head(events):
    with pytest.raises(DatabaseError, match="head cannot be deleted"), transaction.atomic():
        run_sql("DELETE FROM audit_audithead")
    assert verify_chain().ok


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE audit_audithead SET event_count = event_count - 2",
        "UPDATE audit_audithead SET last_event_id = last_event_id - 2",
        "UPDATE audit_audithead SET last_event_id = NULL",
        "UPDATE audit_audithead SET last_hash = 'f00d'",
    ],
)
def test_it_refuses_to_move_the_chain_head_back(events, change):
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
        run_sql(change)
    head = AuditHead.objects.get(pk=1)
    assert (head.last_event_id, head.event_count) == (events[-1].pk, len(events))


def test_it_notices_a_log_emptied_under_its_head(events):
    """With the triggers dropped, DELETE (or TRUNCATE) leaves the head counting 5 events."""
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    report = verify_chain()
    assert report.broken_at == events[-1].pk and report.checked == 0
    assert report.reason == (
        f"truncated: the chain head records 5 events up to event #{events[-1].pk}, which is "
        "missing; the log has 0 events"
    )
    with pytest.raises(CommandError, match="truncated: the chain head records 5 events"):
        call_command("audit_verify")


def test_it_notices_the_newest_events_removed_under_a_rewound_head(events):
    """Removing events and pointing the head back at the new newest one still leaves the
    count, which the trigger keeps from going down."""
    kept = events[2]
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [kept.pk])
        cursor.execute(
            "UPDATE audit_audithead SET last_event_id = %s, last_hash = %s",
            [kept.pk, kept.hash],
        )
    report = verify_chain()
    assert report.broken_at == kept.pk
    assert report.reason == (
        f"removed: the chain head records 5 events up to event #{kept.pk}, the log has 3 events"
    )


def test_it_notices_the_heads_newest_event_removed_from_the_middle(events):
    gone = events[2]
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [gone.pk])
        cursor.execute("UPDATE audit_audithead SET last_event_id = %s", [gone.pk])
    report = verify_chain()
    assert report.broken_at == gone.pk
    assert report.reason == f"removed: event #{gone.pk}, the chain head's newest, is missing"


def test_it_notices_a_head_that_counts_events_but_names_none(events):
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET last_event_id = NULL")
    report = verify_chain()
    assert not report.ok and report.broken_at is None
    assert report.reason == "the chain head records 5 events but names no newest event"


def test_it_notices_a_head_that_points_past_the_last_event(events):
    with connection.cursor() as cursor:  # moving forward is allowed: appends do it
        cursor.execute(
            "UPDATE audit_audithead SET last_event_id = last_event_id + 10, "
            "event_count = event_count + 1, last_hash = 'f00d'"
        )
    report = verify_chain()
    assert report.broken_at == events[-1].pk + 10
    assert report.reason.startswith("truncated: the chain head records 6 events up to event")


def test_it_notices_a_missing_head_and_records_nothing_more(events):
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead")
    report = verify_chain()
    assert not report.ok and report.broken_at is None
    assert report.reason == "the chain head is missing while 5 events exist"
    with pytest.raises(CommandError, match="Audit chain broken: the chain head is missing"):
        call_command("audit_verify")
    # Recreating the head from the events would hide the deletion.
    with pytest.raises(AuditChainBroken, match="head is missing"), transaction.atomic():
        audit.record(actor=None, action=Action.VIEW, object_type="people.person", object_id=1)
    assert AuditEvent.objects.count() == len(events)


def test_it_notices_events_the_head_says_do_not_exist(events):
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_audithead SET last_event_id = NULL, event_count = 0, last_hash = %s",
            [GENESIS],
        )
    report = verify_chain()
    assert report.broken_at == events[0].pk
    assert report.reason == (
        f"inserted: the chain head records no events, but the log has 5 events (from event "
        f"#{events[0].pk})"
    )


def test_it_notices_an_event_added_behind_the_heads_back(events):
    forged = AuditEvent.objects.get(pk=events[-1].pk)
    forged.pk, forged.prev_hash, forged.request_id = forged.pk + 1, events[-1].hash, "forged"
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)  # a plain INSERT: the head does not move
    report = verify_chain()
    assert report.broken_at == forged.pk
    assert report.reason == (
        f"inserted: event #{forged.pk} is not recorded by the chain head, which ends at "
        f"event #{events[-1].pk}"
    )


def test_it_cannot_see_a_consistently_rewritten_log_without_anchors(events):
    """The limit of what the database alone can show (see test_anchors for the remedy)."""
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = 'nobody' WHERE id = %s", [events[2].pk]
        )
        reseal_from(events[2].pk)
    assert verify_chain().ok


def test_it_seats_the_head_of_an_existing_log_when_migrating(events):
    migration = importlib.import_module(
        "alongside.audit.migrations.0004_count_events_in_the_chain_head"
    )
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead")
    migration.seat_the_head(django_apps, SimpleNamespace(connection=connection))
    head = AuditHead.objects.get(pk=1)
    assert (head.last_event_id, head.last_hash, head.event_count) == (
        events[-1].pk,
        events[-1].hash,
        len(events),
    )
    assert verify_chain().ok


def test_it_starts_an_empty_log_with_a_fresh_head(db):
    assert AuditHead.objects.get(pk=1).event_count == 0  # seated by the migration
    assert verify_chain().ok
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain intact: 0 events" in out.getvalue()


def test_it_shows_a_wiped_log_on_the_check_page(client, world):
    client.force_login(world.admin)
    head = AuditHead.objects.get()
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    page = client.post(reverse("audit:verify")).content.decode()
    assert f"Broken at event #{head.last_event_id}</h2>" in page
    assert (
        f"<p>Truncated: the chain head records {head.event_count} events up to event "
        f"#{head.last_event_id}, which is missing; the log has 0 events. 0 events verified"
    ) in page


def test_it_chains_many_events_appended_at_once_between_single_ones(events):
    before = audit.record(actor=None, action=Action.VIEW, object_type="people.person")
    many = audit.record_many(
        actor=None,
        action=Action.CREATE,
        events=[audit.Recorded(obj=events[0], organization_id=1, person_id=n) for n in (7, 8, 9)],
    )
    after = audit.record(actor=None, action=Action.VIEW, object_type="people.person")

    chain = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in chain[-4:]] == [*(e.pk for e in many), after.pk]
    assert [e.person_id for e in many] == [7, 8, 9]
    assert many[0].prev_hash == before.hash and after.prev_hash == many[-1].hash
    head = AuditHead.objects.get(pk=1)
    assert (head.event_count, head.last_event_id) == (len(chain), after.pk)
    report = verify_chain()
    assert report.ok and report.checked == len(chain)


def test_it_appends_nothing_for_no_events(events):
    assert audit.record_many(actor=None, action=Action.CREATE, events=[]) == []
    assert AuditHead.objects.get(pk=1).event_count == len(events)


def test_it_appends_a_single_event_of_many_as_one(events):
    (one,) = audit.record_many(
        actor=None,
        action=Action.UPDATE,
        events=[audit.Recorded(obj=events[0], organization_id=1, person_id=3, fields=["x"])],
    )
    one.refresh_from_db()
    assert (one.prev_hash, one.person_id, one.fields) == (events[-1].hash, 3, ["x"])
    assert verify_chain().ok
