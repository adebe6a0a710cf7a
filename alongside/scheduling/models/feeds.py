"""A staff member's private calendar feed: a secret URL their calendar app subscribes to.
Only a SHA-256 digest of the secret is kept (like API tokens), so the address is shown
once, when it is made; making a new one stops the old one at once."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    last_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.owner} ({self.prefix}…)"
