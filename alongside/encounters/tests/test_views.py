"""The encounter and note pages: recording, writing with autosave, signing, addenda,
what each persona sees, and the query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alongside.encounters import services
from alongside.encounters.models import Encounter, Note
from alongside.encounters.tests.factories import MI_CONTENT, encounter, signed_note, version
from alongside.people.sensitivity import RESTRICTED
from conftest import LANGUAGES_INLINE, NAV_COUNTS

AUDIT_SAVING = 2 if connection.vendor == "postgresql" else 0


def _draft(world: Any, slug: str = "mi-progress") -> Note:
    return services.note_start(
        actor=world.coordinator, encounter=encounter(world), template_version=version(slug)
    )


def test_it_records_an_encounter(client: Any, world: Any) -> None:
    client.force_login(world.coordinator)
    url = reverse("encounters:create", args=[world.person.pk])
    assert client.get(url).status_code == 200
    started = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        url,
        {
            "kind": "phone",
            "program": world.housing.pk,
            "started_at": started.strftime("%Y-%m-%dT%H:%M"),
            "ended_at": (started + dt.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
            "modality": "phone",
            "person_present": "on",
            "others": "Ana Ruiz (sister)",
        },
    )
    made = Encounter.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/encounters/{made.pk}/")
    assert (made.kind, made.duration_minutes, made.others) == (
        "phone",
        20,
        [{"name": "Ana Ruiz", "relationship": "sister"}],
    )


def test_it_says_what_is_wrong_with_an_encounter(client: Any, world: Any) -> None:
    client.force_login(world.coordinator)
    started = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        reverse("encounters:create", args=[world.person.pk]),
        {
            "kind": "phone",
            "program": world.housing.pk,
            "started_at": started.strftime("%Y-%m-%dT%H:%M"),
            "ended_at": (started - dt.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
            "modality": "phone",
        },
    )
    assert response.status_code == 422
    assert "The end must be at or after the start." in response.content.decode()
    assert not Encounter.objects.exists()


def test_the_author_writes_with_the_person_in_view(client: Any, world: Any) -> None:
    note = _draft(world)
    client.force_login(world.coordinator)
    body = client.get(reverse("encounters:note", args=[note.pk])).content.decode()
    assert "What matters to the person today" in body
    assert "Being there for my kids." in body  # what is important to them
    assert "Please knock; loud voices are hard for me." in body  # approach with care
    assert reverse("encounters:note-autosave", args=[note.pk]) in body


def test_autosave_keeps_the_draft_and_flags_labeling_words(client: Any, world: Any) -> None:
    note = _draft(world)
    client.force_login(world.coordinator)
    url = reverse("encounters:note-autosave", args=[note.pk])
    response = client.post(
        url,
        {"version": note.version, "s_what_matters": "She refused the shelter; non-compliant."},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    note.refresh_from_db()
    assert response.status_code == 200
    assert note.content["what_matters"] == "She refused the shelter; non-compliant."
    assert 'id="id_version" value="2"' in body
    assert "<mark>refused</mark>" in body and "<mark>non-compliant</mark>" in body
    stale = client.post(url, {"version": 1, "s_what_matters": "x"})
    assert stale.status_code == 409 and "Someone else saved" in stale.content.decode()
    note.refresh_from_db()
    assert note.content["what_matters"].startswith("She refused")


def test_a_draft_survives_signing_in_again(client: Any, world: Any) -> None:
    note = _draft(world)
    client.force_login(world.coordinator)
    client.post(
        reverse("encounters:note-autosave", args=[note.pk]),
        {"version": note.version, "s_what_matters": "Typed before the session ended."},
    )
    client.logout()
    url = reverse("encounters:note", args=[note.pk])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(world.coordinator)
    assert "Typed before the session ended." in client.get(url).content.decode()


def test_signing_from_the_page(client: Any, world: Any) -> None:
    note = _draft(world)
    client.force_login(world.coordinator)
    url = reverse("encounters:note", args=[note.pk])
    fields = {f"s_{k}": v for k, v in MI_CONTENT.items()}
    missing = client.post(url, {"version": 1, "s_what_matters": "x", "sign": "1"})
    assert (
        missing.status_code == 422
        and "Write this section before signing." in missing.content.decode()
    )
    note.refresh_from_db()
    assert note.status == "draft"
    signed = client.post(url, {"version": note.version, **fields, "sign": "1"})
    assert signed.status_code == 302
    note.refresh_from_db()
    assert note.status == "signed"
    again = client.post(url, {"version": note.version, **fields, "sign": "1"})
    assert again.status_code == 409 and "cannot be changed" in again.content.decode()


def test_addenda_from_the_page(client: Any, world: Any) -> None:
    draft = _draft(world, "dap")
    client.force_login(world.coordinator)
    refused = client.post(reverse("encounters:addendum-add", args=[draft.pk]), {"content": "x"})
    assert refused.status_code == 409 and "This note is a draft" in refused.content.decode()
    note = signed_note(world)
    response = client.post(
        reverse("encounters:addendum-add", args=[note.pk]), {"content": "Landlord called."}
    )
    assert response.status_code == 302
    body = client.get(reverse("encounters:note", args=[note.pk])).content.decode()
    assert "Landlord called." in body and "Signed by Casey Nguyen" in body


def test_a_sensitive_note_is_restricted_outside_the_care_team(client: Any, world: Any) -> None:
    note = signed_note(world)
    services.addendum_add(actor=world.coordinator, note=note, content="Follow-up: SAFE-WORD")
    for user, sees in ((world.supervisor, True), (world.scheduler, False), (world.admin, False)):
        client.force_login(user)
        body = client.get(reverse("encounters:note", args=[note.pk])).content.decode()
        assert ("Keeping the apartment" in body) is sees
        assert ("SAFE-WORD" in body) is sees
        assert (str(RESTRICTED) in body) is not sees


@pytest.mark.parametrize("name", ["note", "note-autosave", "addendum-add"])
def test_notes_are_404_out_of_scope(client: Any, world: Any, name: str) -> None:
    note = signed_note(world)
    for user in (world.colleague, world.outsider):
        client.force_login(user)
        method = client.get if name == "note" else client.post
        assert method(reverse(f"encounters:{name}", args=[note.pk])).status_code == 404


def test_the_person_page_shows_recent_encounters(client: Any, world: Any) -> None:
    visit = encounter(world)
    client.force_login(world.coordinator)
    body = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Recent encounters" in body
    assert reverse("encounters:detail", args=[visit.pk]) in body


def test_the_compiled_panel_lists_what_the_orm_lists_to_every_viewer(world: Any) -> None:
    from alongside.encounters.selectors import encounters_for, person_panel
    from alongside.people import services as people
    from alongside.people.contributions import PanelContext
    from alongside.people.sensitivity import disclosure_for

    people.enrollment_create(
        actor=world.admin, person=world.person, program=world.wellness, data={"status": "active"}
    )
    for hours in range(6):
        started = timezone.now() - dt.timedelta(hours=hours + 3)
        encounter(world, started_at=started, ended_at=started + dt.timedelta(minutes=20))
    signed_note(world)
    started = timezone.now() - dt.timedelta(minutes=30)
    services.encounter_create(
        actor=world.colleague,
        person=world.person,
        program=world.wellness,
        data={"kind": "home", "modality": "in_person", "started_at": started},
    )
    for user in (world.coordinator, world.scheduler, world.colleague, world.admin):
        listed = [(e.pk, e.program.name) for e in encounters_for(user, world.person)][:5]
        context = PanelContext(user, world.person, disclosure_for(user, world.person))
        for _ in range(2):  # compiling, then compiled
            panel = person_panel(context)
            assert [(e.pk, e.program.name) for e in panel["encounters"]] == listed
            assert panel["writes"] is context.disclosure.on_team


def test_the_encounter_list_query_count_is_flat(
    client: Any, world: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(world.coordinator)
    url = reverse("encounters:person-list", args=[world.person.pk])
    signed_note(world)
    # session, user, scope, the person with profile and enrollments (2), encounters,
    # their notes with templates, audit (3, one statement on PostgreSQL)
    expected = 10 - AUDIT_SAVING + NAV_COUNTS - LANGUAGES_INLINE
    with django_assert_num_queries(expected):
        client.get(url)
    for _ in range(5):
        signed_note(world)
    with django_assert_num_queries(expected):
        client.get(url)
