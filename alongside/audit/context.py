"""The request a piece of work runs for: its source address and request id.

Services take the actor explicitly; where the work came from is ambient, set once by
middleware (or by a command) so that no call chain has to thread it through.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    ip: str | None
    request_id: str
    channel: str  # "web", "api", "command", "task"


_origin: contextvars.ContextVar[Origin | None] = contextvars.ContextVar("origin", default=None)


def current_origin() -> Origin:
    origin = _origin.get()
    if origin is None:
        return Origin(ip=None, request_id=uuid.uuid4().hex, channel="command")
    return origin


@contextmanager
def origin(ip: str | None, request_id: str, channel: str) -> Iterator[Origin]:
    value = Origin(ip=ip, request_id=request_id, channel=channel)
    token = _origin.set(value)
    try:
        yield value
    finally:
        _origin.reset(token)
