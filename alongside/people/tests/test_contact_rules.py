"""Safe-contact rules may not allow what their own safety note forbids."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alongside.people import services
from alongside.people.contact_rules import contradictions
from alongside.people.models import ContactPoint

PHONE = {"kind": "phone", "value": "(718) 555-0142"}


@pytest.mark.parametrize(
    ("note", "may_text", "may_leave_voicemail", "fields"),
    [
        ("Partner checks the phone — no texts.", True, False, {"may_text"}),
        ("DON’T TEXT. Call after 5.", True, False, {"may_text"}),
        ("Dont text me", True, False, {"may_text"}),
        ("No voicemail, please.", False, True, {"may_leave_voicemail"}),
        ("Do not call — texts only.", True, True, {"may_leave_voicemail"}),
        ("Mi pareja revisa el teléfono: no mensajes de texto.", True, False, {"may_text"}),
        ("No llamen, solo mensajes.", True, True, {"may_leave_voicemail"}),
        ("Sin mensajes de voz.", False, True, {"may_leave_voicemail"}),
        ("no texts, no voicemail", True, True, {"may_text", "may_leave_voicemail"}),
    ],
)
def test_it_finds_a_checkbox_the_note_forbids(note, may_text, may_leave_voicemail, fields):
    found = contradictions(
        safety_note=note, may_text=may_text, may_leave_voicemail=may_leave_voicemail
    )
    assert set(found) == fields
    assert all("safety note says" in why for why in found.values())


@pytest.mark.parametrize(
    "note",
    [
        "Partner checks the phone — no texts.",  # texts are off: the two agree
        "Don't say the agency's name on voicemail.",  # voicemail with care, not none
        "No texts after 8 pm.",  # when, not whether
        "No llamar antes de las 10.",
        "Texts are fine; I never texted back before, sorry.",
        "",
    ],
)
def test_it_leaves_notes_that_agree_or_only_limit_the_time(note):
    allows_texts = "no texts." not in note
    found = contradictions(safety_note=note, may_text=allows_texts, may_leave_voicemail=True)
    assert found == {}


def test_it_refuses_to_add_a_contact_that_contradicts_its_note(world):
    with pytest.raises(ValidationError, match="no texts") as error:
        services.contact_point_create(
            actor=world.coordinator,
            person=world.person,
            data=PHONE | {"may_text": True, "safety_note": "Partner checks the phone — no texts."},
        )
    assert error.value.error_dict["may_text"][0].code == "contradicts_safety_note"
    assert not ContactPoint.objects.exists()


def test_it_reports_the_contradiction_with_the_other_problems(world):
    with pytest.raises(ValidationError, match="No voicemail") as error:
        services.contact_point_create(
            actor=world.coordinator,
            person=world.person,
            data={
                "kind": "phone",
                "value": "call me maybe",
                "may_leave_voicemail": True,
                "safety_note": "No voicemail",
            },
        )
    assert set(error.value.message_dict) == {"value", "may_leave_voicemail"}


def test_it_refuses_a_change_that_makes_the_rules_contradict_the_note(world):
    contact = services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data=PHONE | {"safety_note": "Partner checks the phone — no texts."},
    )
    with pytest.raises(ValidationError, match="Turn off text messages"):
        services.contact_point_update(
            actor=world.coordinator, contact=contact, data={"may_text": True}, version=1
        )
    allowed = services.contact_point_update(
        actor=world.coordinator,
        contact=contact,
        data={"may_text": True, "safety_note": "Texts are fine now."},
        version=1,
    )
    assert allowed.may_text and allowed.version == 2


def test_it_shows_the_contradiction_on_the_contact_form(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("people:contact-add", args=[world.person.pk]),
        {
            **PHONE,
            "may_text": "on",
            "safety_note": "Partner checks the phone — no texts.",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The safety note says “no texts”, but text messages are allowed." in page
    assert 'href="#id_may_text"' in page  # the error summary leads to the checkbox
    assert not ContactPoint.objects.exists()
