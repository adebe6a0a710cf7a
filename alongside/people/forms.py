"""Forms for a person's record. They validate shape; services validate rules and save."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.lib import form_fields
from alongside.organizations.models import Program
from alongside.people.models import (
    CHANNELS,
    PROFILE_FIELDS,
    ContactPoint,
    Enrollment,
    Identifier,
    Person,
    PersonLanguage,
    Profile,
    SupportContact,
)
from alongside.people.registration import Reach
from alongside.people.services import (
    CONTACT_FIELDS,
    ENROLLMENT_FIELDS,
    IDENTIFIER_FIELDS,
    PERSON_FIELDS,
    PROFILE_EDITABLE,
    SUPPORT_FIELDS,
)
from alongside.people.timeline import TimelineFilter, decode_cursor, period

REACH_FIELDS = tuple(f.name for f in fields(Reach))

PRONOUN_SUGGESTIONS = ["she/her", "he/him", "they/them", "she/they", "he/they", "ze/zir"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


class OwnWordsField(forms.CharField):
    """The person's own words: kept exactly as written, spaces and all. Only the line
    endings browsers send (CRLF) become plain newlines, so the same words typed in a form
    or sent through the API are stored alike."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(strip=False, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")


class VersionedForm(forms.ModelForm):
    """Carries the version the user started from, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class PersonForm(VersionedForm):
    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        labels = {
            "preferred_name": _("Preferred name"),
            "pronouns": _("Pronouns"),
            "date_of_birth": _("Date of birth"),
            "gender_identity": _("Gender identity"),
            "time_zone": _("Time zone"),
        }
        widgets = {
            "date_of_birth": DateInput(),
            "pronouns": forms.TextInput(attrs={"list": "pronoun-suggestions"}),
        }
        field_classes = {"date_of_birth": form_fields.DateField}
        help_texts = {
            "preferred_name": _("The name the person wants to be called. Shown everywhere."),
            "pronouns": _("As the person says them, e.g. she/her, they/them."),
            "sex": _("Optional."),
            "gender_identity": _("Optional, in the person's own words."),
            "time_zone": _(
                "Such as America/Chicago. Blank for the organization's time zone; "
                "contact windows are read in it."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date_field = self.fields["date_of_birth"]
        assert isinstance(date_field, forms.DateField)
        date_field.input_formats = ["%Y-%m-%d", "%m/%d/%Y"]


class PersonCreateForm(PersonForm):
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        help_text=_("The program the person is referred to. Its staff will see the record."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("Optional. No voicemail and no texts until the person says yes."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("Optional."),
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )
    identifier_kind = forms.ChoiceField(
        label=_("Identifier type"),
        required=False,
        choices=[("", _("No identifier")), *Identifier.Kind.choices],
        help_text=_("Optional: a Medicaid ID, medical record number or another ID."),
    )
    identifier_issuer = forms.CharField(
        label=_("Issued by"),
        required=False,
        max_length=150,
        help_text=_("Who assigned it, e.g. NY Medicaid or the hospital."),
    )
    identifier_value = forms.CharField(label=_("Identifier"), required=False, max_length=64)
    important_to = OwnWordsField(
        label=_("What is important TO me"),
        required=False,
        help_text=_("In the person's own words."),
    )
    approach_with_care = OwnWordsField(
        label=_("Approach with care"),
        required=False,
        help_text=_(
            "Anything the person chose to share that is hard for them. "
            "Shown only to their care team, before contact."
        ),
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        if programs.count() == 1:
            self.fields["program"].initial = programs.first()

    def reach(self) -> Reach:
        """The phone, email and identifier typed, for `services.person_create`."""
        return Reach(**{name: self.cleaned_data[name] for name in REACH_FIELDS})


class ProfileForm(VersionedForm):
    class Meta:
        model = Profile
        fields = list(PROFILE_EDITABLE)
        labels = dict(PROFILE_FIELDS) | {"approach_with_care": _("Approach with care")}
        help_texts = {
            "approach_with_care": _(
                "Topics or situations that are hard for the person, as they "
                "chose to share them. Shown only to their care team, before contact."
            ),
        }
        field_classes = dict.fromkeys(PROFILE_EDITABLE, OwnWordsField)

    def __init__(self, *args: Any, show_care_notes: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_care_notes:
            del self.fields["approach_with_care"]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class ContactPointForm(VersionedForm):
    class Meta:
        model = ContactPoint
        fields = list(CONTACT_FIELDS)
        widgets = {
            "safe_hours_start": TimeInput(),
            "safe_hours_end": TimeInput(),
            "value": forms.TextInput(),
            **{
                f"{channel}_{end}": TimeInput() for channel in CHANNELS for end in ("from", "until")
            },
        }
        labels = {
            "kind": _("Kind"),
            "label": _("Label"),
            "value": _("Phone number, email or address"),
            "may_call": _("We may call"),
            "may_leave_voicemail": _("We may leave a voicemail"),
            "may_text": _("We may send text messages"),
            "may_email": _("We may send emails"),
            "voice_reason": _("Why not call (if not)"),
            "voicemail_reason": _("Why no voicemail (if not)"),
            "text_reason": _("Why no texts (if not)"),
            "email_reason": _("Why no emails (if not), e.g. shared account"),
            "voice_from": _("Calls only from"),
            "voice_until": _("Calls only until"),
            "voicemail_from": _("Voicemails only from"),
            "voicemail_until": _("Voicemails only until"),
            "text_from": _("Texts only from"),
            "text_until": _("Texts only until"),
            "email_from": _("Emails only from"),
            "email_until": _("Emails only until"),
            "safe_hours_start": _("Safe to contact from"),
            "safe_hours_end": _("Safe to contact until"),
            "best_times": _("Best times to reach them"),
            "never_contact_times": _("Never contact at these times"),
            "safety_note": _("Safety note"),
            "is_preferred": _("Preferred way to reach them"),
        }
        help_texts = {
            "safety_note": _(
                "In the person's words, e.g. “Use the work phone only”. It must "
                "agree with the boxes above: a note that says no texts, no voicemail or do not "
                "call is not saved while those are allowed."
            ),
            "safe_hours_start": _("For every channel, in the person's time zone."),
            "text_from": _("In the person's time zone, e.g. 18:00 for “texts only after 6 pm”."),
        }


class SupportContactForm(VersionedForm):
    class Meta:
        model = SupportContact
        fields = list(SUPPORT_FIELDS)
        labels = {
            "name": _("Name"),
            "relationship": _("Relationship"),
            "relationship_detail": _("Relationship detail"),
            "phone": _("Phone"),
            "email": _("Email"),
            "note": _("Note"),
        }


class IdentifierForm(forms.ModelForm):
    class Meta:
        model = Identifier
        fields = list(IDENTIFIER_FIELDS)
        labels = {"kind": _("Kind"), "issuer": _("Issued by"), "value": _("Identifier")}


class LanguageForm(forms.ModelForm):
    class Meta:
        model = PersonLanguage
        fields = ["language", "is_preferred", "interpreter_needed"]
        labels = {
            "language": _("Language"),
            "is_preferred": _("Preferred language"),
            "interpreter_needed": _("Needs an interpreter"),
        }


class EnrollmentForm(VersionedForm):
    class Meta:
        model = Enrollment
        fields = list(ENROLLMENT_FIELDS)
        labels = {
            "status": _("Status"),
            "referred_on": _("Referred on"),
            "started_on": _("Started on"),
            "ended_on": _("Ended on"),
            "closure_reason": _("Closure reason"),
            "closure_note": _("Closure note"),
            "primary_coordinator": _("Primary coordinator"),
        }
        widgets = {
            "referred_on": DateInput(),
            "started_on": DateInput(),
            "ended_on": DateInput(),
        }
        field_classes = dict.fromkeys(
            ["referred_on", "started_on", "ended_on"], form_fields.DateField
        )
        help_texts = {"closure_reason": _("Needed when the status is Closed.")}

    def __init__(self, *args: Any, coordinators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_coordinator"].queryset = coordinators  # type: ignore[attr-defined]
        if not self.instance.closed_by_merge:  # only a merge closes for that reason
            reason: Any = self.fields["closure_reason"]
            reason.choices = [
                (value, label)
                for value, label in reason.choices
                if value != Enrollment.ClosureReason.MERGED
            ]


class EnrollmentCreateForm(EnrollmentForm):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=_("Search"))


@dataclass(frozen=True)
class FilterField:
    """A filter as the timeline page writes it by hand: a select's `options` (value,
    label, chosen), or else a date input with its `value`."""

    id: str
    name: str
    label: str
    errors: list[str]
    value: str
    options: list[tuple[str, str, bool]] | None


# The journey's kind groups (`TimelineKind.group`) as its kind filter offers them.
GROUP_LABELS = {
    "appointments": _("Appointments"),
    "encounters": _("Encounters"),
    "enrollments": _("Enrollments"),
    "messages": _("Messages"),
    "notes": _("Notes"),
    "plans": _("Plans"),
    "records": _("Records"),
    "screenings": _("Screenings"),
    "tasks": _("Tasks"),
    "urgent flags": _("Urgent flags"),
}


class TimelineFilterForm(forms.Form):
    """The journey timeline's filters (kind group, program, period) and the cursor of
    the page after which to read."""

    group = forms.ChoiceField(label=_("Kind"), required=False)
    program = forms.TypedChoiceField(label=_("Program"), required=False, coerce=int)
    # Every day there is, 0001-01-01 to 9999-12-31: the timeline reads them safely.
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())
    cursor = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, groups: list[str], programs: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = [
            ("", _("Every kind")),
            *((g, GROUP_LABELS.get(g, g.capitalize())) for g in groups),
        ]
        cast(forms.ChoiceField, self.fields["program"]).choices = [
            ("", _("Every program")),
            *programs,
        ]

    def shown(self) -> list[FilterField]:
        """The visible filters as the page writes them: the same markup as Django's
        widgets, without a widget template per field and per option (the page is read
        often, and these were a fifth of its rendering)."""
        shown = []
        for bound in self.visible_fields():
            value = bound.field.widget.format_value(bound.value())
            options = None
            if isinstance(bound.field, forms.ChoiceField):
                # A select's format_value is the list of its chosen values, as strings.
                options = [
                    (str(v), str(label), str(v) in value)
                    for v, label in cast(list[tuple[Any, Any]], bound.field.choices)
                ]
            shown.append(
                FilterField(
                    id=bound.auto_id,
                    name=bound.html_name,
                    label=str(bound.label),
                    errors=[str(e) for e in bound.errors],
                    value="" if value is None or options is not None else str(value),
                    options=options,
                )
            )
        return shown

    def clean_cursor(self) -> str:
        cursor: str = self.cleaned_data["cursor"]
        if cursor:
            try:
                decode_cursor(cursor)
            except ValueError as error:
                raise forms.ValidationError(str(error), code="invalid") from None
        return cursor

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period must be on or after its start."))
        return data

    def chosen(self) -> TimelineFilter:
        data = self.cleaned_data
        since, until = period(data.get("since"), data.get("until"))
        return TimelineFilter(
            groups=(data["group"],) if data.get("group") else (),
            program_id=data.get("program") or None,
            since=since,
            until=until,
        )

    def older_query(self, cursor: str) -> str:
        """The query string of the next page: these filters, after `cursor`."""
        params = {k: v for k, v in self.data.items() if k in self.fields and k != "cursor" and v}
        return urlencode({**params, "cursor": cursor})
