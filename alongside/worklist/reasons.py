"""The worklist reasons the foundation alone can tell: a person not yet contacted, and a
person not contacted for longer than the program's rule. Other apps contribute their own
(intake: open urgent flags; the hub's tasks: tasks due). Each `find` is one query
however large the caseload (people/contributions.py, WorklistReason). Their items carry
no link: the person's name on the row already leads to their page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.accounts.models import User
from alongside.people.contributions import WorklistItem
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


def not_yet_contacted(
    viewer: User, caseload: QuerySet[Person], now: dt.datetime
) -> list[WorklistItem]:
    """People with a referred or active enrollment whom nobody has reached yet, due from
    the start of their earliest such enrollment (referral, start, or when recorded)."""
    rows = Enrollment.objects.filter(
        person__in=caseload, status__in=STARTED, person__last_contacted_at__isnull=True
    ).values_list("person_id", "started_on", "referred_on", "created_at")
    since: dict[int, dt.datetime] = {}
    for person_id, started_on, referred_on, created_at in rows:
        day = referred_on or started_on
        start = _at_start_of(day) if day else created_at
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


def no_recent_contact(
    viewer: User, caseload: QuerySet[Person], now: dt.datetime
) -> list[WorklistItem]:
    """People with an active enrollment last contacted more than `no_contact_days()` ago,
    due the day the rule's time ran out. (Never contacted is `not_yet_contacted`.)"""
    limit = no_contact_days()
    cutoff = now - dt.timedelta(days=limit)
    rows = (
        caseload.filter(last_contacted_at__lt=cutoff)
        .filter(enrollments__status=Enrollment.Status.ACTIVE)
        .values_list("pk", "last_contacted_at")
        .distinct()
    )
    items = []
    for person_id, last in rows:
        assert last is not None  # filtered on above
        days = _days(last, now)
        items.append(
            WorklistItem(
                person_id=person_id,
                reason=NO_RECENT_CONTACT,
                text=ngettext("no contact for %(days)d day", "no contact for %(days)d days", days)
                % {"days": days},
                due_at=last + dt.timedelta(days=limit),
                # A snooze is of this stretch without contact; the next one is new.
                key=f"since:{timezone.localdate(last).isoformat()}",
            )
        )
    return items
