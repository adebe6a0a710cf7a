"""The follow-up triggers the hub itself contributes: they need only a person's
enrollments and when they were last contacted (`Person.last_contacted_at`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from alongside.people.contributions import FollowUpTrigger, Occurrence
from alongside.people.models import Enrollment

# A new enrollment counts as new for this long: configuring the rule later does not turn
# every enrollment of the past years into a task.
NEW_ENROLLMENT_WINDOW = dt.timedelta(days=30)
NO_CONTACT = "tasks.no_contact"
NEW_ENROLLMENT = "tasks.new_enrollment_not_contacted"


def _open_enrollments(program_ids: Iterable[int]) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        program_id__in=list(program_ids),
        status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.REFERRED],
        person__merged_into__isnull=True,
    )


def no_contact(program_ids: Iterable[int], days: int, now: dt.datetime) -> Iterator[Occurrence]:
    """People in an open enrollment not reached for `days` days (counted from their last
    contact, or from their enrollment if never). The occurrence is that stretch of
    silence: it is keyed by the last contact it follows, so a new contact that ends it
    starts the count afresh and, `days` later, a new occurrence."""
    cutoff = now - dt.timedelta(days=max(days, 1))
    rows = (
        _open_enrollments(program_ids)
        .annotate(last=Coalesce(F("person__last_contacted_at"), F("created_at")))
        .filter(last__lt=cutoff)
        .values_list("person_id", "person__last_contacted_at", "last")
        .order_by()
    )
    seen: set[int] = set()
    for person_id, contacted, last in rows.iterator(chunk_size=2000):
        if person_id in seen:
            continue
        seen.add(person_id)
        key = f"no-contact:{contacted.isoformat() if contacted else 'never'}"
        yield Occurrence(
            person_id=person_id,
            key=key,
            since=last + dt.timedelta(days=days),
            why=f"no contact for {days} days",
        )


def new_enrollment(program_ids: Iterable[int], days: int, now: dt.datetime) -> Iterator[Occurrence]:
    """Enrollments of the last 30 days whose person has not been contacted since."""
    rows = (
        _open_enrollments(program_ids)
        .filter(created_at__gte=now - NEW_ENROLLMENT_WINDOW)
        .exclude(person__last_contacted_at__gte=F("created_at"))
        .values_list("pk", "person_id", "created_at")
        .order_by()
    )
    for pk, person_id, created_at in rows.iterator(chunk_size=2000):
        yield Occurrence(
            person_id=person_id,
            key=f"enrollment:{pk}",
            since=created_at,
            why="new enrollment, not contacted yet",
        )


TRIGGERS = (
    FollowUpTrigger(
        key=NO_CONTACT,
        label="No contact of any kind with an active person for N days",
        occurrences=no_contact,
        takes_days=True,
    ),
    FollowUpTrigger(
        key=NEW_ENROLLMENT,
        label="New enrollment not contacted yet",
        occurrences=new_enrollment,
    ),
)
