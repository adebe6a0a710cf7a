"""API tokens: create, revoke and authenticate. Only a SHA-256 digest of a secret is
stored, so a secret is shown once, when it is made, and never again."""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from alongside.accounts.actors import Actor
from alongside.accounts.models import ApiToken, Membership, User, hash_token
from alongside.accounts.scope import Scope, build_scope
from alongside.audit import services as audit
from alongside.audit.services import Action

SECRET_PREFIX = "als_"  # noqa: S105 (a public marker, not a secret)
# new_secret() makes 47 characters; anything far longer is not one of ours.
MAX_SECRET_LENGTH = 128
MAX_DAYS = 3650


@transaction.atomic
def token_create(
    *, user: User, name: str, days: int | None = None, actor: Actor | None = None
) -> tuple[ApiToken, str]:
    """A new token acting as `user`, and its secret (returned only this once).
    `days` sets an expiry; without it the token lasts until it is revoked."""
    if not name.strip():
        raise ValidationError({"name": "Say what the token is for, so it can be told apart."})
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
        action=Action.CREATE,
        obj=token,
        fields=["name", "expires_at"],
        detail={"user_id": user.pk, "name": token.name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor | None = None) -> ApiToken:
    """Stop a token working from now on. Revoking twice changes nothing."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=current,
            fields=["revoked_at"],
            detail={"user_id": current.user_id, "prefix": current.prefix},
        )
    forget_tokens()
    return current


def token_is_usable(token: ApiToken, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if token.revoked_at is not None:
        return False
    if token.expires_at is not None and token.expires_at <= now:
        return False
    return token.user.is_active


@functools.cache
def _lookup_sql() -> str:
    """The token's user and the user's memberships, for a usable token, in one query.

    Written out rather than built by the ORM because it runs on every API request and
    compiling the equivalent queryset costs more than running it. Names come from the
    models' metadata; only the digest and the time are parameters."""
    token, user = ApiToken._meta.db_table, User._meta.db_table
    membership = Membership._meta.db_table
    organization = Membership._meta.get_field("organization").related_model._meta.db_table
    columns = ", ".join(f'u."{field.column}"' for field in User._meta.concrete_fields)
    # Table and column names come from model metadata; values are parameters.
    select = f"SELECT {columns}, m.organization_id AS m_organization, "  # noqa: S608
    return (
        select + "m.program_id AS m_program, m.role AS m_role, o.person_label AS m_label, "
        "t.expires_at AS t_expires "
        f'FROM "{token}" t JOIN "{user}" u ON u.id = t.user_id '
        f'LEFT JOIN "{membership}" m ON m.user_id = u.id '
        f'LEFT JOIN "{organization}" o ON o.id = m.organization_id '
        "WHERE t.digest = %s AND t.revoked_at IS NULL "
        "AND (t.expires_at IS NULL OR t.expires_at > %s) AND u.is_active"
    )


@dataclass(frozen=True)
class _Known:
    """A token this process read lately: its user's columns and scope, until when it may
    be used without reading it again, and when the token itself expires."""

    columns: tuple[str, ...]
    values: tuple[Any, ...]
    scope: Scope
    fresh_until: float  # time.monotonic()
    expires_at: dt.datetime | None


# Tokens read in the last API_TOKEN_CACHE_SECONDS, by digest (never by secret). Anything
# that changes what a token stands for in this process (revoking it, saving or deleting
# a token, user or membership: see accounts/signals.py) forgets them all at once and
# again when its transaction commits; another process's change takes effect here when
# the entry goes stale. `_generation` tells a lookup that raced with a change not to
# keep what it read.
_known: dict[str, _Known] = {}
_generation = 0
_lock = threading.Lock()
MAX_KNOWN = 1000
clock = time.monotonic  # replaced in tests


def forget_tokens() -> None:
    """Read every token from the database again on its next use (now, and once more when
    the current transaction commits, so a lookup cannot keep what it read before)."""
    _forget_now()
    # With the cache off nothing is kept, so there is nothing to forget at commit either.
    if connection.in_atomic_block and settings.API_TOKEN_CACHE_SECONDS > 0:
        transaction.on_commit(_forget_now)


def _forget_now() -> None:
    global _generation
    with _lock:
        _known.clear()
        _generation += 1


def _remembered(digest: str) -> User | None:
    known = _known.get(digest) if settings.API_TOKEN_CACHE_SECONDS > 0 else None
    if known is None or known.fresh_until <= clock():
        return None
    if known.expires_at is not None and known.expires_at <= timezone.now():
        return None
    user = User.from_db(connection.alias, known.columns, known.values)
    user._alongside_scope = known.scope
    return user


def _remember(digest: str, user: User, expires_at: Any, generation: int) -> None:
    seconds = settings.API_TOKEN_CACHE_SECONDS
    if seconds <= 0:
        return
    if isinstance(expires_at, str):  # SQLite returns text from a raw query
        expires_at = dt.datetime.fromisoformat(expires_at)
    if expires_at is not None and timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at, dt.UTC)
    columns = tuple(field.attname for field in User._meta.concrete_fields)
    known = _Known(
        columns=columns,
        values=tuple(getattr(user, name) for name in columns),
        scope=user._alongside_scope,
        fresh_until=clock() + seconds,
        expires_at=expires_at,
    )
    with _lock:
        if generation != _generation:
            return  # something changed while the token was read
        if len(_known) >= MAX_KNOWN:
            _known.clear()
        _known[digest] = known


def token_authenticate(secret: str) -> User | None:
    """The active user a usable (unexpired, unrevoked) secret stands for, or None.

    One query, by the digest's index, reads the user and their memberships (one row
    each; a user without any gives one row of nulls); the user's scope is built from
    them and kept on the user, so the request needs no query for it. A token read in
    the last API_TOKEN_CACHE_SECONDS is not read again (see `_known`): a fresh user with
    the same columns and scope is returned, as long as the token has not expired."""
    if (
        not secret.startswith(SECRET_PREFIX)
        or len(secret) > MAX_SECRET_LENGTH
        or not secret.isascii()
    ):
        return None
    digest = hash_token(secret)
    remembered = _remembered(digest)
    if remembered is not None:
        return remembered
    generation = _generation
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = list(User.objects.raw(_lookup_sql(), [digest, now]))
    if not rows:
        return None
    user = rows[0]
    memberships = [
        (row.m_organization, row.m_program, row.m_role, row.m_label)  # type: ignore[attr-defined]
        for row in rows
        if row.m_organization is not None  # type: ignore[attr-defined]
    ]
    user._alongside_scope = build_scope(user.pk, memberships)
    _remember(digest, user, user.t_expires, generation)  # type: ignore[attr-defined]
    return user
