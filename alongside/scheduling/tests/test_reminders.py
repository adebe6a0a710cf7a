"""Reminders: due by the program's schedule, sent through send_to_person (so the
person's rules hold), never for a cancelled or moved appointment, a moved one reminded
at its new time, once per key however often the sweep runs."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import formats, translation

from alongside.messaging.models import OutboundMessage
from alongside.messaging.services import deliver
from alongside.messaging.tests.conftest import twilio  # noqa: F401 (a fixture)
from alongside.people import services as people_services
from alongside.people.contributions import worklist_reasons
from alongside.people.models import Person
from alongside.scheduling import reminders
from alongside.scheduling.models import Appointment, ReminderRule
from alongside.scheduling.tests.factories import raw_appointment

NY = zoneinfo.ZoneInfo("America/New_York")
START = dt.datetime(2026, 3, 5, 15, 0, tzinfo=NY)  # a Thursday afternoon


def textable(world, **rules):
    return people_services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "phone", "value": "(718) 555-0142", "may_text": True} | rules,
    )


def test_the_latest_due_reminder_goes_with_its_deadline(world):
    appointment = raw_appointment(world, START)
    three_days = START - dt.timedelta(hours=72)
    due = reminders.due_reminder(appointment, [72, 24], three_days)
    assert due is not None
    assert (due.hours, due.send_by) == (72, START - dt.timedelta(hours=24))
    booked_late = START - dt.timedelta(hours=20)
    due = reminders.due_reminder(appointment, [72, 24], booked_late)
    assert due is not None
    assert (due.hours, due.send_by) == (24, START - dt.timedelta(hours=1))
    assert reminders.due_reminder(appointment, [72, 24], START - dt.timedelta(hours=80)) is None


def test_a_program_sets_its_own_schedule_or_none(world, settings):
    settings.SCHEDULING_DEFAULT_REMINDER_HOURS = [72, 24]
    ReminderRule.objects.create(program=world.housing, hours_before=48)
    ReminderRule.objects.create(program=world.wellness, hours_before=24, is_active=False)
    hours = reminders.hours_by_program(
        [world.housing.pk, world.wellness.pk, world.other_program.pk]
    )
    assert hours == {
        world.housing.pk: [48],
        world.wellness.pk: [],
        world.other_program.pk: [72, 24],
    }


def test_the_sweep_sends_each_reminder_once(world, twilio):  # noqa: F811
    textable(world)
    appointment = raw_appointment(world, START)
    at = START - dt.timedelta(hours=24)
    first = reminders.sweep_reminders(at)
    again = reminders.sweep_reminders(at + dt.timedelta(minutes=10))
    assert (first.asked, again.asked) == (1, 0)
    message = OutboundMessage.objects.get()
    assert message.source_key == f"reminder:{appointment.pk}:24h:{int(START.timestamp())}"
    assert deliver(message.pk, at) == "sent"
    assert deliver(message.pk, at) == "sent"  # a retried task
    assert len(twilio.requests) == 1
    body = twilio.requests[0].form["Body"]
    assert body.startswith("Hi Lupe, this is a reminder of your appointment on Thursday")
    assert "/r/" in body and "Reply C to confirm" in body


def test_a_cancelled_appointment_is_never_reminded(world, twilio):  # noqa: F811
    textable(world)
    appointment = raw_appointment(world, START)
    at = START - dt.timedelta(hours=24)
    reminders.sweep_reminders(at)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)
    message = OutboundMessage.objects.get()
    assert deliver(message.pk, at) == "blocked"  # queued before the cancellation
    message.refresh_from_db()
    assert message.reason == "the appointment is cancelled"
    assert reminders.sweep_reminders(at).asked == 0
    assert twilio.requests == []


def test_a_moved_appointment_is_reminded_at_its_new_time_only(world, twilio):  # noqa: F811
    textable(world)
    appointment = raw_appointment(world, START)
    at = START - dt.timedelta(hours=24)
    reminders.sweep_reminders(at)
    old = OutboundMessage.objects.get()
    later = START + dt.timedelta(hours=2)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=later,
        ends_at=later + dt.timedelta(hours=1),
        blocks_from=later,
        blocks_until=later + dt.timedelta(hours=1),
    )
    assert deliver(old.pk, at) == "blocked"
    assert reminders.sweep_reminders(at).asked == 1
    new = OutboundMessage.objects.exclude(pk=old.pk).get()
    assert new.source_key.endswith(f":72h:{int(later.timestamp())}")  # 26 hours ahead now
    assert deliver(new.pk, at) == "sent"
    assert "Thursday 5 Mar 2026 at 5:00 PM" in twilio.requests[0].form["Body"]
    assert len(twilio.requests) == 1


def test_a_reminder_that_cannot_go_safely_is_on_the_worklist(world):
    textable(world, may_text=False, text_reason="Partner reads her texts")
    raw_appointment(world, START)
    at = START - dt.timedelta(hours=24)
    outcome = reminders.sweep_reminders(at)
    assert (outcome.asked, outcome.blocked) == (1, 1)
    reason = worklist_reasons.get(reminders.BLOCKED_REASON)
    assert reason is not None
    [item] = reason.find(world.coordinator, Person.objects.all(), at)
    assert item.text == (
        "Reminder could not be sent safely: text message to (718) 555-0142: "
        "no texts: Partner reads her texts"
    )


def test_a_late_night_reminder_waits_for_the_morning(world, twilio):  # noqa: F811
    textable(world)
    morning_start = dt.datetime(2026, 3, 5, 10, 0, tzinfo=NY)
    raw_appointment(world, morning_start)
    at = dt.datetime(2026, 3, 4, 10, 0, tzinfo=NY) - dt.timedelta(hours=13)  # 21:00 the day before
    reminders.sweep_reminders(at)
    message = OutboundMessage.objects.get()
    assert message.status == "queued"
    assert message.send_after == dt.datetime(2026, 3, 4, 8, 0, tzinfo=NY)


@pytest.mark.parametrize("language", ["es"])
def test_a_reminder_is_in_the_persons_language(world, twilio, language):  # noqa: F811
    textable(world)
    people_services.language_add(
        actor=world.coordinator,
        person=world.person,
        data={"language": language, "is_preferred": True},
    )
    raw_appointment(world, START)
    reminders.sweep_reminders(START - dt.timedelta(hours=24))
    message = OutboundMessage.objects.get()
    assert message.language == "es"
    assert message.body.startswith(
        "Hola Lupe, le recordamos su cita del jueves 5 mar 2026 a las 15:00"
    )
    assert "Responda C para confirmar" in message.body


def test_people_in_two_zones_at_one_instant_each_read_their_own_time(world):
    """By phone the time is the person's own: the same instant in London and New York
    is worded 20:00 and 15:00, whichever is worded first (the wording is cached)."""
    appointment = raw_appointment(world, START)
    appointment.modality = "phone"
    london = Person(organization=world.org, legal_given_name="Lena", time_zone="Europe/London")
    new_york = Person(organization=world.org, legal_given_name="Nia", time_zone=NY.key)
    with translation.override("en"):
        first = reminders.render_reminder(appointment, london).body
        second = reminders.render_reminder(appointment, new_york).body
        ny_time = reminders.when_words(appointment, new_york)[1]
        at = {
            zone: formats.time_format(START.astimezone(zoneinfo.ZoneInfo(zone)), "TIME_FORMAT")
            for zone in ("Europe/London", NY.key)
        }
    assert at["Europe/London"] != at[NY.key]
    assert f"at {at['Europe/London']} " in first
    assert f"at {at[NY.key]} " in second and ny_time == at[NY.key]
