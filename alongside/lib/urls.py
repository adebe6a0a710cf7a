"""Path converters for numbers in URLs, bounded to what the database can hold.

Django's `<int:...>` matches any run of digits, so /people/9223372036854775808/ reached a
view and a query that SQLite cannot bind (OverflowError, a 500). `<id:...>` matches only
1..2**63-1 (SQLite's INTEGER and PostgreSQL's bigint) and `<index:...>` only 0..2**63-1, so
anything else fails to resolve and answers 404 before a view runs.

URLconfs import `path` from here rather than from django.urls: importing this module
registers the converters before any route that names them is built.
"""

from __future__ import annotations

from django.urls import converters, path, register_converter

__all__ = ["MAX_ID", "IdConverter", "IndexConverter", "path"]

MAX_ID = 2**63 - 1  # the largest signed 64-bit integer


class IdConverter:
    """A database id: a whole number from 1 to MAX_ID."""

    regex = "[0-9]+"
    low = 1

    def to_python(self, value: str) -> int:
        # int() itself refuses strings of thousands of digits with a ValueError.
        number = int(value)
        if not self.low <= number <= MAX_ID:
            raise ValueError(f"{value} is outside {self.low}..{MAX_ID}")  # the resolver's 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(self.to_python(str(value)))  # reverse() of an impossible id is NoReverseMatch


class IndexConverter(IdConverter):
    """A position in a list, counted from 0."""

    low = 0


def _register() -> None:
    known = converters.get_converters()
    for name, converter in (("id", IdConverter), ("index", IndexConverter)):
        if name not in known:  # importing twice (a reload) must not re-register
            register_converter(converter, name)


_register()
