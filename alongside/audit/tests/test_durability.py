"""How long an append waits for the disk: an event committed alone (a read's, a refusal's)
does not wait for PostgreSQL's WAL flush unless AUDIT_WAIT_FOR_DISK_ON_READS says so; an
event in a caller's transaction commits with it, as durably as the caller asks. Each
append's transaction is observed at its commit by a deferred trigger, so what is checked
is the setting the commit ran with, not one seen earlier in the statement."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse

from alongside.audit import services as audit
from alongside.audit.anchors import write_anchor
from alongside.audit.models import GENESIS, AuditEvent, AuditHead
from alongside.audit.selectors import verify_chain
from alongside.audit.services import Action

pytestmark = pytest.mark.django_db(transaction=True)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no asynchronous commit"
)

# A commit-time probe: a deferred constraint trigger fires when its transaction commits,
# after every statement in it, and notes the synchronous_commit that commit runs with.
_PROBE = """
CREATE TEMPORARY TABLE commit_probe (setting text);
CREATE FUNCTION pg_temp.note_commit_setting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pg_temp.commit_probe VALUES (current_setting('synchronous_commit'));
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER audit_commit_probe AFTER INSERT ON audit_auditevent
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION pg_temp.note_commit_setting();
"""
_PROBE_REMOVED = """
DROP TRIGGER audit_commit_probe ON audit_auditevent;
DROP FUNCTION pg_temp.note_commit_setting();
DROP TABLE pg_temp.commit_probe;
"""


def _sql(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture(autouse=True)
def _head() -> None:
    """The chain head the migrations seat (emptied by a transactional test's flush before
    this one): without it the first append seats it in a transaction of its own."""
    AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})


@pytest.fixture
def commits() -> Iterator[Callable[[], list[str]]]:
    """The synchronous_commit each audit event's transaction committed with, in order."""
    _sql(_PROBE)
    yield lambda: [setting for (setting,) in _sql("SELECT setting FROM pg_temp.commit_probe")]
    _sql(_PROBE_REMOVED)


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every statement sent to the database meanwhile."""
    sent: list[str] = []

    def noting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noting):
        yield sent


def _read() -> AuditEvent:
    return audit.record(actor=None, action=Action.VIEW, object_type="people.person", object_id=1)


def _session_setting() -> str:
    return str(_sql("SHOW synchronous_commit")[0][0])


@on_postgresql
def test_it_commits_an_event_alone_without_waiting_and_leaves_the_session_as_it_was(
    commits, statements
):
    _sql("SET synchronous_commit = remote_write")  # the session's own, not the default
    _read()
    _read()
    assert commits() == ["off", "off"]
    assert statements.count(audit._APPEND_ALONE) == 2  # still one statement an event
    assert _session_setting() == "remote_write"
    _sql("RESET synchronous_commit")


@on_postgresql
def test_it_leaves_a_callers_transaction_as_durable_as_the_caller_made_it(commits, statements):
    with transaction.atomic():
        _read()
    with transaction.atomic():
        _sql("SET LOCAL synchronous_commit = local")
        _read()
        assert _session_setting() == "local"
    assert commits() == ["on", "local"]
    assert statements.count(audit._APPEND) == 2 and audit._APPEND_ALONE not in statements


@on_postgresql
def test_it_counts_a_transaction_opened_by_hand_as_the_callers(commits):
    transaction.set_autocommit(False)
    try:
        _read()
        transaction.commit()
    finally:
        transaction.set_autocommit(True)
    assert commits() == ["on"]


@on_postgresql
def test_it_waits_for_the_disk_as_before_when_told_to(settings, commits, statements):
    settings.AUDIT_WAIT_FOR_DISK_ON_READS = True
    _read()
    assert commits() == ["on"]
    assert statements.count(audit._APPEND) == 1 and audit._APPEND_ALONE not in statements


def test_the_chain_holds_across_events_committed_alone_and_with_their_writes(settings):
    first = _read()
    with transaction.atomic():
        written = audit.record(actor=None, action=Action.UPDATE, object_type="people.person")
        many = audit.record_many(
            actor=None,
            action=Action.CREATE,
            events=[audit.Recorded(obj=written, organization_id=1, person_id=n) for n in (7, 8)],
        )
    after = _read()
    settings.AUDIT_WAIT_FOR_DISK_ON_READS = True
    waited = _read()

    assert written.prev_hash == first.hash and many[0].prev_hash == written.hash
    assert after.prev_hash == many[-1].hash and waited.prev_hash == after.hash
    report = verify_chain()
    assert report.ok and report.checked == 6


@on_postgresql
def test_an_anchor_reads_the_head_in_a_transaction_that_waits_for_the_disk(
    settings, tmp_path, statements
):
    settings.AUDIT_ANCHOR_KEY = "anchor-key-" + "k" * 40
    settings.AUDIT_ANCHOR_EMAIL = []
    settings.AUDIT_ANCHOR_PATH = tmp_path / "audit-anchors.jsonl"
    _read()
    before = len(statements)
    anchor = write_anchor()
    # A locked row is written to the WAL, so the commit flushes it, and every event before.
    head = [sql for sql in statements[before:] if 'FROM "audit_audithead"' in sql]
    assert head and all(sql.endswith("FOR UPDATE") for sql in head)
    assert anchor.count == 1 and _session_setting() == "on"


@on_postgresql
@pytest.mark.parametrize(("wait", "setting"), [(False, "off"), (True, "on")])
def test_a_person_page_views_event_commits_as_the_setting_says(
    settings, client, world, statements, wait, setting
):
    # From the second view of a page on, the person page sends its read's event with
    # its reads (`read_of_person`, `lib.compiled.Write`), in a transaction of its own.
    settings.AUDIT_WAIT_FOR_DISK_ON_READS = wait
    client.force_login(world.coordinator)
    url = reverse("people:detail", args=[world.person.pk])
    assert client.get(url).status_code == 200  # the first: the page's reads are learned
    _sql(_PROBE)
    try:
        before = len(statements)
        page = client.get(url)
        sent = statements[before:]
        noted = [s for (s,) in _sql("SELECT setting FROM pg_temp.commit_probe")]
    finally:
        _sql(_PROBE_REMOVED)
    assert page.status_code == 200
    assert noted == [setting]
    assert sent.count(audit._APPEND if wait else audit._APPEND_ALONE) == 1
