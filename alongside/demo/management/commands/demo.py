from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from alongside.demo.seed import DEMO_PASSWORD, seed
from alongside.organizations.models import Organization


class Command(BaseCommand):
    help = "Set up the demo database (migrate, demo data) and run the server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300, help="How many people to create.")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address to serve on.")
        parser.add_argument("--no-server", action="store_true", help="Only prepare the data.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0)
        call_command("load_instruments", verbosity=0)
        if Organization.objects.exists():
            self.stdout.write("Demo data already present; keeping it.")
        else:
            self.stdout.write(f"Creating demo organizations, staff and {options['people']} people…")
            logins = seed(options["people"])
            self.stdout.write(self.style.SUCCESS("Demo data ready."))
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
            for login in logins:
                self.stdout.write(f"  {login.username:28} {login.role:22} {login.organization}")
        self.stdout.write(
            f"\nSign in at http://{options['addr']}/ as coordinator@riverbend "
            f"with password {DEMO_PASSWORD}\n"
        )
        if not options["no_server"]:
            call_command("runserver", options["addr"], use_reloader=False)
