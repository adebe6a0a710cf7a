"""Counts that run on every page, compiled by the ORM once per process and per key.

Building a query with the ORM (scoping subqueries, EXISTS conditions) costs more Python
than the database takes to answer it: the navigation's "Urgent results (3)" cost about
4 ms a page to build and well under 1 ms to run. Where a query's SQL depends only on a
hashable key (a viewer's `Scope`: the same scope gives the same statement, and a changed
membership gives a new scope), `count` builds it with the ORM the first time, keeps the
statement and its parameters, and afterwards runs them as they are. The query is still
written once, with the ORM and the one visibility rule; only its compiling is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Statements kept per process; past this many the cache starts again (a few thousand
# staff, each with one scope, fit many times over).
LIMIT = 4096

_statements: dict[tuple[str, Hashable], tuple[str, tuple[Any, ...]] | None] = {}


def _statement(query: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """`SELECT COUNT(*)` of the query's rows, or None when it can match nothing."""
    compiler = query.values("pk").query.get_compiler(using=DEFAULT_DB_ALIAS)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    # The ORM's own SQL, its values still parameters.
    return f"SELECT COUNT(*) FROM ({sql}) counted", tuple(params)  # noqa: S608


def count(name: str, key: Hashable, build: Callable[[], QuerySet[Any]]) -> int:
    """How many rows `build()` matches; `name` and `key` (everything the statement
    depends on) say when its compiled statement can be run again."""
    cache_key = (name, key)
    if cache_key not in _statements:
        if len(_statements) >= LIMIT:
            _statements.clear()
        _statements[cache_key] = _statement(build())
    statement = _statements[cache_key]
    if statement is None:
        return 0
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(*statement)
        row = cursor.fetchone()
    return int(row[0])
