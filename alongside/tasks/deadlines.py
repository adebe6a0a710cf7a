"""When a follow-up rule's task is due: the same day, within hours, or within business
days that skip weekends and the organization's public holidays, in its time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

import holidays

from alongside.organizations.models import Organization

# A task due "today" or on a business day is due by the end of that day, local time.
END_OF_DAY = dt.time(23, 59)


def zone(organization: Organization) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(organization.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@lru_cache(maxsize=64)
def _calendar(country: str, subdivision: str, year: int) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:
        # A country the library does not know: weekends only, rather than no deadline.
        return holidays.HolidayBase()


def is_business_day(organization: Organization, day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    return day not in _calendar(organization.country, organization.subdivision, day.year)


def add_business_days(organization: Organization, start: dt.date, days: int) -> dt.date:
    """The `days`-th business day after `start` (a Friday plus one is the Monday, unless
    that Monday is a public holiday)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_business_day(organization, day):
            counted += 1
    return day


def end_of_local_day(organization: Organization, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=zone(organization))


def due_at(
    organization: Organization, since: dt.datetime, deadline: str, amount: int
) -> dt.datetime:
    """The due time of a task whose occurrence arose at `since` (aware), for a rule's
    deadline ("same_day", "hours", "business_days") and its amount."""
    local = since.astimezone(zone(organization))
    if deadline == "hours":
        return since + dt.timedelta(hours=amount)
    if deadline == "business_days":
        return end_of_local_day(organization, add_business_days(organization, local.date(), amount))
    return end_of_local_day(organization, local.date())
