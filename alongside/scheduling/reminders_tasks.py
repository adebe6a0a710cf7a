"""The reminder sweep as background work: enqueued with each sweep slot by the worker
(settings.PERIODIC_TASKS), once per slot however many workers run."""

from __future__ import annotations

from django_tasks import task

from alongside.scheduling.reminders import sweep_reminders


@task()
def sweep_appointment_reminders() -> dict[str, int]:
    outcome = sweep_reminders()
    return {"considered": outcome.considered, "asked": outcome.asked, "blocked": outcome.blocked}
