"""Scheduling's sweeps as background work, enqueued with each sweep slot by the worker
(settings.PERIODIC_TASKS), once per slot however many workers run: reminders, and waitlist
offers and holds past their time."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from alongside.lib.actors import SystemActor
from alongside.scheduling import waitlist
from alongside.scheduling.models import Appointment
from alongside.scheduling.reminders import sweep_reminders

SWEEPER = SystemActor(username="system:scheduling", name="Scheduling sweep")


@task()
def sweep_appointment_reminders() -> dict[str, int]:
    outcome = sweep_reminders()
    return {"considered": outcome.considered, "asked": outcome.asked, "blocked": outcome.blocked}


@task()
def expire_offers_and_holds() -> dict[str, int]:
    """Close waitlist offers past their time (offering each slot to the next person in
    line) and mark holds nobody confirmed as lapsed."""
    now = timezone.now()
    offers = waitlist.expire_offers(actor=SWEEPER, now=now)
    holds = Appointment.objects.filter(status=Appointment.Status.HELD, held_until__lte=now).update(
        status=Appointment.Status.EXPIRED, updated_at=now
    )
    return {"offers": offers, "holds": holds}
