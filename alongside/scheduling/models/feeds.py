"""A staff member's private calendar feed: a secret URL their calendar app subscribes to.
Only a SHA-256 digest of the secret is kept (like API tokens), so the address is shown
once, when it is made; making a new one stops the old one at once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class PersonCalendarFeed(models.Model):
    """A private calendar address for a person's own appointments, made by staff with
    the person, recording what the person allowed it to say. Only a digest of its
    secret is kept; making a new one stops the old one at once."""

    class Detail(models.TextChoices):
        TIMES = "times", _("Only that there is an appointment, and when")
        DETAILS = "details", _("Also what kind, how and where (never a sensitive kind)")

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    detail = models.CharField(max_length=10, choices=Detail.choices, default=Detail.TIMES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "person calendar feed")
        verbose_name_plural = pgettext_lazy("kind of record", "person calendar feeds")

    def __str__(self) -> str:
        return f"{self.person_id} ({self.prefix}…)"
