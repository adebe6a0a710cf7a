"""Forms for an organization's settings, programs and locations, and the staff filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.organizations.models import Location, Organization, Program
from alongside.organizations.services import (
    LOCATION_FIELDS,
    ORGANIZATION_FIELDS,
    PROGRAM_FIELDS,
    check_organization_name,
)


class _ChangesMixin:
    cleaned_data: dict[str, Any]
    _meta: Any

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class OrganizationForm(_ChangesMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)
        labels = {
            "name": _("Organization name"),
            "person_label": _("The word for the people you serve"),
            "country": _("Country"),
            "subdivision": _("State, province or region"),
            "time_zone": _("Time zone"),
            "allow_unvalidated_translations": _(
                "Offer screenings in translations that are not validated on the person’s own screen"
            ),
        }
        help_texts = {
            "country": _(
                "Two letters, such as US or CA: whose public holidays are not "
                "business days for follow-up deadlines."
            ),
            "subdivision": _("Optional. Its code, such as NY, for regional holidays."),
            "time_zone": _("Such as America/New_York: when the day starts and ends."),
            "person_label": _(
                "Used across the interface, e.g. “Find a client”. "
                "Alongside says “person” unless you choose otherwise."
            ),
            "allow_unvalidated_translations": _(
                "Some screenings’ translations are not their "
                "authors’ published wording (staff see “translation not validated”). A person "
                "answering on their own cannot ask what a question means, so by default those "
                "screenings are offered to them only in English; staff can still ask them in "
                "the translation."
            ),
        }
        widgets = {"person_label": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out, they stay as they are (the settings form predates them).
        self.fields["country"].required = False
        self.fields["time_zone"].required = False

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        check_organization_name(name, exclude_pk=self.instance.pk)
        return name

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country") or self.instance.country)

    def clean_time_zone(self) -> str:
        return str(self.cleaned_data.get("time_zone") or self.instance.time_zone)

    def clean_subdivision(self) -> str:
        if "subdivision" not in self.data:
            return str(self.instance.subdivision)
        return str(self.cleaned_data.get("subdivision") or "")


class ProgramForm(_ChangesMixin, forms.ModelForm):
    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)
        labels = {"name": _("Program name")}
        help_texts = {"description": _("Optional. What the program offers and who it is for.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LocationForm(_ChangesMixin, forms.ModelForm):
    class Meta:
        model = Location
        fields = list(LOCATION_FIELDS)
        labels = {"name": _("Location name")}
        help_texts = {
            "address": _("Optional. As it should appear on appointment reminders."),
            "phone": _("Optional. The front desk's number."),
            "time_zone": _(
                "Optional. Its opening hours and appointments are in this zone "
                "(e.g. America/Chicago); empty follows the organization's."
            ),
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }


class StaffFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Find staff"),
        required=False,
        max_length=150,
        help_text=_("Name, username or email"),
    )
    status = forms.ChoiceField(
        label=_("Accounts"),
        required=False,
        choices=[
            ("", pgettext_lazy("accounts", "All")),
            ("active", pgettext_lazy("accounts", "Active")),
            ("inactive", pgettext_lazy("accounts", "Deactivated")),
        ],
    )
