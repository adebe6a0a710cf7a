import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import pgettext_lazy

# How an event came in (`AuditEvent.channel`, stored as the code), as the pages name it.
CHANNEL_NAMES = {
    "web": pgettext_lazy("how an audit event came in", "web"),
    "api": pgettext_lazy("how an audit event came in", "API"),
    "command": pgettext_lazy("how an audit event came in", "command"),
    "task": pgettext_lazy("how an audit event came in", "scheduled task"),
}

GENESIS = "0" * 64


class AuditEvent(models.Model):
    """One access or change, append-only and hash-chained to the event before it.

    Rows hold plain ids, not foreign keys, so that nothing (a deleted user, a merged
    person) ever has to update or delete an event. Values of sensitive fields are never
    stored here: only the names of the fields that changed.
    """

    class Action(models.TextChoices):
        VIEW = "view"
        LIST = "list"
        SEARCH = "search"
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"
        EXPORT = "export"
        LOGIN = "login"
        LOGIN_FAILED = "login_failed"
        LOGOUT = "logout"
        COMPLETE = "complete"
        MERGE = "merge"
        UNMERGE = "unmerge"
        # A signed-in user asked for a person's record that answered 404 (out of scope or
        # nonexistent: the log, like the response, does not say which).
        DENIED = "denied"
        # Repeated denials by one user were raised to their organization's admins.
        DENIED_ALERT = "denied_alert"

    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=150, blank=True)
    organization_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.BigIntegerField(null=True)
    fields = models.JSONField(default=list)
    detail = models.JSONField(default=dict)
    ip = models.CharField(max_length=45, blank=True)
    request_id = models.CharField(max_length=64)
    channel = models.CharField(max_length=10)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["person_id", "-id"], name="audit_person_recent"),
            models.Index(fields=["organization_id", "-id"], name="audit_org_recent"),
            models.Index(fields=["actor_id", "-id"], name="audit_actor_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    @property
    def channel_name(self) -> str:
        return str(CHANNEL_NAMES.get(self.channel, self.channel))

    def payload(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organization_id": self.organization_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "person_id": self.person_id,
            "fields": self.fields,
            "detail": self.detail,
            "ip": self.ip,
            "request_id": self.request_id,
            "channel": self.channel,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(f"{self.prev_hash}|{canonical}".encode()).hexdigest()


class AuditHead(models.Model):
    """The chain's newest event: its id and hash, and how many events the chain holds.

    Locking this one row serializes appends. Database triggers refuse to delete it or move
    it backwards, so removing the newest events or the whole log leaves the head counting
    events that are gone, which `verify_chain` reports.
    """

    last_hash = models.CharField(max_length=64, default=GENESIS)
    last_event_id = models.BigIntegerField(null=True)
    event_count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.last_hash
