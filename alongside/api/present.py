"""Models to API representations: explicit, so what leaves the system is visible here,
and plain attribute reads, so a representation costs no queries beyond what the
selector already loaded. Values come typed from the models, so representations are
built without re-validation (`model_construct`); the tests read every field back."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from pydantic import BaseModel

from alongside.accounts.actors import Actor
from alongside.api import schemas
from alongside.api.concurrency import etag
from alongside.api.errors import CONTENT_TYPE
from alongside.people.models import ContactPoint, Enrollment, Person, PersonLanguage, Profile
from alongside.people.sensitivity import (
    RESTRICTED,
    Disclosure,
    care_note_notice,
    disclosure_for,
)
from alongside.people.services import CHANNEL_RULE_FIELDS


def language(item: PersonLanguage) -> schemas.LanguageOut:
    return schemas.LanguageOut.model_construct(
        language=item.language,
        name=item.name,
        is_preferred=item.is_preferred,
        interpreter_needed=item.interpreter_needed,
    )


def _person_fields(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "display_name": person.display_name,
        "preferred_name": person.preferred_name,
        "pronouns": person.pronouns,
        "legal_given_name": person.legal_given_name,
        "legal_family_name": person.legal_family_name,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
        "gender_identity": person.gender_identity,
        "time_zone": person.time_zone,
        "organization_id": person.organization_id,
        "languages": [language(item) for item in person.languages.all()],
        "version": person.version,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }


def person(item: Person) -> schemas.PersonOut:
    return schemas.PersonOut.model_construct(**_person_fields(item))


def care_note(
    person: Person, item: Profile, disclosure: Disclosure
) -> str | schemas.RestrictedNoteOut:
    """The approach-with-care note for the care team; for everyone else who sees the
    person, a restricted marker saying one exists (an empty string when there is none)."""
    if disclosure.reads_care_note or not item.approach_with_care:
        return item.approach_with_care
    return schemas.RestrictedNoteOut.model_construct(
        restricted=True, reason=str(RESTRICTED), notice=care_note_notice(person)
    )


def profile(person: Person, item: Profile | None, disclosure: Disclosure) -> schemas.ProfileOut:
    """The profile, as `disclosure` lets its reader see it. A person saved without a
    profile reads as an empty one (saving creates it at version 1)."""
    item = item or Profile()
    return schemas.ProfileOut.model_construct(
        person_id=person.pk,
        appreciated=item.appreciated,
        important_to=item.important_to,
        important_for=item.important_for,
        how_to_support=item.how_to_support,
        strengths=item.strengths,
        hopes=item.hopes,
        want_to_change=item.want_to_change,
        culture_identity=item.culture_identity,
        stress_helps=item.stress_helps,
        approach_with_care=care_note(person, item, disclosure),
        version=item.version,
        updated_at=item.updated_at,
    )


def profile_of(person: Person) -> Profile | None:
    try:
        return person.profile
    except Profile.DoesNotExist:
        return None


def enrollment(item: Enrollment) -> schemas.EnrollmentOut:
    coordinator = item.primary_coordinator
    return schemas.EnrollmentOut.model_construct(
        id=item.pk,
        person_id=item.person_id,
        program_id=item.program_id,
        program_name=item.program.name,
        status=item.status,
        referred_on=item.referred_on,
        started_on=item.started_on,
        ended_on=item.ended_on,
        closure_reason=item.closure_reason,
        closure_note=item.closure_note,
        primary_coordinator=None
        if coordinator is None
        else schemas.StaffOut.model_construct(
            id=coordinator.pk, name=str(coordinator), pronouns=coordinator.pronouns
        ),
        version=item.version,
        created_at=item.created_at,
    )


def contact_point(item: ContactPoint) -> schemas.ContactPointOut:
    return schemas.ContactPointOut.model_construct(
        id=item.pk,
        person_id=item.person_id,
        kind=item.kind,
        label=item.label,
        value=item.value,
        normalized=item.normalized,
        is_preferred=item.is_preferred,
        may_leave_voicemail=item.may_leave_voicemail,
        may_text=item.may_text,
        **{name: getattr(item, name) for name in CHANNEL_RULE_FIELDS},
        safe_hours_start=item.safe_hours_start,
        safe_hours_end=item.safe_hours_end,
        best_times=item.best_times,
        never_contact_times=item.never_contact_times,
        safety_note=item.safety_note,
        version=item.version,
    )


def person_detail(user: Actor, item: Person) -> schemas.PersonDetailOut:
    """A person as `selectors.person_detail` loads them, with profile, enrollments and
    contact points (all prefetched)."""
    return schemas.PersonDetailOut.model_construct(
        **_person_fields(item),
        profile=profile(item, profile_of(item), disclosure_for(user, item)),
        enrollments=[enrollment(e) for e in item.enrollments.all()],
        contact_points=[contact_point(c) for c in item.contact_points.all()],
    )


def respond(
    body: BaseModel | list[BaseModel],
    *,
    status: int = 200,
    version: int | None = None,
    location: str | None = None,
) -> HttpResponse:
    """Serialize in pydantic's core (no per-field Python) and set ETag and Location."""
    if isinstance(body, list):
        content = b"[" + b",".join(item.model_dump_json().encode() for item in body) + b"]"
    else:
        content = body.model_dump_json().encode()
    response = HttpResponse(content, status=status, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "no-store"  # people's records stay out of every cache
    if version is not None:
        response["ETag"] = etag(version)
    if location is not None:
        response["Location"] = location
    return response
