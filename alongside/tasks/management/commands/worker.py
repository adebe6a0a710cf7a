"""`alongside worker`: run the background worker, and the periodic follow-up sweep.

It fronts the configured backend's own worker (`db_worker` for the database queue,
`rqworker` for RQ) and, beside it, enqueues the sweep of the follow-up rules every
FOLLOW_UP_SWEEP_MINUTES. Any number of workers may run: each slot's sweep is enqueued
once (a unique key per slot), and the queue hands each job to one worker."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone

from alongside.tasks.background import enqueue_sweep, slot_for

logger = logging.getLogger("alongside.tasks")


def sweep_every(minutes: int, stop: threading.Event, worker: str) -> None:
    """Enqueue each slot's sweep as the slot starts, until `stop` is set."""
    while not stop.is_set():
        try:
            if enqueue_sweep(worker=worker, minutes=minutes) is not None:
                logger.info("Enqueued the follow-up sweep")
        except Exception:  # a database hiccup must not end the loop; the next slot retries
            logger.exception("Could not enqueue the follow-up sweep")
        finally:
            connections.close_all()
        now = timezone.now()
        wait = (slot_for(now, minutes) + dt.timedelta(minutes=minutes) - now).total_seconds()
        stop.wait(max(wait, 1.0))


class Command(BaseCommand):
    help = "Run the background worker (and the periodic sweep of follow-up rules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sweep-minutes",
            type=int,
            default=settings.FOLLOW_UP_SWEEP_MINUTES,
            help="Enqueue the follow-up sweep this often (default %(default)s).",
        )
        parser.add_argument(
            "--no-sweep", action="store_true", help="Only run queued work; never sweep."
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run what is queued (and this slot's sweep), then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue (database queue; default 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS_BACKEND
        if backend == "immediate":
            raise CommandError(
                "ALONGSIDE_TASKS_BACKEND=immediate runs work where it is enqueued: "
                "there is no queue for a worker to run."
            )
        worker = f"{socket.gethostname()}:{os.getpid()}"
        stop = threading.Event()
        if not options["no_sweep"]:
            if options["batch"]:
                enqueue_sweep(worker=worker, minutes=max(options["sweep_minutes"], 1))
            else:
                threading.Thread(
                    target=sweep_every,
                    args=(max(options["sweep_minutes"], 1), stop, worker),
                    name="follow-up-sweep",
                    daemon=True,
                ).start()
        self.stdout.write(f"Worker started ({backend} queue).")
        try:
            if backend == "rq":
                rq_options: dict[str, Any] = {"burst": True} if options["batch"] else {}
                call_command("rqworker", "default", **rq_options)
            else:
                call_command(
                    "db_worker",
                    queue_name="default",
                    interval=options["interval"],
                    batch=options["batch"],
                    reload=False,
                    startup_delay=not options["batch"],
                    verbosity=options["verbosity"],
                )
        finally:
            stop.set()
