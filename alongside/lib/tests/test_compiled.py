"""A count compiled once per key answers what the ORM query would, row by row as the
data changes, and a new key compiles the query again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection
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


def test_rows_compiled_once_read_each_id_and_the_new_rows(db: Any) -> None:
    first = Organization.objects.create(name="Rows A", slug="rows-a")
    second = Organization.objects.create(name="Rows B", slug="rows-b")

    def build(pk: int) -> Any:
        return Organization.objects.filter(pk=pk).values_list("pk", "name", "created_at")

    assert compiled.rows("test.rows", None, build, first.pk) == [
        (first.pk, "Rows A", first.created_at)
    ]
    with CaptureQueriesContext(connection) as ran:
        [(pk, name, created_at)] = compiled.rows("test.rows", None, build, second.pk)
    assert (pk, name, created_at) == (second.pk, "Rows B", second.created_at)
    assert len(ran.captured_queries) == 1
    assert compiled.rows("test.rows", None, build, second.pk + 1000) == []


def test_rows_refuse_a_query_that_ignores_the_id(db: Any) -> None:
    with pytest.raises(ValueError, match="stand-in id"):
        compiled.rows("test.ignores", None, lambda pk: Organization.objects.values_list("pk"), 1)


def test_objects_are_the_orm_instances_with_their_related_rows(db: Any) -> None:
    from alongside.organizations.models import Program

    org = Organization.objects.create(name="Objects A", slug="objects-a")
    Program.objects.create(organization=org, name="Housing")

    def build(pk: int) -> Any:
        return Program.objects.filter(organization_id=pk).select_related("organization")

    [expected] = list(build(org.pk))
    for _ in range(2):
        with CaptureQueriesContext(connection) as ran:
            [made] = compiled.objects("test.objects", None, build, org.pk)
        assert (made.pk, made.name, made.organization.name) == (expected.pk, "Housing", org.name)
        assert len(ran.captured_queries) == 1
    with pytest.raises(ValueError, match="model query"):
        compiled.objects("test.values", None, lambda pk: build(pk).values_list("pk"), org.pk)


def test_a_page_sends_the_statements_the_last_one_ran_together_with_its_own_id(
    transactional_db: Any, sent_ahead: list[tuple[Any, ...]]
) -> None:
    # Outside a transaction, as a page is: inside one nothing is sent ahead (below).
    from alongside.organizations.models import Program

    first = Organization.objects.create(name="Together A", slug="together-a")
    second = Organization.objects.create(name="Together B", slug="together-b")
    for org in (first, second):
        Program.objects.create(organization=org, name=f"{org.name} housing")

    def programs(pk: int) -> Any:
        return Program.objects.filter(organization_id=pk).values_list("name")

    def orgs(pk: int) -> Any:
        return Organization.objects.filter(pk=pk)

    def page(pk: int) -> tuple[Any, ...]:
        return (
            compiled.rows("test.together.programs", None, programs, pk),
            [o.name for o in compiled.objects("test.together.orgs", None, orgs, pk)],
            compiled.count("test.together.count", "T", lambda: Organization.objects.all()),
        )

    sent = sent_ahead
    with compiled.together(("test.together", 1), first.pk):
        assert page(first.pk)[:2] == ([("Together A housing",)], ["Together A"])
    assert sent == []  # the first page of its kind runs its statements as it goes
    with (
        CaptureQueriesContext(connection) as ran,
        compiled.together(("test.together", 1), second.pk),
    ):
        answers = compiled._together.get()
        together = page(second.pk)
        assert answers is not None
        left = dict(answers.answers)
    assert together == page(second.pk)  # what each statement answers on its own
    assert together[0] == [("Together B housing",)]
    assert left == {}  # every answer sent ahead was read
    assert len(ran.captured_queries) == 3  # the same statements, ...
    if connection.vendor == "postgresql":  # ... sent in one round trip
        assert [tag[0] for tag in sent[0]] == ["rows", "rows", "count"]
    # Another kind of page (another viewer's scope, say) sends nothing ahead.
    with compiled.together(("test.together", 2), second.pk):
        assert page(second.pk) == together
    assert len(sent) == (1 if connection.vendor == "postgresql" else 0)


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.parametrize("on", [True, False])
def test_statements_sent_together_are_prepared_once_a_connection_unless_turned_off(
    transactional_db: Any, sent_ahead: list[tuple[Any, ...]], settings: Any, on: bool
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    from alongside.organizations.models import Program

    settings.DATABASE_PREPARED_STATEMENTS = on
    orgs = [Organization.objects.create(name=f"Prepared {n}", slug=f"prepared-{n}") for n in "ABC"]
    for org in orgs:
        Program.objects.create(organization=org, name=f"{org.name} housing")

    def programs(pk: int) -> Any:
        return Program.objects.filter(organization_id=pk).values_list("name")

    name = ("test.prepared", on)
    answers = []
    for org in orgs:
        with compiled.together(name, org.pk):
            answers.append(compiled.rows("test.prepared.programs", on, programs, org.pk))
    assert answers == [[(f"{org.name} housing",)] for org in orgs]
    assert len(sent_ahead) == 2  # the second and third pages
    kept = [s for s in _prepared_statements() if "organizations_program" in s]
    # Prepared once, by the first page that sent it, and run again by the next.
    assert len(kept) == (1 if on else 0)
    if on:
        assert "$1" in kept[0]  # its values bound on the server


def test_a_read_asked_to_be_prepared_answers_as_the_orm(transactional_db: Any) -> None:
    from alongside.organizations.models import Program

    org = Organization.objects.create(name="Asked A", slug="asked-a")
    Program.objects.create(organization=org, name="Housing")

    def build(pk: int) -> Any:
        return Program.objects.filter(organization_id=pk).select_related("organization")

    for _ in range(2):
        [made] = compiled.objects("test.asked", None, build, org.pk, prepared=True)
        assert (made.name, made.organization.name) == ("Housing", "Asked A")
    if connection.vendor == "postgresql":
        assert any("organizations_program" in s for s in _prepared_statements())


def _write(sql: str, params: list[Any], done: list[Any], now: list[Any]) -> compiled.Write:
    return compiled.Write(sql, params, done.append, lambda: now.append(True))


def test_a_write_goes_after_the_reads_sent_ahead_and_has_committed_at_the_end(
    transactional_db: Any, sent_ahead: list[tuple[Any, ...]]
) -> None:
    org = Organization.objects.create(name="Write A", slug="write-a")
    done: list[Any] = []
    now: list[Any] = []
    rename = "UPDATE organizations_organization SET name = %s WHERE id = %s RETURNING name"
    for n in range(2):
        with compiled.together(
            ("test.write", 1), org.pk, _write(rename, [f"W{n}", org.pk], done, now)
        ):
            assert _programs_page(org.pk) == []
    if connection.vendor == "postgresql":  # the first page wrote on entering, the next after
        assert (now, done) == ([True], [("W1",)])
        assert len(sent_ahead) == 1
    else:
        assert (now, done) == ([True, True], [])
    # (Written by `now` here: the first page's write is the test's stand-in.)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM organizations_organization WHERE id = %s", [org.pk])
        name = cursor.fetchone()[0]
    assert name == ("W1" if connection.vendor == "postgresql" else "Write A")


def test_a_write_failing_after_the_reads_fails_the_page_and_leaves_the_connection_usable(
    transactional_db: Any, sent_ahead: list[tuple[Any, ...]]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("writes are sent after the reads on PostgreSQL only")
    org = Organization.objects.create(name="Write B", slug="write-b")
    with compiled.together(("test.write.fails", 1), org.pk):
        _programs_page(org.pk)
    done: list[Any] = []
    failing = _write("SELECT 1/0 WHERE %s > 0", [org.pk], done, [])
    with (
        pytest.raises(DatabaseError, match="division by zero"),
        compiled.together(("test.write.fails", 1), org.pk, failing),
    ):
        assert _programs_page(org.pk) == []
    assert done == []
    with connection.cursor() as cursor:  # not left in a failed transaction
        cursor.execute("SELECT name FROM organizations_organization WHERE id = %s", [org.pk])
        assert cursor.fetchall() == [("Write B",)]
    assert not connection.connection.pgconn.pipeline_status


def _programs_page(pk: int) -> list[Any]:
    from alongside.organizations.models import Program

    def programs(pk: int) -> Any:
        return Program.objects.filter(organization_id=pk).values_list("name")

    return compiled.rows("test.ahead.programs", None, programs, pk)


def test_a_page_inside_a_transaction_sends_nothing_ahead(
    db: Any, sent_ahead: list[tuple[Any, ...]]
) -> None:
    org = Organization.objects.create(name="Atomic A", slug="atomic-a")
    for _ in range(2):
        with compiled.together(("test.atomic", 1), org.pk):
            assert _programs_page(org.pk) == []
    # A statement failing there would abort the caller's transaction.
    assert sent_ahead == []


def test_a_statement_failing_on_the_way_is_forgotten_and_the_page_reads_alone(
    transactional_db: Any, sent_ahead: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from alongside.organizations.models import Program

    org = Organization.objects.create(name="Failing A", slug="failing-a")
    Program.objects.create(organization=org, name="Housing")
    name = ("test.failing", 1)
    with compiled.together(name, org.pk):
        compiled.count("test.failing.count", None, lambda: Organization.objects.all())
        _programs_page(org.pk)
    # The kept count now fails (as a statement may, for this id); the page no longer asks it.
    monkeypatch.setitem(compiled._statements, ("test.failing.count", None), ("SELECT 1/0", ()))
    for _ in range(2):
        with compiled.together(name, org.pk):
            assert _programs_page(org.pk) == [("Housing",)]
    assert compiled._pages[name] == (("rows", ("test.ahead.programs", None)),)
    assert len(sent_ahead) == (2 if connection.vendor == "postgresql" else 0)
    with connection.cursor() as cursor:  # the connection is still usable
        cursor.execute("SELECT 1")
        assert cursor.fetchall() == [(1,)]


class _Cleared(dict[Any, Any]):
    """A kept-statement dict that another thread clears as soon as a statement is kept."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


def test_a_statement_cleared_by_another_thread_meanwhile_is_still_run(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled, "_statements", _Cleared())
    monkeypatch.setattr(compiled, "_row_statements", _Cleared())
    org = Organization.objects.create(name="Cleared A", slug="cleared-a")
    assert compiled.count("test.cleared", None, lambda: Organization.objects.all()) >= 1
    assert compiled.rows(
        "test.cleared",
        None,
        lambda pk: Organization.objects.filter(pk=pk).values_list("name"),
        org.pk,
    ) == [("Cleared A",)]
