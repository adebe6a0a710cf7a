"""Several `values()` queries of different shapes read in one round trip.

The worklist asks every registered reason for its rows (`WorklistReason.rows`, a
`values()` query each); one round trip a reason would cost a page nine, and at a million
people on a busy machine each round trip waits its turn for a core (bench/README.md,
"Hub"). Here each query keeps its own filters and joins and selects two columns: its
place in the list and its row as one JSON object (`JSONObject`, the ORM's own, on
PostgreSQL and SQLite alike); the queries are joined by UNION ALL, so their columns need
not match. Each value is read back with its column's type (a moment, a day, a yes or
no), so a row is what the query alone would have given, keyed by the names it selected.
A single query goes the same way (`WorklistReason.find`), so each app's tests of its
reason read it as the worklist does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Field, QuerySet, Value
from django.db.models.functions import JSONObject
from django.db.models.query import ValuesIterable
from django.utils.dateparse import parse_date, parse_datetime

# The two columns' names: unlikely to be a model's field (an annotation may not be).
WHICH = "union_which"
ROW = "union_row"

Row = dict[str, Any]

Decode = Callable[[Any], Any]


def _moment(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    moment = parse_datetime(value)
    assert moment is not None, value
    # SQLite keeps a moment as UTC without an offset (USE_TZ); PostgreSQL writes +00:00.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _day(value: Any) -> dt.date | None:
    return None if value is None else parse_date(value)


def _yes_no(value: Any) -> bool | None:
    return None if value is None else bool(value)  # SQLite's 1 and 0


DECODERS: dict[str, Decode] = {
    "DateTimeField": _moment,
    "DateField": _day,
    "BooleanField": _yes_no,
}


def _columns(query: QuerySet[Any]) -> list[str]:
    if query._iterable_class is not ValuesIterable:  # noqa: SLF001 (the ORM says so only here)
        raise ValueError("read_together reads values() queries")
    inner = query.query
    return [*inner.extra_select, *inner.values_select, *inner.annotation_select]


def _branch(which: int, query: QuerySet[Any]) -> tuple[QuerySet[Any], dict[str, Decode]]:
    """The query as one branch of the union, and how to read each of its columns."""
    names = _columns(query)
    branch = query.order_by().values(
        **{WHICH: Value(which), ROW: JSONObject(**{name: F(name) for name in names})}
    )
    resolved = branch.query.annotations[ROW].get_source_expressions()[1::2]
    decoders = {}
    for name, expression in zip(names, resolved, strict=True):
        output: Field[Any, Any] = expression.output_field
        decode = DECODERS.get(output.get_internal_type())
        if decode:
            decoders[name] = decode
    return branch, decoders


@dataclass(frozen=True)
class Statement:
    """The queries as one statement: its SQL and parameters, and how to read each
    query's columns back. Kept, it can be run again with other parameters (`run`)."""

    sql: str
    params: tuple[Any, ...]
    decoders: tuple[dict[str, Decode] | None, ...]  # None: the query that was not asked


def together(
    queries: Sequence[QuerySet[Any] | None], named: Mapping[str, QuerySet[Any]] | None = None
) -> Statement | None:
    """One statement reading every query (None: a query not asked), or None when none
    is asked. `named` are common table expressions (`WITH name (id) AS (…)`) of one
    column each that the queries read by name (`RawSQL("SELECT id FROM name")`): a
    subquery they share, written and planned once instead of once a query."""
    branches = {which: _branch(which, q) for which, q in enumerate(queries) if q is not None}
    if not branches:
        return None
    first, *rest = (branch for branch, _ in branches.values())
    union = first.union(*rest, all=True) if rest else first
    try:
        sql, params = union.query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
        if named:
            common, common_params = [], []
            for name, query in named.items():
                inner, inner_params = query.query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
                common.append(f"{name} (id) AS ({inner})")
                common_params.extend(inner_params)
            sql = f"WITH {', '.join(common)} {sql}"
            params = (*common_params, *params)
    except EmptyResultSet:  # every query, or a table they share, can match nothing
        return None
    decoders = tuple(branches[w][1] if w in branches else None for w in range(len(queries)))
    return Statement(sql, tuple(params), decoders)


def run(
    statement: Statement | None, count: int, params: Sequence[Any] | None = None
) -> list[list[Row]]:
    """The rows of each of the `count` queries `statement` reads (with `params` in
    place of those it was made with)."""
    found: list[list[Row]] = [[] for _ in range(count)]
    if statement is None:
        return found
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(statement.sql, statement.params if params is None else params)
        fetched = cursor.fetchall()
    for which, values in fetched:
        row = json.loads(values) if isinstance(values, str) else values
        for name, decode in (statement.decoders[which] or {}).items():
            row[name] = decode(row[name])
        found[which].append(row)
    return found


def read_together(
    queries: Sequence[QuerySet[Any] | None], named: Mapping[str, QuerySet[Any]] | None = None
) -> list[list[Row]]:
    """The rows of each query (None: none, not asked), in one statement, or in none when
    every query is None."""
    return run(together(queries, named), len(queries))
