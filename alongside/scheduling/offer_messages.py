"""Telling a waiting person about a freed slot offered to them: one message per offer,
through `messaging.send_to_person` (their preferred way, in their language, never where
their safe-contact rules forbid, waiting for their window until the offer expires).

The wording is the reminders' neutral wording: no program, no service and no kind of
appointment, whether or not the kind is sensitive (a text can be read by someone else);
the day, time and way to meet only. The message carries a signed link to a page where
the person accepts or declines (offer_links); their coordinator can still do it for them
on the person's scheduling page."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.accounts.actors import Actor
from alongside.messaging.models import OutboundMessage
from alongside.messaging.purposes import Purpose, purposes
from alongside.messaging.services import Draft, send_to_person
from alongside.scheduling import offer_links
from alongside.scheduling.models import Offer
from alongside.scheduling.reminders import appointment_zone, how_words, when_words

PURPOSE = "scheduling.waitlist_offer"


def source_key(offer: Offer) -> str:
    return f"offer:{offer.pk}"


def render_offer(offer: Offer) -> Draft:
    """The message, in the active language (send_to_person sets the person's)."""
    hold, person = offer.hold, offer.entry.person
    day, time = when_words(hold, person)
    until = formats.date_format(
        timezone.localtime(offer.expires_at, appointment_zone(hold, person)),
        "SHORT_DATETIME_FORMAT",
    )
    body = _(
        "Hi %(name)s, an earlier appointment is free on %(day)s at %(time)s (%(how)s). "
        "It is kept for you until %(until)s. To take it or say no: %(link)s"
    ) % {
        "name": person.first_name,
        "day": day,
        "time": time,
        "how": how_words(hold),
        "until": until,
        "link": offer_links.link(offer),
    }
    return Draft(body=body, subject=_("An earlier appointment is free"))


def still_wanted(message: OutboundMessage) -> str:
    """At send time: "" while the offer is open and has not expired."""
    _kind, _sep, pk = message.source_key.partition(":")
    offer = Offer.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if offer is None or offer.status != Offer.Status.OPEN:
        return "the offer is no longer open"
    if offer.expires_at <= timezone.now():
        return "the offer expired"
    return ""


def tell(*, actor: Actor, offer: Offer) -> OutboundMessage:
    """Ask for the offer's message (once per offer), sent by the time it expires or not
    at all."""
    return send_to_person(
        actor=actor,
        person=offer.entry.person,
        purpose=PURPOSE,
        source_key=source_key(offer),
        render=lambda: render_offer(offer),
        send_by=offer.expires_at,
    )


def register() -> None:
    """Called from SchedulingConfig.ready()."""
    purposes.register(
        Purpose(key=PURPOSE, label=gettext_lazy("Waitlist offer"), still_wanted=still_wanted)
    )
