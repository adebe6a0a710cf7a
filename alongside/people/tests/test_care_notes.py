"""Approach-with-care notes and schedulers (issue 7, defect 2). Decision: schedulers
arrange appointments and need the safe-contact rules, not the person's trauma. They see
that a note exists and whom to speak with, never its text, on pages and in the API; what
is hidden says "details restricted to the care team", never "nothing yet"."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from alongside.accounts.tokens import token_create
from alongside.people import services
from alongside.people.models import Profile

NOTE = "Please knock; loud voices are hard for me."
NOTICE = "Approach with care — speak with Lupe’s coordinator before raising personal topics"
RESTRICTED = "Details restricted to the care team."


def _api(user: Any) -> Client:
    _, secret = token_create(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_a_scheduler_sees_that_a_note_exists_and_whom_to_ask_never_its_text(
    client: Client, world: Any
) -> None:
    services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "phone", "value": "212-555-0187", "safety_note": "Work phone only."},
    )
    client.force_login(world.scheduler)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert NOTE not in page and "loud voices" not in page
    assert NOTICE in page and RESTRICTED in page
    assert "No voicemail" in page and "Work phone only." in page  # the safe-contact rules
    for name in ("profile", "history"):
        other = client.get(reverse(f"people:{name}", args=[world.person.pk])).content.decode()
        assert "loud voices" not in other, name
        assert RESTRICTED in other, name


def test_the_api_gives_a_scheduler_a_restricted_marker_with_the_notice(world: Any) -> None:
    api = _api(world.scheduler)
    for path in (f"/api/v1/people/{world.person.pk}/profile", f"/api/v1/people/{world.person.pk}"):
        body = api.get(path).json()
        note = body.get("profile", body)["approach_with_care"]
        assert note == {"restricted": True, "reason": RESTRICTED, "notice": NOTICE}, path


def test_a_scheduler_cannot_change_the_note_they_cannot_read(world: Any) -> None:
    api = _api(world.scheduler)
    path = f"/api/v1/people/{world.person.pk}/profile"
    refused = api.put(
        path, {"approach_with_care": "Changed", "version": 1}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Profile.objects.get(person=world.person).approach_with_care == NOTE


def test_the_care_team_still_reads_the_note(client: Client, world: Any) -> None:
    for persona in ("coordinator", "supervisor"):
        client.force_login(getattr(world, persona))
        page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
        assert NOTE in page and NOTICE not in page, persona
        body = _api(getattr(world, persona)).get(f"/api/v1/people/{world.person.pk}/profile")
        assert body.json()["approach_with_care"] == NOTE


def test_without_a_note_there_is_nothing_to_restrict(client: Client, world: Any) -> None:
    services.profile_update(
        actor=world.coordinator,
        person=world.person,
        data={"approach_with_care": ""},
        version=None,
    )
    client.force_login(world.scheduler)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert NOTICE not in page and "Approach with care" not in page
    body = _api(world.scheduler).get(f"/api/v1/people/{world.person.pk}/profile").json()
    assert body["approach_with_care"] == ""
