"""Anchors: signed checkpoints of the audit chain, kept outside the database.

An anchor records, at a moment, the chain's newest event (id and hash) and how many events
it holds, signed with HMAC-SHA256 under a key the database never sees
(`AUDIT_ANCHOR_KEY`). Anchors are appended to a JSON-lines file and optionally emailed.
Someone who can rewrite the database, triggers and all, can make the chain consistent
again, but cannot make it agree with anchors written before the rewrite, nor forge new
ones without the key. `verify_chain(anchors=...)` checks the chain against them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from alongside.audit.models import GENESIS, AuditEvent, AuditHead

FORMAT_VERSION = 1
SIGNATURE = "hmac_sha256"


class AnchorError(Exception):
    """An anchor cannot be written, or the anchors cannot be read, as configured."""


@dataclass(frozen=True)
class Anchor:
    at: str  # ISO 8601 in UTC, kept as written so the signature covers exactly it
    event_id: int | None  # None: the log was empty
    hash: str
    count: int
    signature: str = ""
    line: int = field(default=0, compare=False)

    def signed_fields(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "at": self.at,
            "event_id": self.event_id,
            "hash": self.hash,
            "count": self.count,
        }

    def digest(self, key: str) -> str:
        message = json.dumps(self.signed_fields(), sort_keys=True, separators=(",", ":"))
        return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()

    def to_json(self) -> str:
        return json.dumps(
            {**self.signed_fields(), SIGNATURE: self.signature}, separators=(",", ":")
        )

    @property
    def when(self) -> str:
        return f"{timezone.localtime(datetime.fromisoformat(self.at)):%Y-%m-%d %H:%M %Z}"

    @property
    def label(self) -> str:
        """How reports name it: "the anchor of 2026-12-05 03:00 EST (line 12)"."""
        return f"the anchor of {self.when}" + (f" (line {self.line})" if self.line else "")


@dataclass(frozen=True)
class AnchorFile:
    anchors: list[Anchor]  # those whose signature holds
    problems: list[str]  # forged or unreadable lines, in file order


def _signing_key() -> str:
    key: str = settings.AUDIT_ANCHOR_KEY
    if not key:
        raise AnchorError(
            "AUDIT_ANCHOR_KEY is not set: anchors are signed with a key kept outside the "
            "database and its host (see docs/configuration.md). Set AUDIT_ANCHOR_KEY or "
            "AUDIT_ANCHOR_KEY_FILE."
        )
    return key


def _verification_keys() -> list[str]:
    keys = [settings.AUDIT_ANCHOR_KEY, *settings.AUDIT_ANCHOR_PREVIOUS_KEYS]
    keys = [key for key in keys if key]
    if not keys:
        raise AnchorError(
            "AUDIT_ANCHOR_KEY is not set: anchors cannot be checked without the key that "
            "signed them."
        )
    return keys


@transaction.atomic
def _current_state() -> tuple[int | None, str, int]:
    """The head's newest event, hash and count, once the head is seen to match its event.

    The head is read locked: on PostgreSQL the lock is written to the WAL, so this
    transaction's commit waits for the disk, and with it every event committed before,
    reads' events that did not wait included (AUDIT_WAIT_FOR_DISK_ON_READS). An anchor
    never names an event that a database crash could still take away."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        if AuditEvent.objects.exists():
            raise AnchorError(
                "The audit chain head is missing while events exist; not anchoring a "
                "tampered log. Run `alongside audit_verify`."
            )
        return None, GENESIS, 0
    if head.last_event_id is not None:
        event = AuditEvent.objects.filter(pk=head.last_event_id).first()
        if event is None or event.hash != head.last_hash or event.compute_hash() != event.hash:
            raise AnchorError(
                f"The audit chain head names event #{head.last_event_id}, which is missing "
                "or does not match it; not anchoring a tampered log. Run "
                "`alongside audit_verify`."
            )
    return head.last_event_id, head.last_hash, head.event_count


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: concurrent writers never interleave within a line or overwrite one.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


def _email(anchor: Anchor, recipients: list[str]) -> None:
    send_mail(
        subject=f"Alongside audit anchor {anchor.when}: {anchor.count:,} events",
        message=(
            "This is a signed checkpoint of the Alongside audit trail. Keep this message "
            "where the server's administrators cannot change it: if the trail is ever "
            "altered, it will no longer agree with this anchor.\n\n"
            "To check the trail against it, save the line below to a file and run\n"
            "    alongside audit_verify --anchors FILE\n"
            "with the same AUDIT_ANCHOR_KEY as the server.\n\n"
            f"{anchor.to_json()}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def write_anchor(*, path: Path | None = None) -> Anchor:
    """Sign the chain's current state, append it to the anchors file and email it to
    AUDIT_ANCHOR_EMAIL if set. Refuses without a key or when the head does not match."""
    key = _signing_key()
    event_id, last_hash, count = _current_state()
    unsigned = Anchor(at=timezone.now().isoformat(), event_id=event_id, hash=last_hash, count=count)
    anchor = replace(unsigned, signature=unsigned.digest(key))
    target = Path(path or settings.AUDIT_ANCHOR_PATH)
    _append_line(target, anchor.to_json())
    recipients: list[str] = settings.AUDIT_ANCHOR_EMAIL
    if recipients:
        try:
            _email(anchor, recipients)
        except OSError as exc:
            raise AnchorError(
                f"The anchor was written to {target} but could not be emailed: {exc}"
            ) from exc
    return anchor


def _parse(text: str, line: int) -> Anchor:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("v") != FORMAT_VERSION:
        raise ValueError("not an anchor")
    event_id, count = data["event_id"], data["count"]
    if not (event_id is None or type(event_id) is int) or type(count) is not int:
        raise ValueError("not an anchor")
    if not all(isinstance(data[name], str) for name in ("at", "hash", SIGNATURE)):
        raise ValueError("not an anchor")
    datetime.fromisoformat(data["at"])
    return Anchor(data["at"], event_id, data["hash"], count, data[SIGNATURE], line)


def read_anchors(path: Path) -> AnchorFile:
    """Every anchor in the file, each checked against the current and previous keys."""
    keys = _verification_keys()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise AnchorError(f"No anchors file at {path}.") from exc
    anchors: list[Anchor] = []
    problems: list[str] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            anchor = _parse(text, number)
        except (ValueError, KeyError, TypeError):
            problems.append(f"unreadable: line {number} of {path} is not an anchor")
            continue
        if not any(hmac.compare_digest(anchor.digest(key), anchor.signature) for key in keys):
            problems.append(
                f"forged: {anchor.label} has a bad signature (it was not written with "
                "AUDIT_ANCHOR_KEY or AUDIT_ANCHOR_PREVIOUS_KEYS)"
            )
            continue
        anchors.append(anchor)
    if not anchors and not problems:
        raise AnchorError(f"No anchors in {path}: write one with `alongside audit_anchor`.")
    return AnchorFile(anchors, problems)
