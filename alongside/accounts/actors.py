"""Who acts, and the request of a signed-in user, as types: what service functions and
selectors take as `actor` (or the viewer), and what a page behind `login_required` is
given, so a call from a view type-checks without a cast."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from alongside.accounts.models import User
from alongside.lib.actors import SystemActor

# A signed-in user, or the system on its own authority (alongside.lib.actors).
Actor: TypeAlias = User | SystemActor

# Whoever a request is from: a visitor not signed in too. Scope and visibility rules take
# it and answer "nothing" for anyone not signed in.
Visitor: TypeAlias = User | SystemActor | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind `login_required` (or a signed-in-only middleware) gets:
    its `user` is a signed-in user. Only an annotation: Django passes its own request."""

    user: User


def account_of(actor: Actor) -> User | None:
    """The account behind an actor, for a column naming who did something: the system
    has none."""
    return actor if isinstance(actor, User) else None
