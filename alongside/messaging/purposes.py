"""What messages are for, as the apps that send them define it: the extension point where
scheduling says "a reminder is still wanted only while its appointment stands" and "YES
or C to a reminder confirms the appointment". Registered in each app's ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from alongside.lib.registry import Registry

if TYPE_CHECKING:
    from alongside.messaging.models import OutboundMessage


@dataclass(frozen=True)
class Purpose:
    key: str  # "scheduling.reminder"
    label: str | Promise
    # At send time: why the message is no longer wanted ("the appointment was
    # cancelled"), or "" to send it. Checked again right before every send.
    still_wanted: Callable[[OutboundMessage], str] | None = None
    # A confirming reply ("C", "YES") to a message of this purpose: do what it means and
    # say what was done, for the person's timeline.
    on_confirm: Callable[[OutboundMessage], str] | None = None


purposes: Registry[Purpose] = Registry("message purpose")
