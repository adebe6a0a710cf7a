"""The real worker, in its own process, picks up work the web process enqueued.

On PostgreSQL the worker connects to the test database itself. SQLite's test database
lives in this process's memory, where no other process can reach it: it is copied to a
file for the worker (SQLite's backup API), and the worker's result copied back."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alongside.people.models import Person
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_rule

ROOT = Path(settings.BASE_DIR).parent


def _database_url(tmp_path: Path) -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host = db["HOST"] or "localhost"
        return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'worker.sqlite3'}"


@contextmanager
def _shared_with_worker(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL the worker process can open, holding what this process wrote."""
    url = _database_url(tmp_path)
    if connection.vendor != "sqlite":
        yield url
        return
    connection.ensure_connection()
    memory = connection.connection
    file = sqlite3.connect(tmp_path / "worker.sqlite3")
    memory.backup(file)
    file.close()
    yield url
    file = sqlite3.connect(tmp_path / "worker.sqlite3")
    file.backup(memory)
    file.close()


def _run_worker(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "DATABASE_URL": url,
        "ALONGSIDE_TASKS_BACKEND": "database",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "alongside.settings",
    }
    return subprocess.run(  # noqa: S603 - our own command, with fixed arguments
        [sys.executable, "-m", "alongside", "worker", "--batch", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_sweep_the_web_page_enqueued(world, client, tmp_path):
    rule = make_rule(world, days=30)
    Person.objects.filter(pk=world.person.pk).update(
        last_contacted_at=timezone.now() - dt.timedelta(days=45)
    )
    client.force_login(world.admin)

    response = client.post(reverse("manage:follow-up-run", args=[world.org.pk]))

    assert response.status_code == 302
    queued = DBTaskResult.objects.get()
    assert (queued.status, queued.task_path) == (
        "READY",
        "alongside.tasks.background.sweep_follow_up_rules",
    )
    assert not Task.objects.exists()

    with _shared_with_worker(tmp_path) as url:
        ran = _run_worker(url, "--no-sweep")

    assert ran.returncode == 0, ran.stdout + ran.stderr
    done = DBTaskResult.objects.get()
    assert done.status == "SUCCESSFUL", (done.status, ran.stdout, ran.stderr)
    assert done.return_value == {"created": 1, "closed": 0}
    task = Task.objects.get(rule=rule)
    assert task.person_id == world.person.pk


@pytest.mark.django_db(transaction=True)
def test_the_worker_enqueues_and_runs_the_periodic_sweep_once_per_slot(world, tmp_path):
    make_rule(world, days=30)
    Person.objects.filter(pk=world.person.pk).update(
        last_contacted_at=timezone.now() - dt.timedelta(days=45)
    )

    with _shared_with_worker(tmp_path) as url:
        # Day-long slots: both runs fall in one (unless started on the stroke of midnight).
        first = _run_worker(url, "--sweep-minutes", "1440")
        second = _run_worker(url, "--sweep-minutes", "1440")  # nothing more to enqueue

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    # The follow-up sweep and each of settings.PERIODIC_TASKS, once each.
    ran = list(DBTaskResult.objects.filter(status="SUCCESSFUL").values_list("task_path", flat=True))
    assert sorted(ran) == sorted(
        ["alongside.tasks.background.sweep_follow_up_rules", *settings.PERIODIC_TASKS]
    )
    assert Task.objects.count() == 1


def _status_seen_by(url: str, job: DBTaskResult) -> str:
    """The job's status, read where the worker writes it (not through this process's
    copy of an SQLite test database)."""
    if connection.vendor == "postgresql":
        return str(DBTaskResult.objects.get(pk=job.pk).status)
    table = DBTaskResult._meta.db_table
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        [status] = db.execute(
            f"SELECT status FROM {table} WHERE id = ?",  # noqa: S608 - the model's own table
            [job.pk.hex if hasattr(job.pk, "hex") else job.pk],
        ).fetchone()
    return str(status)


@pytest.mark.django_db(transaction=True)
def test_the_demo_runs_the_worker_beside_the_server_and_stops_it(
    world, client, tmp_path, monkeypatch
):
    from alongside.demo.management.commands.demo import background_worker

    make_rule(world, days=30)
    client.force_login(world.admin)
    client.post(reverse("manage:follow-up-run", args=[world.org.pk]))
    job = DBTaskResult.objects.get()

    with _shared_with_worker(tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("ALONGSIDE_TASKS_BACKEND", "database")
        monkeypatch.setenv("PYTHONPATH", str(ROOT))
        with background_worker(lambda message: None) as worker:
            assert worker is not None
            # Wait for the worker to get to it (however long the machine takes).
            waited = 0
            while _status_seen_by(url, job) != "SUCCESSFUL" and worker.poll() is None:
                waited += 1
                assert waited < 1200, "the worker never ran the job"
                time.sleep(0.1)
            assert worker.poll() is None  # still running: it stops with the server
        assert worker.returncode is not None

    assert DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL"
