"""Encounters and notes over the API: record and read encounters, write, sign and add to
notes; a signed note cannot be changed (409); FHIR Encounter and DocumentReference
validate; sensitive content stays with the care team."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.encounter import Encounter as FhirEncounter

from alongside.api.tests.conftest import assert_error
from alongside.encounters.models import Encounter, Note
from alongside.encounters.tests.factories import MI_CONTENT, encounter, signed_note, version
from alongside.people.sensitivity import RESTRICTED


def _body(world: Any, **extra: Any) -> dict[str, Any]:
    start = timezone.now() - dt.timedelta(hours=1)
    return {
        "program_id": world.housing.pk,
        "kind": "video",
        "modality": "video",
        "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(minutes=30)).isoformat(),
        "staff_ids": [world.supervisor.pk],
        "others": [{"name": "Ana", "relationship": "sister"}],
    } | extra


def test_it_records_and_lists_encounters(world: Any, api_as: Any) -> None:
    api = api_as(world.coordinator)
    reply = api.post(f"/people/{world.person.pk}/encounters", _body(world))
    assert reply.status_code == 201, reply.content
    made = reply.json()
    assert (made["kind"], made["duration_minutes"]) == ("video", 30)
    assert reply["Location"] == f"/api/v1/encounters/{made['id']}"
    [listed] = api.get(f"/people/{world.person.pk}/encounters").json()
    assert listed["id"] == made["id"]
    world.person.refresh_from_db()
    assert world.person.last_contacted_at is not None


def test_it_refuses_an_encounter_ending_before_it_starts(world: Any, api_as: Any) -> None:
    start = timezone.now() - dt.timedelta(hours=1)
    reply = api_as(world.coordinator).post(
        f"/people/{world.person.pk}/encounters",
        _body(
            world,
            ended_at=(start - dt.timedelta(hours=1)).isoformat(),
            started_at=start.isoformat(),
        ),
    )
    assert_error(reply, 422, "invalid")
    assert reply.json()["error"]["fields"]["ended_at"] == ["The end must be at or after the start."]
    assert not Encounter.objects.exists()


def test_it_refuses_a_time_without_its_zone(world: Any, api_as: Any) -> None:
    reply = api_as(world.coordinator).post(
        f"/people/{world.person.pk}/encounters",
        _body(world, started_at="2026-01-05T09:00:00", ended_at=None),
    )
    assert_error(reply, 422, "invalid")
    assert "time zone" in reply.json()["error"]["fields"]["started_at"][0]


def test_a_note_from_draft_to_signed_to_addendum(world: Any, api_as: Any) -> None:
    api = api_as(world.coordinator)
    visit = encounter(world)
    reply = api.post(
        f"/encounters/{visit.pk}/notes", {"template_version_id": version("mi-progress").pk}
    )
    assert reply.status_code == 201, reply.content
    note = reply.json()
    assert (note["status"], note["template"], note["version"]) == ("draft", "mi-progress", 1)
    path = f"/notes/{note['id']}"
    early = api.post(f"{path}/addenda", {"content": "More"})
    assert_error(early, 409, "note_draft")
    patched = api.patch(path, {"content": MI_CONTENT, "version": 1})
    assert patched.status_code == 200 and patched["ETag"] == '"2"'
    assert {s["key"]: s["text"] for s in patched.json()["sections"]} == MI_CONTENT
    signed = api.post(f"{path}/sign", If_Match='"2"')
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    again = api.post(f"{path}/sign", If_Match='"3"')
    assert_error(again, 409, "note_signed")
    locked = api.patch(path, {"content": {"next_steps": "changed"}, "version": 3})
    assert_error(locked, 409, "note_signed")
    assert "addendum" in locked.json()["error"]["message"]
    added = api.post(f"{path}/addenda", {"content": "Landlord called back."})
    assert added.status_code == 201
    assert api.get(path).json()["addenda"][0]["content"] == "Landlord called back."
    assert Note.objects.get().content == MI_CONTENT


def test_a_patch_needs_a_version(world: Any, api_as: Any) -> None:
    visit = encounter(world)
    api = api_as(world.coordinator)
    note = api.post(
        f"/encounters/{visit.pk}/notes", {"template_version_id": version("dap").pk}
    ).json()
    assert_error(api.patch(f"/notes/{note['id']}", {"content": {"data": "x"}}), 428)
    assert_error(api.patch(f"/notes/{note['id']}", {"content": {"nope": "x"}, "version": 1}), 422)


def test_a_sensitive_note_is_restricted_outside_the_care_team(world: Any, api_as: Any) -> None:
    note = signed_note(world)
    shown = api_as(world.supervisor).get(f"/notes/{note.pk}").json()
    hidden = api_as(world.scheduler).get(f"/notes/{note.pk}").json()
    assert shown["restricted"] is False and shown["sections"]
    assert (hidden["restricted"], hidden["reason"], hidden["sections"]) == (True, RESTRICTED, [])


def test_fhir_encounter_and_document_reference_validate(world: Any, api_as: Any) -> None:
    note = signed_note(world)
    api = api_as(world.coordinator)
    resource = api.get(f"/encounters/{note.encounter_id}/fhir").json()
    FhirEncounter.model_validate(resource)
    assert (resource["class"]["code"], resource["length"]["value"]) == ("HH", 45)
    document = api.get(f"/notes/{note.pk}/fhir").json()
    DocumentReference.model_validate(document)
    assert document["docStatus"] == "final"
    text = base64.b64decode(document["content"][0]["attachment"]["data"]).decode()
    assert MI_CONTENT["what_matters"] in text
    masked = api_as(world.scheduler).get(f"/notes/{note.pk}/fhir").json()
    DocumentReference.model_validate(masked)
    assert "data" not in masked["content"][0]["attachment"]
    assert MI_CONTENT["what_matters"] not in str(masked)


def test_out_of_scope_is_404(world: Any, api_as: Any) -> None:
    note = signed_note(world)
    for user in (world.colleague, world.outsider):
        api = api_as(user)
        assert_error(api.get(f"/notes/{note.pk}"), 404)
        assert_error(api.get(f"/encounters/{note.encounter_id}"), 404)
        assert_error(api.post(f"/people/{world.person.pk}/encounters", _body(world)), 404)


def test_a_supervisor_co_signs_a_note_once(world: Any, api_as: Any) -> None:
    from alongside.encounters import services

    services.note_settings_update(
        actor=world.admin, program=world.housing, requires_cosignature=True
    )
    note = signed_note(world)
    path = f"/notes/{note.pk}/cosign"
    read = api_as(world.coordinator).get(f"/notes/{note.pk}").json()
    assert (read["cosignature_required"], read["cosigned_at"]) == (True, None)
    current = f'"{note.version}"'
    assert api_as(world.supervisor).post(path).status_code == 428
    refused = api_as(world.coordinator).post(path, If_Match=current)
    assert_error(refused, 403, "forbidden")
    assert "supervisor" in refused.json()["error"]["message"]
    api = api_as(world.supervisor)
    stale = api.post(path, If_Match=f'"{note.version - 1}"')
    assert stale.status_code == 409
    done = api.post(path, If_Match=current)
    assert done.status_code == 200, done.content
    assert done.json()["cosigned_by_id"] == world.supervisor.pk
    assert done.json()["cosigned_at"] is not None
    assert_error(api.post(path, If_Match=f'"{note.version + 1}"'), 409, "note_cosigned")
    assert_error(api_as(world.outsider).post(path, If_Match=current), 404)
