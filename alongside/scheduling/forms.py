"""Scheduling's forms. Each only reads and checks input; services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.lib import form_fields
from alongside.scheduling.availability import zone
from alongside.scheduling.models import Appointment, Modality, validate_time_zone

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
DAYS_MAX = 31


class PreferencesForm(forms.Form):
    """What works for the person; the find page prefills it from what is stored."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days that work"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    earliest = forms.TimeField(
        label=_("Not before"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    latest = forms.TimeField(
        label=_("Finished by"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    evenings_ok = forms.BooleanField(label=_("Evenings work"), required=False)
    weekends_ok = forms.BooleanField(label=_("Weekends work"), required=False)
    preferred_modality = forms.ChoiceField(
        label=_("Preferred way to meet"),
        choices=[("", _("No preference")), *Modality.choices],
        required=False,
    )
    location: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Preferred location"), queryset=None, required=False
    )
    travel_limit_minutes = forms.IntegerField(
        label=_("Longest trip (minutes)"), min_value=0, max_value=600, required=False
    )
    preferred_staff: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Preferred staff member"), queryset=None, required=False
    )
    time_zone = forms.CharField(
        label=_("Their time zone"), max_length=60, required=False, validators=[validate_time_zone]
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    language = forms.CharField(label=_("Language"), max_length=12, required=False)

    def __init__(self, *args: Any, locations: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        self.fields["preferred_staff"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("earliest") and data.get("latest") and data["latest"] <= data["earliest"]:
            self.add_error("latest", _("The end of the window must be after its start."))
        return data


FIRST_YEAR, LAST_YEAR = 2000, 9000


def in_years(value: dt.date) -> None:
    """A date or time well inside the calendar (as the API's year rule), so a search,
    a slot's end or a series' last date never runs past year 9999."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


in_years.bounds_years = True  # type: ignore[attr-defined]


class FindForm(PreferencesForm):
    appointment_type: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Appointment type"), queryset=None, empty_label=None
    )
    since = form_fields.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), validators=[in_years]
    )
    days = forms.IntegerField(
        label=_("Days to search"), min_value=1, max_value=DAYS_MAX, initial=14
    )
    modalities = forms.MultipleChoiceField(
        label=_("Only these ways to meet"),
        choices=Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    walk_in = forms.BooleanField(label=_("Include walk-in blocks"), required=False)

    def __init__(self, *args: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment_type"].queryset = types  # type: ignore[attr-defined]


class ChooseForm(forms.Form):
    """A slot chosen from a search: `slot` is Slot.key."""

    slot = forms.CharField(max_length=200, widget=forms.HiddenInput)
    appointment_type = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )

    def clean_slot(self) -> dict[str, Any]:
        parts = self.cleaned_data["slot"].split("|")
        try:
            staff, starts, modality, location, room = parts
            starts_at = dt.datetime.fromisoformat(starts)
            parsed = {
                "staff": int(staff),
                "starts_at": starts_at,
                "modality": Modality(modality).value,
                "location": int(location) if location else None,
                "room": int(room) if room else None,
            }
        except ValueError:
            raise ValidationError(_("Choose one of the times offered.")) from None
        ids = [parsed["staff"], parsed["location"], parsed["room"]]
        if timezone.is_naive(starts_at) or any(
            isinstance(v, int) and not 0 < v < 2**31 for v in ids
        ):
            raise ValidationError(_("Choose one of the times offered."))
        in_years(starts_at)
        return parsed


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.TextInput)
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )


class ConfirmForm(forms.Form):
    reason = forms.CharField(label=_("What it is for"), max_length=300, required=False)


class CancelForm(ReasonForm):
    by_person = forms.BooleanField(label=_("The person asked to cancel"), required=False)
    rest = forms.BooleanField(label=_("Also cancel the rest of the series"), required=False)


class MoveForm(ChooseForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    rest = forms.BooleanField(label=_("Move the rest of the series the same way"), required=False)


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Mark as"),
        choices=[
            (s.value, s.label)
            for s in (
                Appointment.Status.ARRIVED,
                Appointment.Status.COMPLETED,
                Appointment.Status.NO_SHOW,
                Appointment.Status.LATE_CANCELLED,
            )
        ],
    )
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )


class WaitlistForm(forms.Form):
    appointment_type: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Appointment type"), queryset=None, empty_label=None
    )
    staff: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Only with"), queryset=None, required=False, empty_label=_("Anyone")
    )
    current: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Sooner than"), queryset=None, required=False, empty_label=_("Any time that fits")
    )
    earliest = form_fields.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    latest = form_fields.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self, *args: Any, types: Any, staff: Any, appointments: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment_type"].queryset = types  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["current"].queryset = appointments  # type: ignore[attr-defined]


class SeriesForm(forms.Form):
    appointment_type: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Appointment type"), queryset=None, empty_label=None
    )
    staff: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("With"), queryset=None, empty_label=None
    )
    first = form_fields.DateTimeField(
        label=_("First appointment (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[in_years],
    )
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=60, validators=[validate_time_zone]
    )
    modality = forms.ChoiceField(label=_("Way to meet"), choices=Modality.choices)
    location: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Location"), queryset=None, required=False
    )
    rrule = forms.CharField(
        label=_("Repeats"),
        max_length=300,
        initial="FREQ=WEEKLY;COUNT=8",
        help_text=_(
            "An iCalendar repeat rule that ends, such as FREQ=WEEKLY;COUNT=8 (weekly, 8 times)."
        ),
    )
    reason = forms.CharField(label=_("What it is for"), max_length=300, required=False)

    def __init__(self, *args: Any, types: Any, staff: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment_type"].queryset = types  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]

    def first_aware(self) -> dt.datetime:
        """The first start read as wall time in the chosen zone (not the server's)."""
        first: dt.datetime = self.cleaned_data["first"]
        wall = timezone.make_naive(first) if timezone.is_aware(first) else first
        return wall.replace(tzinfo=zone(self.cleaned_data["time_zone"]))
