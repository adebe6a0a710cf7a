"""Messages to people: each one sent or refused, with its delivery, and the numbers that
said STOP."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from alongside.people.models import ContactPoint, Person


class Channel(models.TextChoices):
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"


class OutboundMessage(models.Model):
    """One message to a person, from the moment it is asked for: queued, then sent (and
    perhaps delivered) or failed; or blocked, never sent, with the reason. Its
    `source_key` names what it is for ("reminder:42:3d:2026-03-01T15:00Z"); with the
    channel it is unique, so asking twice, or retrying a send, never sends twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        BLOCKED = "blocked", "Not sent: not safe"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="messages")
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    purpose = models.CharField(max_length=60)
    source_key = models.CharField(max_length=200)
    to = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=12, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=300, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    # Not before this time (a window or the quiet hours opens then); not after `send_by`.
    send_after = models.DateTimeField()
    send_by = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "outbound message")
        verbose_name_plural = pgettext_lazy("kind of record", "outbound messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_key", "channel"], name="message_once"),
            models.CheckConstraint(
                condition=~Q(status="blocked") | ~Q(reason=""), name="message_blocked_says_why"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="message_person_recent"),
            models.Index(
                fields=["send_after"], condition=Q(status="queued"), name="message_queued_due"
            ),
            models.Index(fields=["provider_id"], name="message_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.person_id}: {self.get_status_display()}"


class TextOptOut(models.Model):
    """A number that replied STOP: no text goes to it until staff record that the person
    asked for texts again. Never ended automatically."""

    number = models.CharField(max_length=32, unique=True)  # E.164, as ContactPoint.normalized
    word = models.CharField(max_length=20)
    opted_out_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(ended_note=""),
                name="opt_out_ended_with_the_persons_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({'ended' if self.ended_at else self.word})"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class InboundMessage(models.Model):
    """A text a person sent us, and what it was taken to mean."""

    from_number = models.CharField(max_length=32)
    to_number = models.CharField(max_length=32, blank=True)
    body = models.CharField(max_length=1600, blank=True)
    provider_id = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField()
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_reply_to = models.ForeignKey(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meaning = models.CharField(max_length=20, blank=True)  # "opt_out", "confirm", ""

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "inbound message")
        verbose_name_plural = pgettext_lazy("kind of record", "inbound messages")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"From {self.from_number}: {self.meaning or 'reply'}"
