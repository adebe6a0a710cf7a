"""The organization admin's note settings page (/manage/<org>/notes/): whether each
program's notes need a supervisor's co-signature, changed through a form and audited;
nobody else reaches it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.encounters.models import NoteSettings
from alongside.encounters.services import note_settings_for
from alongside.organizations.models import Program

EDIT = "manage:note-settings-edit"


def _edit_url(world: Any, program: Any = None) -> str:
    return reverse(EDIT, args=[world.org.pk, (program or world.housing).pk])


def _row(page: str, program: str) -> str:
    return next(row for row in page.split("<tr>") if f">{program}<" in row)


def _audits() -> int:
    return AuditEvent.objects.filter(object_type="encounters.notesettings", action="update").count()


def test_the_list_shows_each_program_and_whether_it_needs_a_cosignature(
    client: Any, world: Any
) -> None:
    NoteSettings.objects.create(program=world.housing, requires_cosignature=True)
    Program.objects.create(organization=world.org, name="Youth Mentoring")
    client.force_login(world.admin)
    page = client.get(reverse("manage:note-settings", args=[world.org.pk])).content.decode()
    assert "Housing Navigation" in page and "Youth Mentoring" in page
    assert "<td>Yes</td>" in _row(page, "Housing Navigation")
    assert "<td>No</td>" in _row(page, "Youth Mentoring")  # the default
    assert "Care Coordination" not in page  # another organization's program


def test_an_admin_turns_the_cosignature_on_and_off_and_each_change_is_audited(
    client: Any, world: Any
) -> None:
    client.force_login(world.admin)
    form = client.get(_edit_url(world)).content.decode()
    assert 'name="requires_cosignature"' in form and "checked" not in form
    assert client.post(_edit_url(world), {"requires_cosignature": "on"}).status_code == 302
    assert note_settings_for(world.housing.pk).requires_cosignature
    assert _audits() == 1
    assert client.post(_edit_url(world), {}).status_code == 302
    assert not note_settings_for(world.housing.pk).requires_cosignature
    event = AuditEvent.objects.filter(object_type="encounters.notesettings").latest("pk")
    assert _audits() == 2 and event.fields == ["requires_cosignature"]
    assert client.post(_edit_url(world), {}).status_code == 302  # no change: no audit
    assert _audits() == 2


def test_only_the_organizations_admins_reach_the_page(client: Any, world: Any) -> None:
    other_program = Program.objects.get(organization=world.other_org)
    for user in (world.coordinator, world.supervisor, world.outsider):
        client.force_login(user)
        assert client.get(reverse("manage:note-settings", args=[world.org.pk])).status_code == 404
        assert client.post(_edit_url(world), {"requires_cosignature": "on"}).status_code == 404
    client.force_login(world.admin)
    theirs = _edit_url(world, other_program)
    assert client.post(theirs, {"requires_cosignature": "on"}).status_code == 404
    elsewhere = reverse("manage:note-settings", args=[world.other_org.pk])
    assert client.get(elsewhere).status_code == 404
    assert not NoteSettings.objects.exists()


def test_the_list_takes_a_fixed_number_of_queries(
    client: Any, world: Any, django_assert_num_queries: Any
) -> None:
    for name in ("Youth Mentoring", "Reentry Support", "Food Access"):
        program = Program.objects.create(organization=world.org, name=name)
        NoteSettings.objects.create(program=program, requires_cosignature=True)
    client.force_login(world.admin)
    url = reverse("manage:note-settings", args=[world.org.pk])
    # session, user, roles, organization, the programs with their settings, the urgent flags
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
