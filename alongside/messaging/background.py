"""Sending runs on the background worker (the Django Tasks API, alongside/tasks)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from alongside.messaging import services


@task()
def deliver_message(message_id: int) -> str:
    """Send one queued message; a retry of this task never sends twice."""
    return services.deliver(message_id)


@task()
def deliver_due_messages() -> int:
    """Send the queued messages whose time has come (a window opened overnight)."""
    ids = services.due_message_ids(timezone.now())
    for message_id in ids:
        services.deliver(message_id)
    return len(ids)
