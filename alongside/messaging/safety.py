"""What stands between a message and a person: the one place that decides whether a
channel may be used on a contact point at a moment, by the person's safe-contact rules.

An obstacle is either lasting (the channel is not allowed, the number said STOP) or a
matter of time (outside the person's windows or everyone's quiet hours), in which case it
says when the way opens."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from alongside.people.models import ContactPoint, within

STEP = dt.timedelta(minutes=15)
LOOK_AHEAD = dt.timedelta(days=8)


@dataclass(frozen=True)
class Obstacle:
    reason: str
    opens_at: dt.datetime | None = None  # when only time stands in the way


def quiet_hours() -> tuple[dt.time, dt.time]:
    start, end = settings.MESSAGING_QUIET_HOURS.split("-")
    return dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())


def in_quiet_hours(local: dt.time) -> bool:
    start, end = quiet_hours()
    return start != end and within(start, end, local) and local != end


def lasting_obstacle(contact: ContactPoint, channel: str, *, opted_out: bool) -> str:
    """Why the channel may never be used on this contact point as things stand ("" if it
    may)."""
    if not contact.channel_applies(channel):
        return _("a %(kind)s cannot take %(channel)s") % {
            "kind": contact.get_kind_display().lower(),
            "channel": channel,
        }
    if not contact.allows(channel):
        why = getattr(contact, f"{channel}_reason", "")
        names = {"text": _("no texts"), "email": _("no emails"), "voice": _("no calls")}
        said = names.get(channel, _("not allowed"))
        return f"{said}: {why}" if why else str(said)
    if channel == "text" and opted_out:
        return _("the person replied STOP to texts")
    return ""


def _time_reason(contact: ContactPoint, channel: str, local: dt.time) -> str:
    if not contact.is_within_safe_hours(local):
        return _("outside the person's safe hours")
    start, end = contact.window(channel)
    if not within(start, end, local):
        return _("outside the hours the person allows for this channel")
    if in_quiet_hours(local):
        return _("quiet hours overnight")
    return ""


def obstacle(
    contact: ContactPoint,
    channel: str,
    at: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    *,
    opted_out: bool,
) -> Obstacle | None:
    """None when the message may go now; otherwise why not, and when it could."""
    lasting = lasting_obstacle(contact, channel, opted_out=opted_out)
    if lasting:
        return Obstacle(lasting)
    now_reason = _time_reason(contact, channel, at.astimezone(zone).time())
    if not now_reason:
        return None
    # The first quarter hour ahead when every window is open (none may never open).
    moment = at - dt.timedelta(
        minutes=at.minute % 15, seconds=at.second, microseconds=at.microsecond
    )
    end = at + LOOK_AHEAD
    while moment < end:
        moment += STEP
        if not _time_reason(contact, channel, moment.astimezone(zone).time()):
            return Obstacle(now_reason, opens_at=moment)
    return Obstacle(_("the person's windows never open"))
