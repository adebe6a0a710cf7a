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

`given` is `objects` for a query that takes several values (a search's ids, words and
phrase): each is a `Given` expression in the query, a parameter of the statement
compiled once per `name` and `key`, and each call runs it with its own values.

`together` sends a page's kept statements to the database in one round trip instead of
one each (PostgreSQL with psycopg 3: its pipeline mode). The first page of a kind (its
`name`: what the page is and everything its statements depend on, e.g. the viewer's
scope) runs them one by one, as it needs them, and the names of the statements it ran
are kept; the next page of that kind sends them all at once, with its own id, when it
begins, and each `rows`, `objects` or `count` inside it takes its answer from there. The
statements and their answers are the same; what is read is still only what the page's
code asks for (an answer nobody asks for is dropped unread), and SQLite runs them one
by one as before. On PostgreSQL the statements sent together, and those a caller asks
to be (`prepared=True`), are prepared on the connection the first time it runs them
(psycopg binding their values on the server): their text never changes, so PostgreSQL
plans each once per connection instead of once per page. Nothing is sent ahead inside
a transaction (a failing statement would abort it), and a page whose statements fail on
the way is forgotten: its reads run one by one, and the next page of its kind sends
only what this one ran.
"""

from __future__ import annotations

import contextvars
import sys
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import psycopg
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Expression, Field, Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from alongside.lib.kept import kept

# Statements kept per process; past this many the cache starts again (a few thousand
# staff, each with one scope, fit many times over).
LIMIT = 4096

_statements: dict[tuple[str, Hashable], tuple[str, tuple[Any, ...]] | None] = {}
T = TypeVar("T")


def _kept(
    store: dict[tuple[str, Hashable], T],
    cache_key: tuple[str, Hashable],
    build: Callable[[], QuerySet[Any]],
    compile_: Callable[[QuerySet[Any]], T],
    limit: int = LIMIT,
) -> T:
    """The statement kept for `cache_key`, compiled from `build()` the first time."""
    return kept(store, cache_key, lambda: compile_(build()), limit)


def sql_of(query: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL and parameters the ORM sends for `query`, or None when it can match
    nothing (the ORM's EmptyResultSet: a filter on an empty list, nobody visible)."""
    try:
        sql, params = query.query.get_compiler(using=query.db).as_sql()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _statement(query: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """`SELECT COUNT(*)` of the query's rows, or None when it can match nothing."""
    compiled = sql_of(query.values("pk"))
    if compiled is None:
        return None
    # The ORM's own SQL, its values still parameters.
    sql, params = compiled
    return f"SELECT COUNT(*) FROM ({sql}) counted", params  # noqa: S608


def count(name: str, key: Hashable, build: Callable[[], QuerySet[Any]]) -> int:
    """How many rows `build()` matches; `name` and `key` (everything the statement
    depends on) say when its compiled statement can be run again."""
    statement = _kept(_statements, (name, key), build, _statement)
    if statement is None:
        return 0
    fetched = _answer(("count", (name, key)), None)
    if fetched is None:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(*statement)
            fetched = cursor.fetchall()
    return int(fetched[0][0])


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
    # `Given` values: (place among the parameters, name).
    named: tuple[tuple[int, str], ...] = ()


_row_statements: dict[tuple[str, Hashable], _Rows | None] = {}


def _compiled(query: QuerySet[Any]) -> _Rows | None:
    compiler = query.query.get_compiler(using=DEFAULT_DB_ALIAS)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    slots = tuple(i for i, value in enumerate(params) if value == STAND_IN)
    named = tuple((i, value.name) for i, value in enumerate(params) if type(value) is Slot)
    fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)
    return _Rows(sql, tuple(params), slots, compiler, converters, named)


def _rows_statement(query: QuerySet[Any]) -> _Rows | None:
    statement = _compiled(query)
    if statement is not None and not statement.slots:
        raise ValueError("the query does not use the stand-in id")
    return statement


def _compiled_rows(name: str, key: Hashable, build: Callable[[int], QuerySet[Any]]) -> _Rows | None:
    return _kept(_row_statements, (name, key), lambda: build(STAND_IN), _rows_statement)


def _params(statement: _Rows, pk: int) -> list[Any]:
    params = list(statement.params)
    for slot in statement.slots:
        params[slot] = pk
    return params


def _run(
    name: str, key: Hashable, statement: _Rows, pk: int, prepared: bool = False
) -> list[tuple[Any, ...]]:
    fetched = _answer(("rows", (name, key)), pk)
    if fetched is None:
        return _fetch(statement, _params(statement, pk), prepared)
    return _converted(statement, fetched)


def _fetch(statement: _Rows, params: list[Any], prepared: bool = False) -> list[tuple[Any, ...]]:
    """The statement's rows run with `params`, through the ORM's converters."""
    with _cursor(prepared) as cursor:
        cursor.execute(statement.sql, params)
        return _converted(statement, cursor.fetchall())


def _converted(statement: _Rows, fetched: list[Any]) -> list[tuple[Any, ...]]:
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
    return [] if statement is None else _run(name, key, statement, pk)


def objects(
    name: str,
    key: Hashable,
    build: Callable[[int], QuerySet[Any]],
    pk: int,
    *,
    prepared: bool = False,
) -> list[Any]:
    """The model instances of `build(pk)` (a model query, its `select_related` objects
    attached), compiled as `rows` is; what `list(build(pk))` gives, without compiling.
    `prepared`: run as a prepared statement on PostgreSQL (see the module), for a read
    whose best plan does not depend on the id (a primary key's)."""

    def models(pk: int) -> QuerySet[Any]:
        query = build(pk)
        if query.query.values_select:
            raise ValueError("objects needs a model query, not values or values_list")
        return query

    statement = _compiled_rows(name, key, models)
    if statement is None:
        return []
    return _instances(statement, _run(name, key, statement, pk, prepared))


def _instances(statement: _Rows, rows: list[tuple[Any, ...]]) -> list[Any]:
    """The model instances the ORM's own iterable would have made of a model query's
    rows (its `select_related` objects and annotations attached)."""
    compiler = statement.compiler
    klass_info = compiler.klass_info
    if klass_info is None:
        raise ValueError("objects needs a model query, not values or values_list")
    model: type[Model] = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [selected[0].target.attname for selected in compiler.select[start:end]]
    populators = get_related_populators(klass_info, compiler.select, DEFAULT_DB_ALIAS)  # type: ignore[call-arg]
    annotations = list((compiler.annotation_col_map or {}).items())
    made = []
    for row in rows:
        obj = model.from_db(DEFAULT_DB_ALIAS, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for attr, position in annotations:
            setattr(obj, attr, row[position])
        made.append(obj)
    return made


@dataclass(frozen=True)
class Slot:
    """Where a `Given` value goes among a statement's parameters."""

    name: str


_UNSET: Any = object()


class Given(Expression):
    """A value a kept statement takes each time it runs (see `given`): `%s::cast`, with
    `value` as its parameter when given, else a slot that `given` fills in. Built with
    values, a query is an ordinary ORM query, the same SQL as the one kept."""

    def __init__(self, name: str, cast: str, output_field: Field, value: Any = _UNSET) -> None:
        super().__init__(output_field=output_field)
        self.name, self.cast, self.value = name, cast, value

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        value = Slot(self.name) if self.value is _UNSET else self.value
        return f"%s::{self.cast}", (value,)


# Statements `given` keeps, in a store of their caller's (see `given`).
GivenStore = dict[tuple[str, Hashable], _Rows | None]


def given(
    name: str,
    key: Hashable,
    build: Callable[[], QuerySet[Any]],
    values: Mapping[str, Any],
    *,
    store: GivenStore,
    limit: int,
) -> list[Any]:
    """The model instances of `build()` (a model query whose `Given` expressions have no
    values), compiled once per `name` and `key` (everything else its SQL depends on) and
    run with `values` (by the `Given`s' names) in the `Given`s' places. The statements
    are kept in `store`, up to `limit` of them: the caller's own, so statements with
    many keys (one per searcher's scope and shape of query) neither crowd out others
    nor are emptied with them."""
    statement = _kept(store, (name, key), build, _compiled, limit)
    if statement is None:
        return []
    params = list(statement.params)
    for place, slot in statement.named:
        params[place] = values[slot]
    return _instances(statement, _fetch(statement, params))


# A kept statement as `together` names it: ("count", (name, key)) or ("rows", (name, key)).
Tag = tuple[str, tuple[str, Hashable]]


@dataclass
class _Together:
    pk: int
    ran: list[Tag] = field(default_factory=list)
    answers: dict[Tag, list[Any]] = field(default_factory=dict)


_together: contextvars.ContextVar[_Together | None] = contextvars.ContextVar(
    "compiled_together", default=None
)
# The statements each kind of page ran last time, in order.
_pages: dict[Hashable, tuple[Tag, ...]] = {}


def _answer(tag: Tag, pk: int | None) -> list[Any] | None:
    """The rows sent ahead for this statement (and id), if any; notes that it ran."""
    page = _together.get()
    if page is None or (pk is not None and pk != page.pk):
        return None
    page.ran.append(tag)
    return page.answers.pop(tag, None)


def _sendable(tag: Tag, pk: int) -> tuple[str, tuple[Any, ...] | list[Any]] | None:
    kind, cache_key = tag
    if kind == "count":
        return _statements.get(cache_key)
    statement = _row_statements.get(cache_key)
    return None if statement is None else (statement.sql, _params(statement, pk))


def _send_ahead(tags: tuple[Tag, ...], pk: int, pipeline: ExitStack) -> dict[Tag, list[Any]]:
    """Every statement of `tags` run with `pk`, in one round trip, the connection in
    pipeline mode until `pipeline` closes."""
    connection = connections[DEFAULT_DB_ALIAS]
    sendable = [(tag, _sendable(tag, pk)) for tag in tags]
    statements = [(tag, sent) for tag, sent in sendable if sent is not None]
    if not statements:
        return {}
    connection.ensure_connection()
    with ExitStack() as inside:  # a failure leaves pipeline mode as it goes
        inside.enter_context(connection.connection.pipeline())
        with ExitStack() as stack:
            cursors = [stack.enter_context(c) for c in _cursors(len(statements), prepared=True)]
            for cursor, (_, (sql, params)) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
            answers = {
                tag: cursor.fetchall() for cursor, (tag, _) in zip(cursors, statements, strict=True)
            }
        pipeline.push(inside.pop_all())
    return answers


@dataclass(frozen=True)
class Write:
    """A write a page makes about what it reads (the audit event of the read), for
    `together`: on PostgreSQL, when the page's reads are sent ahead, `sql` with `params`
    is sent right after them in a transaction of its own, which commits while the page
    goes on (its wait for the disk no longer in the page's way); `together` waits for it
    before it ends, raises if it failed, and gives `done` the row it returned (None for
    none). Otherwise `now()` makes the write on entering, before the reads."""

    sql: str
    params: Sequence[Any]
    done: Callable[[tuple[Any, ...] | None], None]
    now: Callable[[], None]


def _write_after(write: Write, pipeline: ExitStack) -> Callable[[], None]:
    """Send `write` in its own transaction after the reads sent ahead (their answers
    already read), without waiting for it; what to call to wait for it, at the end. Its
    failure may show as soon as the next command is sent, or only then."""
    connection = connections[DEFAULT_DB_ALIAS]
    raw = connection.connection
    cursor = connection.cursor()

    def failed() -> None:
        cursor.close()
        pipeline.__exit__(*sys.exc_info())  # out of pipeline mode
        if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            raw.rollback()  # the write's transaction is still open, failed

    try:
        with connection.wrap_database_errors:  # Django's errors, as its cursors raise
            raw.execute("BEGIN")
            cursor.execute(write.sql, write.params)
            raw.execute("COMMIT")
    except BaseException:
        failed()
        raise

    def finish() -> None:
        try:
            row = cursor.fetchone()  # the commit's answer comes before it
        except BaseException:
            failed()
            raise
        cursor.close()
        pipeline.close()
        write.done(None if row is None else tuple(row))

    return finish


class _PreparedCursor(psycopg.Cursor[Any]):
    """psycopg's cursor that binds values on the server, each statement prepared on its
    connection the first time it runs (psycopg keeps the last hundred a connection
    prepared, and forgets them on a rollback, as it does its own)."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, **kwargs: Any
    ) -> Any:
        return super().execute(query, params, prepare=True, **kwargs)


# Django turns psycopg's automatic preparing off (for connection poolers); a threshold no
# statement reaches lets a cursor ask for it while every other statement stays unprepared.
_NEVER = 2**62


def _cursor(prepared: bool) -> Any:
    """A cursor of the default connection (Django's, with its execute wrappers and query
    log); one that prepares its statements when `prepared` on PostgreSQL with psycopg 3,
    unless settings.DATABASE_PREPARED_STATEMENTS is off."""
    return _cursors(1, prepared)[0]


def _cursors(count: int, prepared: bool) -> list[Any]:
    """`count` cursors as `_cursor` makes them, the connection checked once."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not (prepared and _prepares()):
        return [connection.cursor() for _ in range(count)]
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _NEVER
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    # What Django wraps, whatever its stubs say.
    return [wrap(cast(Any, _PreparedCursor(raw))) for _ in range(count)]


def _prepares() -> bool:
    return _pipelines() and settings.DATABASE_PREPARED_STATEMENTS


def _pipelines() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return hasattr(connection.connection, "pipeline")


def _ahead(
    name: Hashable, tags: tuple[Tag, ...], pk: int, write: Write | None, pipeline: ExitStack
) -> tuple[dict[Tag, list[Any]], Callable[[], None] | None]:
    """The answers sent ahead for a page, or none: not inside a transaction (a statement
    that fails there would abort the caller's transaction, for a read the page may not
    even ask for), and not when a statement fails on the way (the page is forgotten, so
    the next page of its kind does not send it again, and each read runs on its own).
    And `write` sent after them, with what waits for it; or made now (None)."""
    connection = connections[DEFAULT_DB_ALIAS]
    answers: dict[Tag, list[Any]] = {}
    if tags and _pipelines() and not connection.in_atomic_block:
        try:
            answers = _send_ahead(tags, pk, pipeline)
        except (DatabaseError, cast(Any, connection).Database.Error):
            _pages.pop(name, None)
    if write is not None and answers:
        return answers, _write_after(write, pipeline)
    pipeline.close()
    if write is not None:
        write.now()
    return answers, None


@contextmanager
def together(name: Hashable, pk: int, write: Write | None = None) -> Iterator[None]:
    """Inside it, the kept statements that the last page named `name` ran are answered
    from one round trip made on entering, with `pk` for their stand-in id. `name` must
    say everything that decides which statements the page runs (the viewer's scope,
    what the sensitivity rule lets them see), or the round trip carries answers nobody
    reads. `write` (see `Write`) is made with them: it has committed when this ends."""
    if _together.get() is not None:  # one page inside another: the outer one sends
        if write is not None:
            write.now()
        yield
        return
    ahead = _pages.get(name, ())
    with ExitStack() as pipeline:
        answers, finish = _ahead(name, ahead, pk, write, pipeline)
        page = _Together(pk, answers=answers)
        token = _together.set(page)
        try:
            yield
        finally:
            _together.reset(token)
            if finish is not None:
                finish()
    ran = tuple(dict.fromkeys(page.ran))
    if ran != ahead:
        if len(_pages) >= LIMIT:
            _pages.clear()
        _pages[name] = ran
