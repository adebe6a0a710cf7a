"""`manage.py scheduling_sweep`: close waitlist offers past their time (offering each
slot to the next person in line) and mark lapsed holds. Safe to run often and from
several machines: each offer is closed in its own transaction, under its row lock."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from alongside.lib.actors import SystemActor
from alongside.scheduling import waitlist
from alongside.scheduling.models import Appointment

SWEEPER = SystemActor(username="system:scheduling", name="Scheduling sweep")


class Command(BaseCommand):
    help = "Expire waitlist offers past their time and lapse holds nobody confirmed."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        offers = waitlist.expire_offers(actor=SWEEPER, now=now)
        holds = Appointment.objects.filter(
            status=Appointment.Status.HELD, held_until__lte=now
        ).update(status=Appointment.Status.EXPIRED, updated_at=now)
        self.stdout.write(f"{offers} offers expired, {holds} holds lapsed")
