"""The person's answer to a waitlist offer: accept or decline, by the signed link in the
offer's message (no account needed), as a reminder's reply link.

A link names the offer; it opens while the offer is open and has not expired (and never
after SCHEDULING_OFFER_HOURS), so a used, expired or forged link opens nothing. Answers
are recorded with the person as the actor, like a reminder's reply."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alongside.scheduling.common import SlotTaken
from alongside.scheduling.models import Offer
from alongside.scheduling.reply_links import PERSON, LinkUnavailable

SALT = "alongside.scheduling.offer"


def make_token(offer: Offer) -> str:
    return signing.dumps({"o": offer.pk}, salt=SALT, compress=True)


def link(offer: Offer) -> str:
    """The offer's page, as an absolute address for a message."""
    path = reverse("scheduling-reply:offer", args=[make_token(offer)])
    return settings.SITE_URL.rstrip("/") + path


def open_token(token: str, now: dt.datetime | None = None) -> Offer:
    """The offer a link is about, while it is open and has not expired."""
    now = now or timezone.now()
    max_age = dt.timedelta(hours=settings.SCHEDULING_OFFER_HOURS)
    try:
        offer_id = int(signing.loads(token[:500], salt=SALT, max_age=max_age)["o"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        raise LinkUnavailable from None
    offer = (
        Offer.objects.select_related(
            "entry__person__organization", "hold__location", "hold__appointment_type"
        )
        .prefetch_related("entry__person__languages")
        .filter(pk=offer_id, entry__person__merged_into__isnull=True)
        .first()
    )
    if offer is None or offer.status != Offer.Status.OPEN or offer.expires_at <= now:
        raise LinkUnavailable
    return offer


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What came of the person's answer: `done` is "accepted", "declined" or "gone" (the
    offer closed or the slot was taken meanwhile: nothing was written)."""

    done: str


def answer(*, offer: Offer, accept: bool, now: dt.datetime | None = None) -> Outcome:
    from alongside.scheduling import waitlist  # which tells offers with these links

    now = now or timezone.now()
    try:
        if accept:
            waitlist.accept_from_link(actor=PERSON, offer=offer, now=now)
            return Outcome("accepted")
        waitlist.decline_from_link(actor=PERSON, offer=offer, now=now)
        return Outcome("declined")
    except (SlotTaken, ValidationError):
        return Outcome("gone")
