"""Shapes of what the API accepts and returns.

Inputs refuse unknown fields (a misspelt field is an error, not a silent no-op) and
enforce the model's lengths, so bad input is a 422 before it reaches a service. Text is
kept exactly as sent, except names and contact values, whose surrounding spaces are
trimmed as the web forms do. Outputs are plain pydantic models built by the functions in
`alongside.api.present`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)


def _storable(value: str) -> str:
    """Refuse text no database can store: NUL characters and unpaired surrogates."""
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("Text must be valid Unicode.") from None
    return value


def _local_time(value: dt.time | None) -> dt.time | None:
    if value is not None and value.tzinfo is not None:
        raise ValueError("Give a local time without a time zone, such as 09:30.")
    return value


MAX_ID = 2**63 - 1
MAX_TEXT = 20_000  # a profile section; the column is unbounded, the request is not

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID, description="The version you read.")]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=150), AfterValidator(_storable)
]
Pronouns = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(_storable)
]
OwnWords100 = Annotated[str, StringConstraints(max_length=100), AfterValidator(_storable)]
OwnWords = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_storable)]
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(_storable)
]
ContactValue = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=300), AfterValidator(_storable)
]
Text200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(_storable)]
Text500 = Annotated[str, StringConstraints(max_length=500), AfterValidator(_storable)]
LocalTime = Annotated[dt.time | None, AfterValidator(_local_time)]
SearchQuery = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_storable)
]

# Mirrors of the models' choices (a test keeps them in step).
Sex = Literal["", "female", "male", "intersex", "unknown", "declined"]
ContactKind = Literal["phone", "email", "address"]
EnrollmentStatus = Literal["referred", "active", "paused", "closed"]
ClosureReason = Literal[
    "",
    "goals_met",
    "declined",
    "moved",
    "transferred",
    "lost_contact",
    "ineligible",
    "deceased",
    "other",
]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _not_null(value: object) -> object:
    if value is None:
        raise ValueError("This field cannot be null.")
    return value


# --- inputs ---------------------------------------------------------------------------


class ProfileIn(In):
    """The one-page profile, in the person's own words. Text is stored exactly as sent."""

    appreciated: OwnWords | None = None
    important_to: OwnWords | None = None
    important_for: OwnWords | None = None
    how_to_support: OwnWords | None = None
    strengths: OwnWords | None = None
    hopes: OwnWords | None = None
    want_to_change: OwnWords | None = None
    culture_identity: OwnWords | None = None
    stress_helps: OwnWords | None = None
    approach_with_care: OwnWords | None = Field(
        None,
        description="Only the person's care team may set this. Left unchanged when omitted "
        "or null.",
    )


class ProfilePut(ProfileIn):
    version: Version | None = None


class PersonCreate(In):
    program_id: Id = Field(description="A program you work in; the person is referred to it.")
    legal_given_name: Name
    legal_family_name: Name = ""
    preferred_name: Name = ""
    pronouns: Pronouns = ""
    date_of_birth: dt.date | None = None
    sex: Sex = ""
    gender_identity: OwnWords100 = ""
    primary_coordinator_id: Id | None = None
    profile: ProfileIn | None = None


class PersonPatch(In):
    legal_given_name: Name | None = None
    legal_family_name: Name | None = None
    preferred_name: Name | None = None
    pronouns: Pronouns | None = None
    date_of_birth: dt.date | None = None
    sex: Sex | None = None
    gender_identity: OwnWords100 | None = None
    version: Version | None = None


class EnrollmentCreate(In):
    program_id: Id
    status: EnrollmentStatus = "referred"
    referred_on: dt.date | None = None
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    closure_reason: ClosureReason = ""
    closure_note: Text500 = ""
    primary_coordinator_id: Id | None = None


class EnrollmentPatch(In):
    status: EnrollmentStatus | None = None
    referred_on: dt.date | None = None
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    closure_reason: ClosureReason | None = None
    closure_note: Text500 | None = None
    primary_coordinator_id: Id | None = None
    version: Version | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status_not_null(cls, value: object) -> object:
        return _not_null(value)


class ContactPointCreate(In):
    kind: ContactKind
    value: ContactValue
    label: Label = ""
    is_preferred: bool = False
    may_leave_voicemail: bool = False
    may_text: bool = False
    safe_hours_start: LocalTime = None
    safe_hours_end: LocalTime = None
    best_times: Text200 = ""
    never_contact_times: Text200 = ""
    safety_note: Text500 = ""


class ContactPointPatch(In):
    kind: ContactKind | None = None
    value: ContactValue | None = None
    label: Label | None = None
    is_preferred: bool | None = None
    may_leave_voicemail: bool | None = None
    may_text: bool | None = None
    safe_hours_start: LocalTime = None
    safe_hours_end: LocalTime = None
    best_times: Text200 | None = None
    never_contact_times: Text200 | None = None
    safety_note: Text500 | None = None
    version: Version | None = None

    @field_validator("kind", "is_preferred", "may_leave_voicemail", "may_text", mode="before")
    @classmethod
    def _flags_not_null(cls, value: object) -> object:
        return _not_null(value)


# --- outputs --------------------------------------------------------------------------


class LanguageOut(BaseModel):
    language: str
    name: str
    is_preferred: bool
    interpreter_needed: bool


class PersonOut(BaseModel):
    id: int
    display_name: str = Field(description="Preferred (or legal) first name and family name.")
    preferred_name: str
    pronouns: str
    legal_given_name: str
    legal_family_name: str
    date_of_birth: dt.date | None
    sex: str
    gender_identity: str
    organization_id: int
    languages: list[LanguageOut]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class RestrictedNoteOut(BaseModel):
    """An approach-with-care note the reader may not read: that one exists, and whom to
    speak with first."""

    restricted: Literal[True]
    reason: str = Field(description='Always "Details restricted to the care team."')
    notice: str = Field(
        description='e.g. "Approach with care — speak with Rosa’s coordinator before raising '
        'personal topics"'
    )


class ProfileOut(BaseModel):
    person_id: int
    appreciated: str
    important_to: str
    important_for: str
    how_to_support: str
    strengths: str
    hopes: str
    want_to_change: str
    culture_identity: str
    stress_helps: str
    approach_with_care: str | RestrictedNoteOut = Field(
        description="Notes the person chose to share, for their care team. Everyone else "
        "who sees the person gets a restricted marker with a notice when there is a note, "
        "and an empty string when there is none."
    )
    version: int
    updated_at: dt.datetime | None


class StaffOut(BaseModel):
    id: int
    name: str
    pronouns: str


class EnrollmentOut(BaseModel):
    id: int
    person_id: int
    program_id: int
    program_name: str
    status: str
    referred_on: dt.date | None
    started_on: dt.date | None
    ended_on: dt.date | None
    closure_reason: str
    closure_note: str
    primary_coordinator: StaffOut | None
    version: int
    created_at: dt.datetime


class ContactPointOut(BaseModel):
    id: int
    person_id: int
    kind: str
    label: str
    value: str
    normalized: str
    is_preferred: bool
    may_leave_voicemail: bool
    may_text: bool
    safe_hours_start: dt.time | None
    safe_hours_end: dt.time | None
    best_times: str
    never_contact_times: str
    safety_note: str
    version: int


class PersonDetailOut(PersonOut):
    profile: ProfileOut
    enrollments: list[EnrollmentOut]
    contact_points: list[ContactPointOut]


class PersonPage(BaseModel):
    count: int = Field(description="How many people match, in all pages.")
    limit: int
    offset: int
    results: list[PersonOut]


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, list[str]] = Field(
        description="For invalid input: messages by field name (`__all__` for the whole request)."
    )
    current_version: int | None = Field(None, description="Sent with 409 stale_version.")


class ErrorOut(BaseModel):
    error: ErrorDetail
