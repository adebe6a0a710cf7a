"""An organization's people as match records (`model.Record`), read as a stream.

People, their contact points and their identifiers are each read in person order with
a server-side cursor on PostgreSQL and walked side by side, so that a million people
cost three sequential reads and the memory of the records alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from alongside.matching.fellegi_sunter import Record, make_record
from alongside.people.models import ContactPoint, Identifier, Person

CHUNK = 5000
_POSTAL = re.compile(r"\b(\d{5})(?:-\d{4})?\b")


def _grouped(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    """(person id, rows) from rows sorted by person id (their first column)."""
    current: int | None = None
    group: list[tuple[Any, ...]] = []
    for row in rows:
        if row[0] != current:
            if current is not None:
                yield current, group
            current, group = row[0], []
        group.append(row)
    if current is not None:
        yield current, group


class _Follower:
    """Walks a stream grouped by person id alongside the stream of people."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self._groups = _grouped(rows)
        self._next: tuple[int, list[tuple[Any, ...]]] | None = next(self._groups, None)

    def rows_of(self, person_id: int) -> list[tuple[Any, ...]]:
        while self._next is not None and self._next[0] < person_id:
            self._next = next(self._groups, None)
        if self._next is not None and self._next[0] == person_id:
            rows = self._next[1]
            self._next = next(self._groups, None)
            return rows
        return []


def read_population(
    organization_id: int, *, progress: Callable[[str], None] | None = None
) -> list[Record]:
    """One record per person of the organization who has not been merged into someone,
    in id order; the first phone, email, address and identifier (preferred first)."""
    people = (
        Person.objects.filter(organization_id=organization_id, merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", "legal_given_name", "legal_family_name", "date_of_birth", "sex")
        .iterator(chunk_size=CHUNK)
    )
    contacts = _Follower(
        ContactPoint.objects.filter(
            person__organization_id=organization_id, person__merged_into__isnull=True
        )
        .order_by("person_id", "-is_preferred", "pk")
        .values_list("person_id", "kind", "normalized")
        .iterator(chunk_size=CHUNK)
    )
    identifiers = _Follower(
        Identifier.objects.filter(
            person__organization_id=organization_id, person__merged_into__isnull=True
        )
        .order_by("person_id", "pk")
        .values_list("person_id", "normalized")
        .iterator(chunk_size=CHUNK)
    )
    records: list[Record] = []
    for pk, given, family, born, sex in people:
        phone = email = street = postal = ""
        for _, kind, value in contacts.rows_of(pk):
            if kind == ContactPoint.Kind.PHONE and not phone:
                phone = value
            elif kind == ContactPoint.Kind.EMAIL and not email:
                email = value
            elif kind == ContactPoint.Kind.ADDRESS and not street:
                codes = _POSTAL.findall(value)
                street = value.split(",", 1)[0]
                postal = codes[-1] if codes else ""
        found = identifiers.rows_of(pk)
        records.append(
            make_record(
                str(pk),
                given,
                family,
                born,
                sex,
                phone,
                email,
                street,
                postal,
                found[0][1] if found else "",
            )
        )
        if progress and len(records) % 100_000 == 0:
            progress(f"read {len(records):,} people")
    if progress:
        progress(f"read {len(records):,} people")
    return records
