"""`manage.py scheduling_sweep`: close waitlist offers past their time (offering each
slot to the next person in line) and mark lapsed holds, now. The worker runs the same
sweep with each sweep slot. Safe to run often and from several machines: each offer is
closed in its own transaction, under its row lock."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from alongside.scheduling.reminders_tasks import expire_offers_and_holds


class Command(BaseCommand):
    help = "Expire waitlist offers past their time and lapse holds nobody confirmed."

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = expire_offers_and_holds.call()
        self.stdout.write(f"{outcome['offers']} offers expired, {outcome['holds']} holds lapsed")
