from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from alongside.accounts.scope import Scope


class User(AbstractUser):
    """A staff account. Display name and pronouns are shown to colleagues and people served."""

    display_name = models.CharField(max_length=150, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The language of the staff pages; blank follows the browser's (Accept-Language).
    language = models.CharField(
        max_length=8, blank=True, choices=settings.LANGUAGES, verbose_name="interface language"
    )

    # What the memberships let this user reach, read once per request (accounts.scope).
    _alongside_scope: Scope

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Care coordinator"
    CASE_MANAGER = "case_manager", "Case manager"
    NAVIGATOR = "navigator", "Navigator"
    CLINICIAN = "clinician", "Clinician"
    SUPERVISOR = "supervisor", "Supervisor"
    SCHEDULER = "scheduler", "Scheduler"
    ORG_ADMIN = "org_admin", "Organization admin"


class Membership(models.Model):
    """A role a user holds: in a program, or (organization admin) across an organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="memberships"
    )
    program = models.ForeignKey(
        "organizations.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.ORG_ADMIN) & Q(program__isnull=True))
                | (~Q(role=Role.ORG_ADMIN) & Q(program__isnull=False)),
                name="membership_org_admin_has_no_program",
            ),
            models.UniqueConstraint(
                fields=["user", "program", "role"],
                condition=Q(program__isnull=False),
                name="membership_unique_program_role",
            ),
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(program__isnull=True),
                name="membership_unique_org_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.program or self.organization
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        # A role in a program is held in the program's organization (on PostgreSQL a
        # trigger refuses it too: accounts migration 0003).
        program = self.program if self.program_id is not None else None
        if program is not None and program.organization_id != self.organization_id:
            raise ValidationError({"program": _("That program belongs to another organization.")})


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for an integration, acting as its user. Only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return "als_" + secrets.token_urlsafe(32)
