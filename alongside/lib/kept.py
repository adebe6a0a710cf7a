"""Things made once per process and kept (compiled statements, rendered stencils, the
people a scope sees): a plain dict bounded by starting again when full, so memory stays
bounded with no eviction bookkeeping on the hot path."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def kept(store: dict[K, V], key: K, make: Callable[[], V], limit: int) -> V:
    """`store[key]`, made by `make()` the first time. Read once and returned from here:
    another thread may empty the dict at `limit` meanwhile."""
    try:
        return store[key]
    except KeyError:
        pass
    value = make()
    if len(store) >= limit:
        store.clear()
    store[key] = value
    return value
