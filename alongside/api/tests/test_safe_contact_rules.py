"""The API refuses safe-contact rules that contradict their own note, field by field."""

from alongside.api.tests.conftest import assert_error
from alongside.people.models import ContactPoint


def test_it_refuses_rules_that_contradict_the_note_with_the_fields_named(world, api_as):
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/contact-points"
    error = assert_error(
        api.post(
            path,
            {
                "kind": "phone",
                "value": "(718) 555-0142",
                "may_text": True,
                "may_leave_voicemail": True,
                "safety_note": "No llamen; no mensajes de texto.",
            },
        ),
        422,
        "invalid",
    )
    assert set(error["fields"]) == {"may_text", "may_leave_voicemail"}
    assert "no mensajes de texto" in error["fields"]["may_text"][0]
    assert not ContactPoint.objects.exists()


def test_it_refuses_a_patch_that_allows_what_the_note_forbids(world, api_as):
    api = api_as(world.coordinator)
    created = api.post(
        f"/people/{world.person.pk}/contact-points",
        {"kind": "phone", "value": "(718) 555-0142", "safety_note": "No voicemail."},
    )
    assert created.status_code == 201, created.content
    contact = created.json()
    error = assert_error(
        api.patch(
            f"/contact-points/{contact['id']}", {"may_leave_voicemail": True}, **{"If-Match": '"1"'}
        ),
        422,
    )
    assert error["fields"]["may_leave_voicemail"][0].startswith("The safety note says")
    assert not ContactPoint.objects.get().may_leave_voicemail


def test_it_takes_and_gives_the_rules_of_each_channel(world, api_as):
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/contact-points"
    created = api.post(
        path,
        {
            "kind": "phone",
            "value": "(718) 555-0142",
            "may_text": True,
            "text_from": "18:00",
            "text_until": "20:30",
            "may_call": False,
            "voice_reason": "Works nights",
        },
    )
    assert created.status_code == 201, created.content
    contact = created.json()
    assert (contact["text_from"], contact["text_until"]) == ("18:00:00", "20:30:00")
    assert (contact["may_call"], contact["voice_reason"], contact["may_email"]) == (
        False,
        "Works nights",
        False,
    )
    half = assert_error(
        api.post(path, {"kind": "phone", "value": "1 212 555 0100", "text_from": "18:00"}),
        422,
        "invalid",
    )
    assert "text_until" in half["fields"]
    shared = assert_error(
        api.post(
            path,
            {
                "kind": "email",
                "value": "a@b.org",
                "may_email": True,
                "safety_note": "Shared account",
            },
        ),
        422,
        "invalid",
    )
    assert list(shared["fields"]) == ["may_email"]
