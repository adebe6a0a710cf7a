"""Two workers evaluating the rules at the same moment, each on its own database
connection: the unique key leaves exactly one task per occurrence, and one sweep per
slot. Run on PostgreSQL too (DATABASE_URL), where the two inserts really race."""

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from alongside.people.models import Person
from alongside.tasks import background, rules
from alongside.tasks.models import SweepRun, Task
from alongside.tasks.tests.factories import make_rule

NOW = dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)


def _settled(results: list[Any]) -> list[Any]:
    """The results of the threads that finished. On PostgreSQL both must: the second
    insert waits for the first and is refused by the unique key. SQLite's in-memory test
    database reports a locked table to the second writer instead of waiting (a file
    database, as deployed, waits: `timeout` in settings), which also writes nothing."""
    errors = [r for r in results if isinstance(r, Exception)]
    if connection.vendor == "postgresql":
        assert not errors, errors
    assert all("locked" in str(e) for e in errors), errors
    return [r for r in results if not isinstance(r, Exception)]


def _together(count: int, work: Callable[[], Any]) -> list[Any]:
    """Run `work` in `count` threads, each with its own connection; their results, and
    any exception raised in one of them."""
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(work())
        except Exception as error:  # noqa: BLE001 - the test reports it below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_one_task_per_occurrence(world, monkeypatch):
    rule = make_rule(world)
    Person.objects.filter(pk=world.person.pk).update(last_contacted_at=NOW - dt.timedelta(days=40))
    # Both workers have read that no task exists before either inserts one: what a
    # check-then-insert would get wrong.
    barrier = threading.Barrier(2, timeout=30)
    new_task = rules._new_task

    def in_step(*args: Any) -> Task:
        barrier.wait()
        return new_task(*args)

    monkeypatch.setattr(rules, "_new_task", in_step)

    outcomes = _together(2, lambda: rules.evaluate_rules(NOW))

    assert sum(o.created for o in _settled(outcomes)) == 1, outcomes
    assert Task.objects.filter(rule=rule).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_enqueue_one_sweep_per_slot(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    task_backends._settings = None  # type: ignore[attr-defined]
    barrier = threading.Barrier(2, timeout=30)

    def enqueue() -> Any:
        barrier.wait()
        return background.enqueue_sweep(NOW)

    results = _together(2, enqueue)

    assert sum(r is not None for r in _settled(results)) == 1, results
    assert SweepRun.objects.get().slot == dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)
