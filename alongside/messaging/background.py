"""Sending runs on the background worker (the Django Tasks API, alongside/tasks)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from alongside.messaging import services


@task()
def deliver_messages(message_ids: list[int]) -> dict[str, int]:
    """Send queued messages, each once: a retry of this task never sends one twice."""
    outcome: dict[str, int] = {}
    for message_id in message_ids:
        status = services.deliver(message_id)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


@task()
def deliver_due_messages() -> int:
    """Send the queued messages whose time has come (a window opened overnight)."""
    ids = services.due_message_ids(timezone.now())
    for message_id in ids:
        services.deliver(message_id)
    return len(ids)
