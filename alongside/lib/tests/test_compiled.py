"""A count compiled once per key answers what the ORM query would, row by row as the
data changes, and a new key compiles the query again."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.lib import compiled
from alongside.organizations.models import Organization


def test_it_counts_what_the_query_matches_as_the_rows_change(db: Any) -> None:
    def named(prefix: str) -> Any:
        return lambda: Organization.objects.filter(name__startswith=prefix)

    Organization.objects.create(name="Compiled A1", slug="compiled-a1")
    assert compiled.count("test.orgs", "Compiled A", named("Compiled A")) == 1
    Organization.objects.create(name="Compiled A2", slug="compiled-a2")
    # Compiled already: the same statement reads the new row, in one query.
    with CaptureQueriesContext(connection) as ran:
        assert compiled.count("test.orgs", "Compiled A", named("ignored")) == 2
    assert len(ran.captured_queries) == 1
    # Another key is another statement.
    assert compiled.count("test.orgs", "Compiled A2", named("Compiled A2")) == 1


def test_a_query_that_can_match_nothing_costs_no_query(db: Any) -> None:
    with CaptureQueriesContext(connection) as ran:
        assert compiled.count("test.none", 1, lambda: Organization.objects.none()) == 0
        assert compiled.count("test.none", 1, lambda: Organization.objects.none()) == 0
    assert ran.captured_queries == []
