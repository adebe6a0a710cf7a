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
