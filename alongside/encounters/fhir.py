"""FHIR R4 mappings: an encounter as an `Encounter`, a note as a `DocumentReference`
(its sections as a plain-text attachment, its addenda as further attachments), each
validated with fhir.resources' R4B models before it leaves.

A note the viewer may not read (sensitive, outside the care team) keeps its metadata and
loses its content: the attachment is replaced by the data-absent-reason `masked`."""

from __future__ import annotations

import base64
import json
from typing import Any

from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.encounter import Encounter as FhirEncounter

from alongside.encounters.models import Encounter, Note

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
KIND_SYSTEM = "https://alongside.example.org/fhir/CodeSystem/encounter-kind"
ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
# Encounter.class, from v3 ActCode: where the encounter happened.
CLASSES = {
    Encounter.Kind.OFFICE: ("AMB", "ambulatory"),
    Encounter.Kind.HOME: ("HH", "home health"),
    Encounter.Kind.PHONE: ("VR", "virtual"),
    Encounter.Kind.VIDEO: ("VR", "virtual"),
    Encounter.Kind.TEXT: ("VR", "virtual"),
    Encounter.Kind.COLLATERAL: ("AMB", "ambulatory"),
    Encounter.Kind.GROUP: ("AMB", "ambulatory"),
    Encounter.Kind.ATTEMPTED: ("VR", "virtual"),
    Encounter.Kind.EMERGENCY: ("EMER", "emergency"),
    Encounter.Kind.DISCHARGE: ("IMP", "inpatient encounter"),
}
# LOINC document types for the shipped templates; others are "Progress note".
DOCUMENT_TYPES = {"soap": ("34109-9", "Note"), "dap": ("11506-3", "Progress note")}
PROGRESS_NOTE = ("11506-3", "Progress note")


def _valid(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(model.model_validate(data).model_dump_json(exclude_none=True)))


def _who(user: Any) -> dict[str, Any]:
    return {
        "reference": f"Practitioner/{user.pk}",
        "display": user.get_full_name() or user.username,
    }


def encounter(item: Encounter, staff: list[Any]) -> dict[str, Any]:
    code, display = CLASSES[Encounter.Kind(item.kind)]
    period: dict[str, Any] = {"start": item.started_at.isoformat()}
    if item.ended_at is not None:
        period["end"] = item.ended_at.isoformat()
    resource: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": str(item.pk),
        # An attempt reached no one: FHIR has no "attempted"; it did not go ahead.
        "status": "cancelled" if item.kind == Encounter.Kind.ATTEMPTED else "finished",
        "class": {"system": ACT_CODE, "code": code, "display": display},
        "type": [
            {
                "coding": [
                    {
                        "system": KIND_SYSTEM,
                        "code": item.kind,
                        "display": str(item.get_kind_display()),
                    }
                ],
                "text": str(item.get_kind_display()),
            }
        ],
        "subject": {"reference": f"Patient/{item.person_id}"},
        "participant": [{"individual": _who(user)} for user in staff],
        "period": period,
        "serviceProvider": {"reference": f"Organization/{item.organization_id}"},
    }
    if item.duration_minutes is not None:
        resource["length"] = {
            "value": item.duration_minutes,
            "unit": "min",
            "system": UCUM,
            "code": "min",
        }
    if item.place:
        resource["location"] = [{"location": {"display": item.place}}]
    return _valid(FhirEncounter, resource)


def _text(note: Note) -> str:
    return "\n\n".join(f"{section['title']}\n{text}" for section, text in note.sections() if text)


def _attachment(text: str, title: str, when: Any) -> dict[str, Any]:
    return {
        "attachment": {
            "contentType": "text/plain; charset=utf-8",
            "data": base64.b64encode(text.encode()).decode(),
            "title": title,
            "creation": when.isoformat(),
        }
    }


def document_reference(note: Note, *, restricted: bool) -> dict[str, Any]:
    """A note (read as the viewer may see it) as a DocumentReference."""
    template = note.template_version.template
    code, display = DOCUMENT_TYPES.get(template.slug, PROGRESS_NOTE)
    when = note.signed_at or note.updated_at
    if restricted:
        content = [
            {
                "attachment": {
                    "contentType": "text/plain",
                    "_data": {"extension": [{"url": ABSENT, "valueCode": "masked"}]},
                    "title": template.name,
                }
            }
        ]
    else:
        content = [_attachment(_text(note), template.name, when)]
        content += [
            _attachment(a.content, f"Addendum by {a.author.get_full_name()}", a.signed_at)
            for a in note.addenda.all()
        ]
    resource = {
        "resourceType": "DocumentReference",
        "id": str(note.pk),
        "status": "current",
        # A draft is "preliminary"; a signed note "final", and "amended" once added to.
        "docStatus": _doc_status(note),
        "type": {
            "coding": [{"system": LOINC, "code": code, "display": display}],
            "text": template.name,
        },
        "subject": {"reference": f"Patient/{note.encounter.person_id}"},
        "date": when.isoformat(),
        "author": [_who(note.author)],
        "content": content,
        "context": {"encounter": [{"reference": f"Encounter/{note.encounter_id}"}]},
    }
    if note.is_signed:
        resource["authenticator"] = _who(note.author)
    return _valid(DocumentReference, resource)


def _doc_status(note: Note) -> str:
    if not note.is_signed:
        return "preliminary"
    return "amended" if note.addenda.all() else "final"
