"""Counts that run on every page, compiled by the ORM once per process and per key.

Building a query with the ORM (scoping subqueries, EXISTS conditions) costs more Python
than the database takes to answer it: the navigation's "Urgent results (3)" cost about
4 ms a page to build and well under 1 ms to run. Where a query's SQL depends only on a
hashable key (a viewer's `Scope`: the same scope gives the same statement, and a changed
membership gives a new scope), `count` builds it with the ORM the first time, keeps the
statement and its parameters, and afterwards runs them as they are. The query is still
written once, with the ORM and the one visibility rule; only its compiling is saved.

`rows` does the same for a panel's first read that depends on a row's id (a person's
needs, their latest screenings): the ORM builds the `values_list` query once with a
stand-in id, the stand-in's places among the parameters are remembered, and each call
runs the statement with the real id there, through the ORM's own converters.

`objects` is `rows` for a model query (`select_related` included): each row becomes the
model instances the ORM's own iterable would have made, from the compiler it kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

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


# A stand-in id no table holds; its places among a statement's parameters are where the
# real id goes.
STAND_IN = -(2**62) + 20261205


@dataclass(frozen=True)
class _Rows:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]
    compiler: SQLCompiler
    converters: dict[int, Any]


_row_statements: dict[tuple[str, Hashable], _Rows | None] = {}


def _rows_statement(query: QuerySet[Any]) -> _Rows | None:
    compiler = query.query.get_compiler(using=DEFAULT_DB_ALIAS)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    slots = tuple(i for i, value in enumerate(params) if value == STAND_IN)
    if not slots:
        raise ValueError("the query does not use the stand-in id")
    fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)
    return _Rows(sql, tuple(params), slots, compiler, converters)


def _compiled_rows(name: str, key: Hashable, build: Callable[[int], QuerySet[Any]]) -> _Rows | None:
    cache_key = (name, key)
    if cache_key not in _row_statements:
        if len(_row_statements) >= LIMIT:
            _row_statements.clear()
        _row_statements[cache_key] = _rows_statement(build(STAND_IN))
    return _row_statements[cache_key]


def _run(statement: _Rows, pk: int) -> list[tuple[Any, ...]]:
    params = list(statement.params)
    for slot in statement.slots:
        params[slot] = pk
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(statement.sql, params)
        fetched = cursor.fetchall()
    if not statement.converters:
        return [tuple(row) for row in fetched]
    return [
        tuple(row) for row in statement.compiler.apply_converters(fetched, statement.converters)
    ]


def rows(
    name: str, key: Hashable, build: Callable[[int], QuerySet[Any]], pk: int
) -> list[tuple[Any, ...]]:
    """The rows of `build(pk)` (a `values_list` query), its statement compiled once per
    `name` and `key` (everything else it depends on) with a stand-in for `pk`."""
    statement = _compiled_rows(name, key, build)
    return [] if statement is None else _run(statement, pk)


def objects(name: str, key: Hashable, build: Callable[[int], QuerySet[Any]], pk: int) -> list[Any]:
    """The model instances of `build(pk)` (a model query, its `select_related` objects
    attached), compiled as `rows` is; what `list(build(pk))` gives, without compiling."""

    def models(pk: int) -> QuerySet[Any]:
        query = build(pk)
        if query.query.values_select:
            raise ValueError("objects needs a model query, not values or values_list")
        return query

    statement = _compiled_rows(name, key, models)
    if statement is None:
        return []
    compiler = statement.compiler
    klass_info = compiler.klass_info
    assert klass_info is not None  # a model query's columns
    model: type[Model] = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [selected[0].target.attname for selected in compiler.select[start:end]]
    populators = get_related_populators(klass_info, compiler.select, DEFAULT_DB_ALIAS)  # type: ignore[call-arg]
    made = []
    for row in _run(statement, pk):
        obj = model.from_db(DEFAULT_DB_ALIAS, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for attr, position in (compiler.annotation_col_map or {}).items():
            setattr(obj, attr, row[position])
        made.append(obj)
    return made
