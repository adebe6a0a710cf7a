"""Appointments as iCalendar (RFC 5545), built with the `icalendar` library.

A feed is an explicit mapping from `FeedEvent`s, which the selectors in
`scheduling.feeds` make already redacted for the feed's reader: nothing here decides
what anyone may see. Every calendar carries PRODID and VERSION, every event UID, DTSTAMP,
DTSTART and DTEND in the event's own time zone, and every time zone used is defined by a
VTIMEZONE covering the events' dates, so clients never guess an offset (a daylight-saving
change moves nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from icalendar import Calendar, Event

PRODID = "-//Alongside//Scheduling//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class FeedEvent:
    """One appointment as a reader of a feed may see it."""

    uid: str
    start: dt.datetime  # aware, in the zone the event is shown in
    end: dt.datetime
    summary: str
    stamp: dt.datetime  # when the appointment last changed (DTSTAMP)
    sequence: int = 0
    status: str = "CONFIRMED"  # TENTATIVE, CONFIRMED or CANCELLED
    location: str = ""
    description: str = ""
    url: str = ""
    busy: bool = True


def uid_for(kind: str, pk: int) -> str:
    """A UID that stays the same for the life of the appointment, whatever changes."""
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "alongside"
    return f"{kind}-{pk}@{host}"


def _event(item: FeedEvent) -> Event:
    event = Event.new(
        uid=item.uid,
        start=item.start,
        end=item.end,
        summary=item.summary,
        stamp=item.stamp.astimezone(dt.UTC),
    )
    event.add("sequence", item.sequence)
    event.add("status", item.status)
    event.add("transp", "OPAQUE" if item.busy else "TRANSPARENT")
    event.add("class", "PRIVATE")
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    return event


def calendar(events: Iterable[FeedEvent], *, name: str, uid: str | None = None) -> bytes:
    """A VCALENDAR of `events`, with a VTIMEZONE for each zone they use."""
    items = list(events)
    cal = Calendar.new(prodid=PRODID, name=name, uid=uid)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for item in items:
        cal.add_component(_event(item))
    if items:
        first = min(i.start for i in items).date() - dt.timedelta(days=366)
        last = max(i.end for i in items).date() + dt.timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return bytes(cal.to_ical())
