"""Shapes of what the API accepts and returns.

Inputs refuse unknown fields (a misspelt field is an error, not a silent no-op) and
enforce the model's lengths, so bad input is a 422 before it reaches a service. Text is
kept exactly as sent, except names and contact values, whose surrounding spaces are
trimmed as the web forms do. Outputs are plain pydantic models built by the functions in
`alongside.api.present`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    Strict,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import CoreSchema

from alongside.lib.json_input import text_problem


def _storable(value: str) -> str:
    """Refuse text no database can store: NUL characters and unpaired surrogates."""
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD text is a date (pydantic would also read 0, "0" or a midnight
    datetime as one, none of which the OpenAPI document allows)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("Give a date as YYYY-MM-DD, such as 1984-03-09.")
    if isinstance(value, (int, float)):
        raise ValueError("Give a date as YYYY-MM-DD text, such as 1984-03-09.")
    return value


def _local_time(value: dt.time | None) -> dt.time | None:
    if value is not None and value.tzinfo is not None:
        raise ValueError("Give a local time without a time zone, such as 09:30.")
    return value


class _Documented:
    """Says in the JSON schema what a validator checks in Python, with its own message:
    extra keywords (a pattern) for the OpenAPI document, not used to validate."""

    def __init__(self, **keywords: Any) -> None:
        self.keywords = keywords

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(core_schema), **self.keywords}


def _optional() -> Any:
    """A field a PATCH may leave out but not send as null (a validator refuses null)."""

    def no_default(schema: dict[str, Any]) -> None:
        schema.pop("default", None)

    return Field(default=None, json_schema_extra=no_default)


# What Python's str.strip() removes (str.isspace), spelled out so the pattern means the
# same in every regex dialect that reads the OpenAPI document.
_SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
STORABLE = _Documented(pattern=r"^[^\x00]*$")
NOT_BLANK = _Documented(pattern=rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$")
LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.,][0-9]+)?)?$"

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

MAX_ID = 2**63 - 1
MAX_TEXT = 20_000  # a profile section; the column is unbounded, the request is not

# Strict: a JSON number, not "5" or 5.0, as the document says.
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Strict(), Field(ge=1, le=MAX_ID, description="The version you read.")]
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=150),
    AfterValidator(_storable),
    STORABLE,
]
# The model refuses a blank legal first name.
GivenName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=150),
    AfterValidator(_storable),
    NOT_BLANK,
]
Pronouns = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=40),
    AfterValidator(_storable),
    STORABLE,
]
OwnWords100 = Annotated[str, StringConstraints(max_length=100), AfterValidator(_storable), STORABLE]
OwnWords = Annotated[
    str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_storable), STORABLE
]
Label = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=40),
    AfterValidator(_storable),
    STORABLE,
]
ContactValue = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=300),
    AfterValidator(_storable),
    STORABLE,
]
Text200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(_storable), STORABLE]
Text300 = Annotated[str, StringConstraints(max_length=300), AfterValidator(_storable), STORABLE]
Text500 = Annotated[str, StringConstraints(max_length=500), AfterValidator(_storable), STORABLE]
# An IANA time zone name; blank for the organization's (the service checks the name).
TimeZoneName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=60),
    AfterValidator(_storable),
    STORABLE,
]
# Text that must hold more than spaces (the service refuses a blank one with 422).
Written = Annotated[
    str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_storable), NOT_BLANK
]
# A local time of day: JSON Schema's `time` format would demand a UTC offset.
LocalTime = Annotated[
    dt.time | None,
    AfterValidator(_local_time),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": LOCAL_TIME, "examples": ["09:30"]},
                {"type": "null"},
            ]
        }
    ),
]
SearchQuery = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(_storable),
    STORABLE,
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
    legal_given_name: GivenName
    legal_family_name: Name = ""
    preferred_name: Name = ""
    pronouns: Pronouns = ""
    date_of_birth: Date | None = None
    sex: Sex = ""
    gender_identity: OwnWords100 = ""
    time_zone: TimeZoneName = ""
    primary_coordinator_id: Id | None = None
    profile: ProfileIn | None = None


class PersonPatch(In):
    legal_given_name: GivenName = _optional()
    legal_family_name: Name | None = None
    preferred_name: Name | None = None
    pronouns: Pronouns | None = None
    date_of_birth: Date | None = None
    sex: Sex | None = None
    gender_identity: OwnWords100 | None = None
    time_zone: TimeZoneName | None = None
    version: Version | None = None

    @field_validator("legal_given_name", mode="before")
    @classmethod
    def _name_not_null(cls, value: object) -> object:
        return _not_null(value)


class EnrollmentCreate(In):
    program_id: Id
    status: EnrollmentStatus = "referred"
    referred_on: Date | None = None
    started_on: Date | None = None
    ended_on: Date | None = None
    closure_reason: ClosureReason = ""
    closure_note: Text500 = ""
    primary_coordinator_id: Id | None = None


class EnrollmentPatch(In):
    status: EnrollmentStatus = _optional()
    referred_on: Date | None = None
    started_on: Date | None = None
    ended_on: Date | None = None
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
    is_preferred: StrictBool = False
    may_leave_voicemail: StrictBool = False
    may_text: StrictBool = False
    may_call: StrictBool = True
    may_email: StrictBool = False
    voice_reason: Text200 = ""
    voicemail_reason: Text200 = ""
    text_reason: Text200 = ""
    email_reason: Text200 = ""
    voice_from: LocalTime = None
    voice_until: LocalTime = None
    voicemail_from: LocalTime = None
    voicemail_until: LocalTime = None
    text_from: LocalTime = None
    text_until: LocalTime = None
    email_from: LocalTime = None
    email_until: LocalTime = None
    safe_hours_start: LocalTime = None
    safe_hours_end: LocalTime = None
    best_times: Text200 = ""
    never_contact_times: Text200 = ""
    safety_note: Text500 = ""


class ContactPointPatch(In):
    kind: ContactKind = _optional()
    value: ContactValue = _optional()
    label: Label | None = None
    is_preferred: StrictBool = _optional()
    may_leave_voicemail: StrictBool = _optional()
    may_text: StrictBool = _optional()
    may_call: StrictBool = _optional()
    may_email: StrictBool = _optional()
    voice_reason: Text200 | None = None
    voicemail_reason: Text200 | None = None
    text_reason: Text200 | None = None
    email_reason: Text200 | None = None
    voice_from: LocalTime = None
    voice_until: LocalTime = None
    voicemail_from: LocalTime = None
    voicemail_until: LocalTime = None
    text_from: LocalTime = None
    text_until: LocalTime = None
    email_from: LocalTime = None
    email_until: LocalTime = None
    safe_hours_start: LocalTime = None
    safe_hours_end: LocalTime = None
    best_times: Text200 | None = None
    never_contact_times: Text200 | None = None
    safety_note: Text500 | None = None
    version: Version | None = None

    @field_validator(
        "kind",
        "value",
        "is_preferred",
        "may_call",
        "may_leave_voicemail",
        "may_text",
        "may_email",
        mode="before",
    )
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
    time_zone: str = Field(description="Blank: the organization's time zone.")
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
    may_call: bool
    may_email: bool
    voice_reason: str
    voicemail_reason: str
    text_reason: str
    email_reason: str
    voice_from: LocalTime
    voice_until: LocalTime
    voicemail_from: LocalTime
    voicemail_until: LocalTime
    text_from: LocalTime
    text_until: LocalTime
    email_from: LocalTime
    email_until: LocalTime
    safe_hours_start: LocalTime
    safe_hours_end: LocalTime
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
    blocking: str | None = Field(
        None, description="Sent with 409 slot_taken: what took the slot (never who it is with)."
    )
    next_best: list[dict[str, Any]] | None = Field(
        None, description="Sent with 409 slot_taken: the next best slots, as `$find` gives them."
    )


class ErrorOut(BaseModel):
    error: ErrorDetail
