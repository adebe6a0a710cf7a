"""Forms of the scheduling set-up screens. Each only reads and checks input; the
services in `configure.py` decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Role
from alongside.lib import form_fields
from alongside.lib.urls import MAX_ID
from alongside.scheduling.availability import at_local
from alongside.scheduling.forms import WEEKDAYS
from alongside.scheduling.models import AvailabilityChange, Modality, validate_time_zone
from alongside.scheduling.models.setup import all_modalities

# The roles' names as the set-up screens show them, in the active language (Role's own
# labels are not in the catalogs).
ROLE_WORDS = {
    Role.COORDINATOR: _("Care coordinator"),
    Role.CASE_MANAGER: _("Case manager"),
    Role.NAVIGATOR: _("Navigator"),
    Role.CLINICIAN: _("Clinician"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.SCHEDULER: _("Scheduler"),
}
DELIVERING_ROLES = [(r.value, ROLE_WORDS.get(r, r.label)) for r in Role if r != Role.ORG_ADMIN]


def _minutes(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, initial=0, min_value=0, max_value=600)


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID
    )


def _modalities(help_text: Any = "", required: bool = True) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Ways to meet"),
        required=required,
        choices=Modality.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"required": _("Choose at least one way to meet.")},
    )


def _time(label: Any) -> forms.TimeField:
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}))


def _zone() -> forms.CharField:
    return forms.CharField(
        label=_("Time zone"),
        max_length=60,
        validators=[validate_time_zone],
        help_text=_("The wall-clock times above are in this zone, e.g. America/New_York."),
    )


class AppointmentTypeForm(forms.Form):
    program: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Program"), queryset=None, empty_label=_("Choose a program")
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60
    )
    modalities = _modalities()
    roles = forms.MultipleChoiceField(
        label=_("Roles that can deliver it"),
        choices=DELIVERING_ROLES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: anyone in the program can."),
    )
    buffer_before_minutes = _minutes(_("Buffer before (minutes)"))
    buffer_after_minutes = _minutes(_("Buffer after (minutes)"))
    interpreter_needed = forms.BooleanField(
        label=_("Book an interpreter when the person needs one"), required=False, initial=True
    )
    is_group = forms.BooleanField(label=_("Group session"), required=False)
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=500,
        initial=1,
        help_text=_("For a group session: how many people it takes."),
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive"),
        required=False,
        help_text=_(
            "Its name says what the person is seen for: only their care team reads it; "
            "everyone else, and every message to the person, says “Appointment”."
        ),
    )
    is_active = forms.BooleanField(label=_("Offered for booking"), required=False, initial=True)
    version = _version()

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("is_group") and (data.get("capacity") or 1) > 1:
            self.add_error("capacity", _("Only a group session has more than one seat."))
        return data

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "program")}


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500, initial=2)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = _version()

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class OpeningHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int)
    opens = _time(_("Opens"))
    closes = _time(_("Closes"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("The closing time must be after the opening time."))
        return data


class PatternForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int)
    starts = _time(_("From"))
    ends = _time(_("Until"))
    time_zone = _zone()
    location: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Location"),
        queryset=None,
        required=False,
        empty_label=_("No fixed place (phone, video or home visits)"),
    )
    modalities = _modalities()
    valid_from = form_fields.DateField(
        label=_("Starting on"), widget=forms.DateInput({"type": "date"})
    )
    valid_until = form_fields.DateField(
        label=_("Ending on"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
        help_text=_("Leave empty while the pattern holds."),
    )
    is_walk_in = forms.BooleanField(label=_("Walk-in block"), required=False)
    version = _version()

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end must be after the start."))
        first, last = data.get("valid_from"), data.get("valid_until")
        if first and last and last < first:
            self.add_error("valid_until", _("The last day must not be before the first."))
        return data

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ChangeForm(forms.Form):
    """A one-off change, in local wall time: "time off 3 Mar 9:00 to 5 Mar 17:00"."""

    kind = forms.ChoiceField(
        label=_("What changes"), choices=AvailabilityChange.Kind.choices, widget=forms.RadioSelect
    )
    first_day = form_fields.DateField(label=_("From day"), widget=forms.DateInput({"type": "date"}))
    starts = _time(_("From time"))
    last_day = form_fields.DateField(label=_("Until day"), widget=forms.DateInput({"type": "date"}))
    ends = _time(_("Until time"))
    time_zone = _zone()
    location: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Location"),
        queryset=None,
        required=False,
        empty_label=_("No fixed place"),
        help_text=_("For extra availability: where."),
    )
    # Asked for extra availability only (clean); time off takes every way to meet.
    modalities = _modalities(help_text=_("For extra availability: how."), required=False)
    is_walk_in = forms.BooleanField(label=_("Walk-in block"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("first_day", "last_day"):
            day = data.get(name)
            if day and not dt.date(2000, 1, 1) <= day <= dt.date(9000, 1, 1):
                self.add_error(name, _("Give a date between the years 2000 and 9000."))
        names = ("first_day", "starts", "last_day", "ends", "time_zone")
        if all(data.get(n) for n in names):
            zone_name = data["time_zone"]
            data["starts_at"] = at_local(data["first_day"], data["starts"], zone_name)
            data["ends_at"] = at_local(data["last_day"], data["ends"], zone_name)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", _("The end must be after the start."))
        if not data.get("modalities"):
            if data.get("kind") == AvailabilityChange.Kind.ADDITION:
                self.add_error("modalities", _("Choose at least one way to meet."))
            else:
                data["modalities"] = all_modalities()
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            k: data[k]
            for k in (
                "kind",
                "starts_at",
                "ends_at",
                "time_zone",
                "location",
                "modalities",
                "is_walk_in",
                "reason",
            )
        }
