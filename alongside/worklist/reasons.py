"""The worklist reasons the foundation alone can tell: a person not yet contacted, and a
person not contacted for longer than the program's rule. Other apps contribute their own
(intake: open urgent flags; the hub's tasks: tasks due). Each reason's `rows` is
one query however large the caseload, read with the others in one statement
(people/contributions.py, WorklistReason). Their items carry
no link: the person's name on the row already leads to their page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.accounts.models import User
from alongside.people.contributions import WorklistItem, WorklistRow
from alongside.people.models import Enrollment, Person

NOT_YET_CONTACTED = "worklist.not_yet_contacted"
NO_RECENT_CONTACT = "worklist.no_recent_contact"
STARTED = (Enrollment.Status.REFERRED, Enrollment.Status.ACTIVE)


def no_contact_days() -> int:
    return max(1, int(settings.WORKLIST_NO_CONTACT_DAYS))


def _at_start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _days(since: dt.datetime, now: dt.datetime) -> int:
    return (timezone.localdate(now) - timezone.localdate(since)).days


def new_people(viewer: User, caseload: QuerySet[Person], now: dt.datetime) -> QuerySet[Any]:
    """People with a referred or active enrollment whom nobody has reached yet: each
    such enrollment's dates."""
    return Enrollment.objects.filter(
        person__in=caseload, status__in=STARTED, person__last_contacted_at__isnull=True
    ).values("person_id", "started_on", "referred_on", "created_at")


def not_yet_contacted(
    viewer: User, rows: list[WorklistRow], now: dt.datetime
) -> list[WorklistItem]:
    """Due from the start of the person's earliest such enrollment (referral, start, or
    when recorded)."""
    since: dict[int, dt.datetime] = {}
    for row in rows:
        day = row["referred_on"] or row["started_on"]
        start = _at_start_of(day) if day else row["created_at"]
        person_id = row["person_id"]
        since[person_id] = min(start, since.get(person_id, start))
    limit = no_contact_days()
    items = []
    for person_id, start in since.items():
        days = _days(start, now)
        if days > limit:
            text = ngettext(
                "not yet contacted, enrolled %(days)d day ago",
                "not yet contacted, enrolled %(days)d days ago",
                days,
            ) % {"days": days}
        else:
            text = _("new, not yet contacted")
        items.append(
            WorklistItem(
                person_id=person_id,
                reason=NOT_YET_CONTACTED,
                text=text,
                due_at=start,
                key="new",
            )
        )
    return items


def out_of_touch(viewer: User, caseload: QuerySet[Person], now: dt.datetime) -> QuerySet[Any]:
    """People with an active enrollment last contacted more than `no_contact_days()`
    ago. (Never contacted is `not_yet_contacted`.)"""
    cutoff = now - dt.timedelta(days=no_contact_days())
    active = Enrollment.objects.filter(person_id=OuterRef("pk"), status=Enrollment.Status.ACTIVE)
    return (
        caseload.filter(last_contacted_at__lt=cutoff)
        .filter(Exists(active))
        .values("pk", "last_contacted_at")
    )


def no_recent_contact(
    viewer: User, rows: list[WorklistRow], now: dt.datetime
) -> list[WorklistItem]:
    """Due the day the rule's time ran out."""
    limit = no_contact_days()
    items = []
    for row in rows:
        last = row["last_contacted_at"]
        days = _days(last, now)
        items.append(
            WorklistItem(
                person_id=row["pk"],
                reason=NO_RECENT_CONTACT,
                text=ngettext("no contact for %(days)d day", "no contact for %(days)d days", days)
                % {"days": days},
                due_at=last + dt.timedelta(days=limit),
                # A snooze is of this stretch without contact; the next one is new.
                key=f"since:{timezone.localdate(last).isoformat()}",
            )
        )
    return items
