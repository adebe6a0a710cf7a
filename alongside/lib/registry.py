"""A registry that apps fill in their `AppConfig.ready()`: the way foundational apps let
the apps above them contribute without importing them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


T = TypeVar("T", bound=Keyed)


class DuplicateContribution(ValueError):
    pass


class Registry(Generic[T]):
    """Contributions by key, listed in a stable order. Registering a key twice is a
    mistake (two apps claiming one name), so it raises rather than silently replacing."""

    def __init__(self, what: str, order: Callable[[T], tuple[object, ...]] | None = None):
        self.what = what
        self._order = order or (lambda item: (item.key,))
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        if item.key in self._items:
            raise DuplicateContribution(f"{self.what} {item.key!r} is already registered")
        self._items[item.key] = item
        return item

    def unregister(self, key: str) -> None:
        """For tests that contribute something temporary."""
        self._items.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._items.values(), key=self._order))

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return [item.key for item in self]
