"""`alongside demo`: the database, the demo data and the server, in one command."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from alongside.demo.progress import Progress, duration
from alongside.demo.seed import DEMO_PASSWORD, people_total, seed
from alongside.intake.services import instruments_load
from alongside.organizations.models import Organization


class Command(BaseCommand):
    help = "Set up the demo database (migrate, demo data) and run the server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=300,
            help="How many people to create (default 300; at least 10, the showcase).",
        )
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="Address to serve on (default %(default)s)."
        )
        parser.add_argument(
            "--no-server", action="store_true", help="Only prepare the data; do not serve."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def say(message: str) -> None:
            # Steps go to stderr with the progress bar; stdout keeps the logins to read.
            sys.stderr.write(f"[{duration(time.monotonic() - started):>7}] {message}\n")
            sys.stderr.flush()

        say("Preparing the database…")
        call_command("migrate", verbosity=0)
        say("Loading the screening instruments…")
        instruments_load(actor=None)
        if Organization.objects.exists():
            self.stdout.write("Demo data already present; keeping it.")
        else:
            people = Progress("People", people_total(options["people"]))
            logins = seed(options["people"], say=say, tick=people.advance)
            say(f"Demo data ready in {duration(time.monotonic() - started)}")
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
            for login in logins:
                self.stdout.write(f"  {login.username:28} {login.role:22} {login.organization}")
        self.stdout.write(
            f"\nSign in at http://{options['addr']}/ as coordinator@riverbend "
            f"with password {DEMO_PASSWORD}\n"
        )
        if not options["no_server"]:
            with background_worker(say):
                call_command("runserver", options["addr"], use_reloader=False)


@contextmanager
def background_worker(say: Any) -> Iterator[subprocess.Popen[bytes] | None]:
    """The background worker (`alongside worker`) beside the server, as a process of its
    own that stops with it: follow-up rules and the rest of the background work run in
    the demo with no extra step."""
    if settings.TASKS_BACKEND == "immediate":
        yield None
        return
    say("Starting the background worker…")
    worker = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "alongside", "worker", "--verbosity", "0"]
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
