"""Intake's follow-up trigger: an urgent screening flag, for the rule "after an urgent
screening flag, contact the same day". The hub (`alongside.tasks`) evaluates it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from alongside.intake.selectors import urgent_flags_of
from alongside.people.contributions import FollowUpTrigger, Occurrence, follow_up_triggers
from alongside.people.models import Enrollment

URGENT_FLAG = "intake.urgent_flag"
# Flags older than this are past any same-day follow-up: a rule configured today does
# not turn last year's flags into tasks.
RECENT = dt.timedelta(days=7)


def urgent_flags(program_ids: Iterable[int], days: int, now: dt.datetime) -> Iterator[Occurrence]:
    """Recent urgent flags of people in an open enrollment in the programs. The reason
    itself (which may be about self-harm) stays on the flag: the task says only that a
    screening result was urgent, and only to the care team (`sensitive`)."""
    enrolled = Enrollment.objects.filter(
        program_id__in=list(program_ids),
        status__in=Enrollment.OPEN_STATUSES,
        person__merged_into__isnull=True,
    ).values("person_id")
    flags = urgent_flags_of(enrolled, raised_since=now - RECENT).values_list(
        "pk", "person_id", "raised_at"
    )
    for pk, person_id, raised_at in flags.order_by().iterator(chunk_size=2000):
        yield Occurrence(
            person_id=person_id,
            key=f"flag:{pk}",
            since=raised_at,
            why="urgent screening result",
            sensitive=True,
        )


def register() -> None:
    follow_up_triggers.register(
        FollowUpTrigger(
            key=URGENT_FLAG,
            label="An urgent screening result",
            occurrences=urgent_flags,
        )
    )
