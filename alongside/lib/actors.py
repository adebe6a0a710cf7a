"""The system as an actor: for the writes no signed-in user makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from alongside.lib.errors import NotPermitted


class Acting(Protocol):
    """Whoever acts, as the layers below accounts know them (they cannot import the user
    model): what the audit trail records of them. Above accounts, use
    `alongside.accounts.actors.Actor`, which is a signed-in user or the system."""

    @property
    def pk(self) -> Any: ...

    @property
    def username(self) -> str: ...


@dataclass(frozen=True)
class SystemActor:
    """The system acting on its own authority: setting up an organization before it has
    an admin, loading the demo. It has no account, so it reaches no one's records through
    a user's permissions (its scope is empty) and may do only what a service says it may.
    The audit trail names it by `username`, with no actor id; use a name with a colon
    ("system:demo"), which no account's username can have, so it cannot pass for one."""

    username: str
    name: str  # how it is named to people, for example in an email it causes

    pk = None
    is_authenticated = False
    is_active = False
    is_staff = False
    is_superuser = False

    def __str__(self) -> str:
        return self.name


def ensure_system(actor: object) -> None:
    """Refuse a signed-in user where only the system itself may act."""
    if not isinstance(actor, SystemActor):
        raise NotPermitted("Only the system itself does this, not a signed-in user.")
