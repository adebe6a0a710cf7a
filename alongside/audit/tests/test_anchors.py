"""Anchors: signed checkpoints of the chain kept outside the database. Someone who can
rewrite the database, triggers and all, can make the chain hold again; the anchors written
before still name where the log and they part."""

import hashlib
import hmac
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection

from alongside.audit import services as audit
from alongside.audit.anchors import Anchor, read_anchors
from alongside.audit.models import AuditEvent
from alongside.audit.selectors import verify_chain
from alongside.audit.services import Action
from alongside.audit.tests.tampering import protections_lifted, reseal_from
from conftest import make_user

KEY = "anchor-key-" + "k" * 40


@pytest.fixture
def anchors(settings, tmp_path) -> Path:
    settings.AUDIT_ANCHOR_KEY = KEY
    settings.AUDIT_ANCHOR_PREVIOUS_KEYS = []
    settings.AUDIT_ANCHOR_EMAIL = []
    settings.AUDIT_ANCHOR_PATH = tmp_path / "anchors" / "audit-anchors.jsonl"
    return settings.AUDIT_ANCHOR_PATH


def append(count: int) -> list[AuditEvent]:
    actor = make_user(f"casey{AuditEvent.objects.count()}")
    return [
        audit.record(actor=actor, action=Action.VIEW, object_type="people.person", object_id=n)
        for n in range(count)
    ]


def anchor() -> None:
    call_command("audit_anchor", stdout=StringIO())


def verify_against_anchors(path: Path) -> str:
    out = StringIO()
    call_command("audit_verify", "--anchors", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def anchored(db, anchors) -> list[AuditEvent]:
    """Five events, anchored after the second and after the fifth."""
    events = append(2)
    anchor()
    events += append(3)
    anchor()
    return events


def test_it_refuses_to_write_an_anchor_without_a_key(db, anchors, settings):
    settings.AUDIT_ANCHOR_KEY = ""
    append(1)
    with pytest.raises(CommandError, match="AUDIT_ANCHOR_KEY is not set: anchors are signed"):
        anchor()
    assert not anchors.exists()
    with pytest.raises(CommandError, match="AUDIT_ANCHOR_KEY is not set: anchors cannot be"):
        verify_against_anchors(anchors)


def test_it_writes_the_chain_head_signed_with_the_key(db, anchors):
    events = append(3)
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    assert f"Anchored 3 events (event #{events[-1].pk}) in {anchors}" in out.getvalue()
    line = json.loads(anchors.read_text())
    assert (line["event_id"], line["hash"], line["count"]) == (events[-1].pk, events[-1].hash, 3)
    signed = {name: line[name] for name in ("v", "at", "event_id", "hash", "count")}
    message = json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()
    assert line["hmac_sha256"] == hmac.new(KEY.encode(), message, hashlib.sha256).hexdigest()
    assert line["at"].endswith("+00:00")
    anchor()
    assert len(anchors.read_text().splitlines()) == 2  # appended, never rewritten


def test_it_emails_each_anchor_to_the_privacy_officer(db, anchors, settings):
    settings.AUDIT_ANCHOR_EMAIL = ["privacy@example.org"]
    append(2)
    anchor()
    (message,) = mail.outbox
    assert message.to == ["privacy@example.org"]
    assert message.subject.startswith("Alongside audit anchor ")
    assert message.subject.endswith(": 2 events")
    assert anchors.read_text().strip() in message.body
    assert "alongside audit_verify --anchors FILE" in message.body


def test_it_agrees_with_anchors_of_an_intact_log(anchored, anchors):
    append(2)  # events since the last anchor are checked by the chain alone
    assert "Audit chain intact: 7 events. It agrees with the 2 anchors" in (
        verify_against_anchors(anchors)
    )


def test_it_names_where_a_rewritten_and_resealed_log_leaves_the_anchors(anchored, anchors):
    """Edit event 3 and recompute every later hash and the head: the chain holds, the
    anchor written after event 5 does not."""
    target, last = anchored[2], anchored[-1]
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = 'nobody' WHERE id = %s", [target.pk]
        )
        reseal_from(target.pk)
    assert verify_chain().ok
    with pytest.raises(CommandError, match="rewritten") as refused:
        verify_against_anchors(anchors)
    assert (
        f"Audit chain broken at event #{last.pk}: rewritten: event #{last.pk}'s hash differs "
        "from the anchor of "
    ) in str(refused.value)
    assert (f"(line 2); chain and anchors agree up to event #{anchored[1].pk} (anchored ") in str(
        refused.value
    )
    assert ", line 1) and disagree after it" in str(refused.value)


def test_it_names_an_anchored_event_removed_from_a_resealed_log(anchored, anchors):
    removed = anchored[1]
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
        reseal_from(anchored[2].pk)
    assert verify_chain().ok
    with pytest.raises(CommandError, match=f"at event #{removed.pk}: removed: event #") as refused:
        verify_against_anchors(anchors)
    assert "chain and anchors disagree from the start of the log" in str(refused.value)


def test_it_notices_newest_events_removed_and_the_head_rewound_through_anchors(anchored, anchors):
    """A superuser drops the triggers, deletes the newest events and rewinds the head to
    match: only the anchor written before knows the log was longer."""
    kept = anchored[2]
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [kept.pk])
        cursor.execute(
            "UPDATE audit_audithead SET last_event_id = %s, last_hash = %s, event_count = 3",
            [kept.pk, kept.hash],
        )
    assert verify_chain().ok
    with pytest.raises(CommandError, match=f"at event #{anchored[-1].pk}: truncated: the anchor"):
        verify_against_anchors(anchors)
    report = verify_chain(anchors=_read(anchors))
    assert report.reason.startswith("truncated: the anchor of ")
    assert (
        f"(line 2) records 5 events up to event #{anchored[-1].pk}, the log has 3 events and "
        f"ends at event #{kept.pk}; chain and anchors agree up to event #{anchored[1].pk}"
    ) in report.reason


def test_it_notices_a_wiped_log_and_head_through_anchors(anchored, anchors):
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("DELETE FROM audit_audithead")
    assert verify_chain().ok  # to the database alone it looks like a new installation
    with pytest.raises(CommandError, match="records 2 events up to event .*, the log has 0"):
        verify_against_anchors(anchors)


def test_it_reports_a_forged_anchor(anchored, anchors):
    genuine = json.loads(anchors.read_text().splitlines()[-1])
    raised = {**genuine, "count": genuine["count"] - 1}  # to cover a removed event
    with anchors.open("a") as file:
        file.write(json.dumps(raised) + "\n")
    with pytest.raises(CommandError, match=r"forged: the anchor of .* \(line 3\) has a bad sig"):
        verify_against_anchors(anchors)


def test_it_reports_an_anchor_signed_with_another_key(anchored, anchors, settings):
    settings.AUDIT_ANCHOR_KEY = "someone-else-" + "x" * 40
    anchor()
    settings.AUDIT_ANCHOR_KEY = KEY
    with pytest.raises(CommandError, match=r"^forged: the anchor of .* \(line 3\)"):
        verify_against_anchors(anchors)


def test_it_reports_an_unreadable_line(anchored, anchors):
    with anchors.open("a") as file:
        file.write("not an anchor\n")
    with pytest.raises(CommandError, match=f"unreadable: line 3 of {anchors} is not an anchor"):
        verify_against_anchors(anchors)


def test_it_checks_anchors_signed_before_the_key_was_rotated(anchored, anchors, settings):
    settings.AUDIT_ANCHOR_KEY = "rotated-" + "r" * 40
    with pytest.raises(CommandError, match="forged: the anchor of .* \\(line 1\\)"):
        verify_against_anchors(anchors)
    settings.AUDIT_ANCHOR_PREVIOUS_KEYS = [KEY]
    anchor()  # signed with the new key
    assert "It agrees with the 3 anchors" in verify_against_anchors(anchors)


def test_it_reads_the_default_anchors_file(anchored, anchors):
    out = StringIO()
    call_command("audit_verify", "--anchors", stdout=out)
    assert f"It agrees with the 2 anchors in {anchors}" in out.getvalue()


def test_it_refuses_to_check_against_no_anchors(db, anchors):
    with pytest.raises(CommandError, match=f"No anchors file at {anchors}"):
        verify_against_anchors(anchors)
    anchors.parent.mkdir(parents=True)
    anchors.write_text("")
    with pytest.raises(CommandError, match="No anchors in .*: write one with"):
        verify_against_anchors(anchors)


def test_it_refuses_to_anchor_a_tampered_head(anchored, anchors):
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET last_hash = 'f00d'")
    with pytest.raises(CommandError, match="does not match it; not anchoring a tampered log"):
        anchor()
    with protections_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead")
    with pytest.raises(CommandError, match="head is missing while events exist; not anchoring"):
        anchor()
    assert len(anchors.read_text().splitlines()) == 2


def test_it_warns_the_deployment_check_without_an_anchor_key(settings):
    settings.AUDIT_ANCHOR_KEY = ""
    assert "audit.W001" in _deploy_check_ids()
    settings.AUDIT_ANCHOR_KEY = "short"
    assert "audit.W002" in _deploy_check_ids()
    settings.AUDIT_ANCHOR_KEY = KEY
    assert not {"audit.W001", "audit.W002"} & _deploy_check_ids()


def _deploy_check_ids() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True) if message.id}


def _read(path: Path) -> list[Anchor]:
    found = read_anchors(path)
    assert not found.problems
    return found.anchors
