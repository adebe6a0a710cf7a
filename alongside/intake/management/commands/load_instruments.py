from typing import Any

from django.core.management.base import BaseCommand

from alongside.intake.services.instruments import instruments_load


class Command(BaseCommand):
    help = "Load the shipped screening instruments (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        for line in instruments_load(actor=None):
            self.stdout.write(line)
