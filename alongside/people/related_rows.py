"""PostgreSQL: a person's simple related rows (languages, identifiers, contact points,
support contacts) read in the same query as the person, instead of one query each.

Each list comes back as a JSON array from a correlated subquery on its person index,
in the model's own ordering, and is turned into model instances stored exactly where
`prefetch_related` stores them, so `person.languages.all()` and the rest read them
without a query. On the person page this takes four of its queries away: each cost
about 0.2 ms in the database and 0.4-0.6 ms of Django building it (bench/README.md).

Only models whose columns survive JSON unchanged (text, numbers, booleans, dates and
times, which `Field.to_python` reads back from their ISO form) are read this way; rows
with their own related objects (enrollments with program and coordinator) stay a
prefetch. On SQLite everything stays a prefetch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.db.models.query import ModelIterable

from alongside.people.models import Person

# Reverse relations of Person read along with the person on PostgreSQL.
INLINE = frozenset({"languages", "identifiers", "contact_points", "support_contacts"})
_PREFIX = "_rows_"


def inline_names(related: Iterable[str]) -> list[str]:
    """Which of `related` are read with the person (none on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    return [name for name in related if name in INLINE]


def _rows(name: str) -> ArraySubquery:
    relation = Person._meta.get_field(name)
    model = relation.related_model
    columns = {field.attname: field.attname for field in model._meta.concrete_fields}
    rows = model._default_manager.filter(
        **{relation.field.attname: OuterRef("pk")}  # type: ignore[union-attr]
    ).values(row=JSONObject(**columns))
    return ArraySubquery(rows)


def with_rows(people: QuerySet[Person], names: list[str]) -> QuerySet[Person]:
    """`people` with the related rows `names` read in the same query (see module)."""
    if not names:
        return people
    people = people.annotate(**{f"{_PREFIX}{name}": _rows(name) for name in names})
    people._iterable_class = _WithRows
    return people


def _store(person: Person, name: str, rows: list[Any] | None) -> None:
    """Put the rows where prefetch_related would have (prefetch_one_level)."""
    relation = Person._meta.get_field(name)
    model = relation.related_model
    fields = model._meta.concrete_fields
    attnames = [field.attname for field in fields]
    back = relation.field  # type: ignore[union-attr]
    instances = []
    for row in rows or []:
        instance = model.from_db(
            connection.alias, attnames, [field.to_python(row[field.attname]) for field in fields]
        )
        back.set_cached_value(instance, person)
        instances.append(instance)
    manager = getattr(person, name)
    if not hasattr(person, "_prefetched_objects_cache"):
        person._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    queryset = manager.get_queryset()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    person._prefetched_objects_cache[name] = queryset  # type: ignore[attr-defined]


class _WithRows(ModelIterable):  # type: ignore[type-arg]
    """Model instances with their inline related rows moved into the prefetch cache."""

    def __iter__(self) -> Iterator[Any]:
        for person in super().__iter__():
            for key in [key for key in vars(person) if key.startswith(_PREFIX)]:
                _store(person, key.removeprefix(_PREFIX), vars(person).pop(key))
            yield person
