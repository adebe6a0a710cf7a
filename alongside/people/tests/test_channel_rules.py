"""Safe-contact rules per channel, precise enough for machines, and their migration."""

import datetime as dt
import importlib
import zoneinfo

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from alongside.people import services
from alongside.people.contact_rules import warnings
from alongside.people.models import ContactPoint
from alongside.people.registration import Reach, registration_details

PHONE = {"kind": "phone", "value": "(718) 555-0142"}
migration = importlib.import_module(
    "alongside.people.migrations.0011_contact_rules_from_safety_notes"
)


def test_a_new_phone_may_be_called_but_not_texted_voicemailed_or_emailed(world):
    phone = services.contact_point_create(actor=world.coordinator, person=world.person, data=PHONE)
    assert phone.allows("voice")
    assert not phone.allows("text") and not phone.allows("voicemail")
    assert not phone.allows("email")  # not a channel a phone carries


def test_registration_starts_safe(world):
    contacts, _ = registration_details(Reach(phone="212 555 0187", email="lupe@example.org"))
    phone, email = contacts
    assert not phone.may_text and not phone.may_leave_voicemail
    assert not email.may_email


def test_a_channel_window_reads_local_times_and_may_cross_midnight(world):
    phone = ContactPoint(kind="phone", may_text=True, text_from=dt.time(18), text_until=dt.time(8))
    assert phone.window("text") == (dt.time(18), dt.time(8))
    assert ContactPoint.is_within_safe_hours(phone, dt.time(12))  # no safe hours: any time


def test_it_refuses_half_a_window(world):
    with pytest.raises(ValidationError, match="start and the end of the window") as error:
        services.contact_point_create(
            actor=world.coordinator,
            person=world.person,
            data=PHONE | {"may_text": True, "text_from": dt.time(18)},
        )
    assert "text_until" in error.value.message_dict


def test_it_refuses_emails_where_the_note_says_shared_account(world):
    with pytest.raises(ValidationError, match="(?i)shared account") as error:
        services.contact_point_create(
            actor=world.coordinator,
            person=world.person,
            data={
                "kind": "email",
                "value": "family@example.org",
                "may_email": True,
                "safety_note": "Shared account with her partner.",
            },
        )
    assert error.value.error_dict["may_email"][0].code == "contradicts_safety_note"


@pytest.mark.parametrize(
    ("label", "note", "flagged"),
    [
        ("work", "Do not call at work.", True),
        ("mobile", "Do not call at work.", False),
        ("mobile", "Do not call.", True),
        ("mobile", "Do not call after 8 pm.", False),
        ("mobile", "", False),
    ],
)
def test_it_flags_calls_allowed_where_the_note_says_not_to_call(label, note, flagged):
    phone = ContactPoint(kind="phone", label=label, safety_note=note, may_call=True)
    found = [w for w in warnings(phone) if "calls are allowed" in w]
    assert bool(found) is flagged


def test_a_time_limit_said_only_in_words_asks_for_the_window():
    phone = ContactPoint(kind="phone", may_call=True, safety_note="Do not call after 8 pm.")
    assert "Set the window" in warnings(phone)[0]


def test_it_flags_times_said_only_in_words():
    phone = ContactPoint(kind="phone", may_call=False, never_contact_times="Evenings")
    assert "only a note" in warnings(phone)[0]
    phone.safe_hours_start, phone.safe_hours_end = dt.time(9), dt.time(17)
    assert warnings(phone) == []


def test_the_form_saves_and_shows_the_warning_on_the_form(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("people:contact-add", args=[world.person.pk]),
        PHONE | {"label": "work", "may_call": "on", "safety_note": "Do not call at work."},
        follow=True,
    )
    contact = ContactPoint.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "people:contact-edit", args=[world.person.pk, contact.pk]
    )
    assert "but calls are allowed on this number" in response.content.decode()


def test_the_person_has_the_organizations_time_zone_unless_their_own(world):
    assert world.person.zone == zoneinfo.ZoneInfo(world.org.time_zone)
    services.person_update(
        actor=world.coordinator,
        person=world.person,
        data={"time_zone": "America/Chicago"},
        version=None,
    )
    world.person.refresh_from_db()
    assert world.person.zone == zoneinfo.ZoneInfo("America/Chicago")
    with pytest.raises(ValidationError, match="time zone such as"):
        services.person_update(
            actor=world.coordinator,
            person=world.person,
            data={"time_zone": "Mars/Base"},
            version=None,
        )


def test_the_migration_turns_notes_into_rules_and_keeps_them(world):
    banned = ContactPoint.objects.create(
        person=world.person, kind="phone", value="1", safety_note="No llamen, solo mensajes."
    )
    later = ContactPoint.objects.create(
        person=world.person, kind="phone", value="2", safety_note="Do not call after 8 pm."
    )
    shared = ContactPoint.objects.create(
        person=world.person, kind="email", value="a@b.org", safety_note="Shared account"
    )
    migration.forwards(django_apps, None)
    banned.refresh_from_db()
    later.refresh_from_db()
    shared.refresh_from_db()
    assert (banned.may_call, banned.voice_reason) == (False, "No llamen, solo mensajes.")
    assert banned.safety_note == "No llamen, solo mensajes."  # the words are kept
    assert later.may_call
    assert (shared.may_email, shared.email_reason) == (False, "Shared account")


def test_the_migration_stops_calls_to_the_work_number_when_the_note_says_not_at_work(world):
    work = ContactPoint.objects.create(
        person=world.person,
        kind="phone",
        label="Work",
        value="1",
        may_call=True,
        safety_note="Do not call at work.",
    )
    mobile = ContactPoint.objects.create(
        person=world.person,
        kind="phone",
        label="Mobile",
        value="2",
        may_call=True,
        safety_note="Do not call at work.",
    )
    migration.forwards(django_apps, None)
    work.refresh_from_db()
    mobile.refresh_from_db()
    assert (work.may_call, work.voice_reason) == (False, "Do not call at work.")
    assert mobile.may_call
