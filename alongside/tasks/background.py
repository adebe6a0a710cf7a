"""The hub's background work, on the Django Tasks API: whatever backend settings.TASKS
names (the database queue run by `alongside worker` by default, RQ by configuration)."""

from __future__ import annotations

import datetime as dt
import logging
import socket
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from alongside.tasks import rules
from alongside.tasks.models import SweepRun

logger = logging.getLogger(__name__)
KEEP_SWEEPS = dt.timedelta(days=7)


@task()
def sweep_follow_up_rules() -> dict[str, int]:
    """Every rule over everyone: the conditions that arise with time passing."""
    now = timezone.now()
    outcome = rules.evaluate_rules(now)
    # A slot's row only matters while its slot can still start: keep a week, for looking.
    SweepRun.objects.filter(slot__lt=now - KEEP_SWEEPS).delete()
    logger.info("Follow-up sweep: %s tasks created, %s closed", outcome.created, outcome.closed)
    return {"created": outcome.created, "closed": outcome.closed}


@task()
def evaluate_person_rules(person_id: int) -> dict[str, int]:
    """The rules of one person's programs, after something about them happened."""
    outcome = rules.evaluate_for_person(person_id, timezone.now())
    return {"created": outcome.created, "closed": outcome.closed}


def evaluate_person_later(person_id: int) -> None:
    """Enqueue `evaluate_person_rules` once the caller's transaction commits (a service
    that raises a flag or records a contact calls this)."""
    transaction.on_commit(lambda: evaluate_person_rules.enqueue(person_id))


def slot_for(now: dt.datetime, minutes: int | None = None) -> dt.datetime:
    """The start of the sweep slot `now` falls in (every `minutes` from midnight UTC)."""
    minutes = minutes or settings.FOLLOW_UP_SWEEP_MINUTES
    now = now.astimezone(dt.UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    passed = int((now - midnight).total_seconds() // (minutes * 60))
    return midnight + dt.timedelta(minutes=passed * minutes)


def enqueue_sweep(
    now: dt.datetime | None = None, worker: str = "", minutes: int | None = None
) -> Any:
    """Enqueue this slot's sweep, unless another worker already has. The slot's unique
    key decides which: the second insert fails, with nothing checked beforehand."""
    slot = slot_for(now or timezone.now(), minutes)
    try:
        with transaction.atomic():
            SweepRun.objects.create(
                slot=slot, enqueued_at=timezone.now(), worker=worker or socket.gethostname()
            )
            for path in settings.PERIODIC_TASKS:  # other apps' sweeps, in the same slot
                import_string(path).enqueue()
            return sweep_follow_up_rules.enqueue()
    except IntegrityError:
        return None
