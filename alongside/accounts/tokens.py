"""API tokens: create, revoke and authenticate. Only a SHA-256 digest of a secret is
stored, so a secret is shown once, when it is made, and never again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import ApiToken, User, hash_token
from alongside.audit import services as audit

SECRET_PREFIX = "als_"  # noqa: S105 (a public marker, not a secret)
# new_secret() makes 47 characters; anything far longer is not one of ours.
MAX_SECRET_LENGTH = 128
MAX_DAYS = 3650


@transaction.atomic
def token_create(
    *, user: User, name: str, days: int | None = None, actor: Any = None
) -> tuple[ApiToken, str]:
    """A new token acting as `user`, and its secret (returned only this once).
    `days` sets an expiry; without it the token lasts until it is revoked."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationError({"expires_at": f"A token lasts between 1 and {MAX_DAYS} days."})
    secret = ApiToken.new_secret()
    expires_at = None if days is None else timezone.now() + dt.timedelta(days=days)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=secret[:8],
        digest=hash_token(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="create",
        obj=token,
        fields=["name", "expires_at"],
        detail={"user_id": user.pk, "name": token.name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any = None) -> ApiToken:
    """Stop a token working from now on. Revoking twice changes nothing."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="update",
            obj=current,
            fields=["revoked_at"],
            detail={"user_id": current.user_id, "prefix": current.prefix},
        )
    return current


def token_is_usable(token: ApiToken, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if token.revoked_at is not None:
        return False
    if token.expires_at is not None and token.expires_at <= now:
        return False
    return token.user.is_active


def token_authenticate(secret: str) -> User | None:
    """The active user a secret stands for, or None. One query, by the digest's index."""
    if (
        not secret.startswith(SECRET_PREFIX)
        or len(secret) > MAX_SECRET_LENGTH
        or not secret.isascii()
    ):
        return None
    try:
        token = ApiToken.objects.select_related("user").get(digest=hash_token(secret))
    except ApiToken.DoesNotExist:
        return None
    return token.user if token_is_usable(token) else None
