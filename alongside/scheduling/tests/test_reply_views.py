"""The person's answers from a reminder: a signed link that expires, without an account,
in the person's language; and C/YES to the text."""

import datetime as dt

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from alongside.messaging import inbound
from alongside.messaging.services import deliver
from alongside.messaging.tests.conftest import twilio  # noqa: F401 (a fixture)
from alongside.people import services as people_services
from alongside.people.models import TimelineEntry
from alongside.scheduling import reminders, reply_links
from alongside.scheduling.models import Appointment, ReminderReply
from alongside.scheduling.tests.factories import raw_appointment
from alongside.scheduling.tests.test_reminders import textable


def soon(world, **extra):
    start = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    return raw_appointment(world, start, **extra)


def link(appointment):
    return reverse("scheduling-reply:page", args=[reply_links.make_token(appointment)])


def test_the_person_confirms_without_an_account(client, world):
    appointment = soon(world)
    page = client.get(link(appointment))
    assert page.status_code == 200
    assert "Your appointment" in page.content.decode()
    assert "Lupe" not in page.content.decode()  # a link can be seen by someone else
    done = client.post(link(appointment), {"answer": "confirm"})
    assert "your appointment is confirmed" in done.content.decode()
    reply = ReminderReply.objects.get()
    assert (reply.answer, reply.via, reply.starts_at) == ("confirm", "link", appointment.starts_at)
    kinds = TimelineEntry.objects.values_list("kind", flat=True)
    assert "scheduling.reminder_confirm" in kinds


def test_the_person_cancels_and_the_link_then_opens_nothing(client, world):
    appointment = soon(world)
    client.post(link(appointment), {"answer": "cancel"})
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert client.get(link(appointment)).status_code == 404


def test_asking_for_another_time_reaches_the_coordinators_worklist(client, world):
    from alongside.people.contributions import worklist_reasons
    from alongside.people.models import Person

    appointment = soon(world)
    client.post(link(appointment), {"answer": "reschedule", "note": "Mornings are better"})
    reason = worklist_reasons.get(reply_links.RESCHEDULE_REASON)
    assert reason is not None
    [item] = reason.find(world.coordinator, Person.objects.all(), timezone.now())
    assert item.text == "Asked for another appointment time: Mornings are better"


def test_the_pages_are_in_the_persons_language(client, world):
    people_services.language_add(
        actor=world.coordinator, person=world.person, data={"language": "es", "is_preferred": True}
    )
    appointment = soon(world)
    page = client.get(link(appointment)).content.decode()
    assert '<html lang="es">' in page
    assert "<h1>Su cita</h1>" in page and "Sí, allí estaré" in page
    done = client.post(link(appointment), {"answer": "confirm"}).content.decode()
    assert "Gracias: su cita está confirmada" in done


def test_a_forged_expired_or_outdated_link_opens_nothing(client, world, settings):
    appointment = soon(world)
    token = reply_links.make_token(appointment)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("scheduling-reply:page", args=[forged])).status_code == 404
    assert client.get(reverse("scheduling-reply:page", args=["x" * 900])).status_code == 404
    settings.SCHEDULING_REPLY_LINK_DAYS = 0
    expired = client.get(reverse("scheduling-reply:page", args=[token]))
    assert expired.status_code == 404 and "Lupe" not in expired.content.decode()
    settings.SCHEDULING_REPLY_LINK_DAYS = 14
    moved = appointment.starts_at + dt.timedelta(hours=1)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=moved,
        ends_at=moved + dt.timedelta(hours=1),
        blocks_from=moved,
        blocks_until=moved + dt.timedelta(hours=1),
    )
    assert client.get(reverse("scheduling-reply:page", args=[token])).status_code == 404


def test_an_unknown_answer_is_refused_on_the_page(client, world):
    appointment = soon(world)
    response = client.post(link(appointment), {"answer": "delete everything"})
    assert response.status_code == 422
    assert not ReminderReply.objects.exists()


def test_a_token_for_another_purpose_opens_nothing(client, world):
    appointment = soon(world)
    other = signing.dumps({"a": appointment.pk, "s": "x"}, salt="something else")
    assert client.get(reverse("scheduling-reply:page", args=[other])).status_code == 404


def test_replying_yes_to_a_reminder_confirms_the_appointment(world, twilio):  # noqa: F811
    textable(world)
    appointment = soon(world)
    now = appointment.starts_at - dt.timedelta(hours=24)
    now = now.replace(hour=17)  # inside the day, whatever the zone
    reminders.sweep_reminders(now)
    from alongside.messaging.models import OutboundMessage

    message = OutboundMessage.objects.get()
    assert deliver(message.pk, now) == "sent"
    meaning = inbound.receive_text(
        provider_id="SMreply", from_number="+17185550142", to_number="", body="C"
    )
    assert meaning == "confirm"
    assert ReminderReply.objects.get().via == "text"
