"""PostgreSQL: a person's related rows (languages, identifiers, contact points, support
contacts, enrollments with their program and coordinator) read in the same query as the
person, instead of one query each.

Each list comes back as a JSON array from a correlated subquery on its person index, in
the related model's own ordering, and is turned into model instances stored exactly
where `prefetch_related` (and, for an enrollment's program and coordinator,
`select_related`) stores them, so `person.languages.all()` and the rest read them without
a query. On the person page this takes five queries away: each cost about 0.2 ms in the
database and 0.5-1 ms of Django building it and its instances (bench/README.md).

Only models whose columns survive JSON unchanged (text, numbers, booleans, dates, times
and timestamps, which `Field.to_python` reads back from their ISO form) are read this
way. The SQL is written once per relation from the models' metadata: building it through
the ORM for every query (a JSONObject of each column) cost more than the queries it
saved. On SQLite everything stays a prefetch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Expression, F, JSONField, Model, QuerySet
from django.db.models.query import ModelIterable

from alongside.people.models import Person

# Reverse relations of Person read along with the person on PostgreSQL, with the
# foreign keys of each that are read with it (as select_related would).
INLINE: dict[str, tuple[str, ...]] = {
    "languages": (),
    "identifiers": (),
    "contact_points": (),
    "support_contacts": (),
    "enrollments": ("program", "primary_coordinator"),
}
_PREFIX = "_rows_"


def inline_names(related: Iterable[str]) -> list[str]:
    """Which of `related` are read with the person (none on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    return [name for name in related if name in INLINE]


def with_rows(people: QuerySet[Person], names: list[str]) -> QuerySet[Person]:
    """`people` with the related rows `names` read in the same query (see module)."""
    if not names:
        return people
    people = people.annotate(**{f"{_PREFIX}{name}": _Rows(name) for name in names})
    people._iterable_class = _WithRows
    return people


def rows_of_person(name: str, person: str) -> dict[str, Expression]:
    """The annotation that reads the related rows `name` of the person whose id is the
    field `person` of another model's queryset (`"person_id"` of a plan), for
    `store_rows` to put in place on that person once read."""
    rows = _Rows(name)
    rows.outer = F(person)
    return {f"{_PREFIX}{name}": rows}


def store_rows(owner: Model, person: Person, name: str) -> None:
    """Move the rows `name` read on `owner` by `rows_of_person` into `person`'s
    prefetch cache."""
    _store(person, name, vars(owner).pop(f"{_PREFIX}{name}"))


def json_rows_sql(
    model: type[Model], joined: Iterable[str], ordering: Iterable[str], where: str
) -> str:
    """`(SELECT jsonb_agg(jsonb_build_array(row, joined row, ...) ORDER BY ...) FROM
    <model's table> r LEFT JOIN ... WHERE <where>)`: the rows of `model` (alias `r`)
    meeting `where`, each with the rows its foreign keys `joined` point at (a missing one
    null), in `ordering` (plain field names, `-` for descending). Read back with
    `json_instance`. Also plans/snapshot_rows.py's."""
    meta: Any = model._meta
    rows = ["to_jsonb(r)"]
    joins = []
    for n, key in enumerate(joined):
        fk: Any = meta.get_field(key)
        target = fk.related_model._meta
        # A row of the outer join's null side is null as a whole: no coordinator is null.
        joins.append(
            f' LEFT JOIN "{target.db_table}" j{n} ON j{n}."{fk.target_field.column}"'
            f' = r."{fk.column}"'
        )
        rows.append(f"to_jsonb(j{n})")
    order = []
    for key in ordering:
        column = meta.get_field(key.lstrip("-")).column
        order.append(f'r."{column}"' + (" DESC" if key.startswith("-") else ""))
    # Only table and column names from the models' metadata go into the SQL.
    return (
        f"(SELECT jsonb_agg(jsonb_build_array({', '.join(rows)}) ORDER BY {', '.join(order)})"  # noqa: S608
        f' FROM "{meta.db_table}" r{"".join(joins)} WHERE {where})'
    )


def _rows_sql(name: str) -> str:
    """The rows of the person's relation `name`, with `{outer}` standing for the
    person's id."""
    relation: Any = Person._meta.get_field(name)
    model = relation.related_model
    # Plain field names only, as every model in INLINE orders by.
    ordering = [str(key) for key in model._meta.ordering]
    return json_rows_sql(model, INLINE[name], ordering, f'r."{relation.field.column}" = {{outer}}')


_ROWS_SQL = {name: _rows_sql(name) for name in INLINE}


class _Rows(Expression):
    """PostgreSQL: the rows of one reverse relation of the person in the outer query
    (and the rows they join), as a JSON array."""

    output_field = JSONField()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.outer: Any = F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.outer]

    def set_source_expressions(self, expressions: Any) -> None:
        (self.outer,) = expressions

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        outer, params = compiler.compile(self.outer)
        return _ROWS_SQL[self.name].format(outer=outer), params


def json_instance(model: type[Model], data: dict[str, Any]) -> Model:
    """A model instance from its row as `to_jsonb` gave it (the fields in it only)."""
    fields: Any = [f for f in model._meta.concrete_fields if f.column in data]
    return model.from_db(
        connection.alias,
        [field.attname for field in fields],
        [field.to_python(data[field.column]) for field in fields],
    )


def _store(person: Person, name: str, rows: list[list[Any]] | None) -> None:
    """Put the rows where prefetch_related would have (as prefetch_one_level does), and
    their joined rows where select_related would have."""
    relation: Any = Person._meta.get_field(name)
    model: Any = relation.related_model
    back: Any = relation.field
    keys = [model._meta.get_field(key) for key in INLINE[name]]
    instances = []
    for own, *joined in rows or []:
        instance = json_instance(model, own)
        back.set_cached_value(instance, person)
        for fk, data in zip(keys, joined, strict=True):
            joined_instance = None if data is None else json_instance(fk.related_model, data)
            fk.set_cached_value(instance, joined_instance)
        instances.append(instance)
    if not hasattr(person, "_prefetched_objects_cache"):
        person._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    queryset = getattr(person, name).get_queryset()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    person._prefetched_objects_cache[name] = queryset  # type: ignore[attr-defined]


def store_inline(person: Person) -> Person:
    """Move the related rows read with `person` (annotations `with_rows` added) into
    its prefetch cache: what reading it through `with_rows`'s queryset does (for a
    person read from the same statement compiled once, `lib.compiled.objects`)."""
    for key in [key for key in vars(person) if key.startswith(_PREFIX)]:
        _store(person, key.removeprefix(_PREFIX), vars(person).pop(key))
    return person


class _WithRows(ModelIterable):
    """Model instances with their inline related rows moved into the prefetch cache."""

    def __iter__(self) -> Iterator[Any]:
        for person in super().__iter__():
            yield store_inline(person)
