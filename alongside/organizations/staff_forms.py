"""Forms for staff accounts and roles. They check shape; services check rules and save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Role, User
from alongside.organizations.models import Program
from alongside.organizations.staff import STAFF_EDITABLE, STAFF_FIELDS

ROLE_HELP = {
    Role.COORDINATOR: _("works with people in the program and coordinates their care"),
    Role.CASE_MANAGER: _("works with people in the program on services and benefits"),
    Role.NAVIGATOR: _("guides people at higher risk through the program"),
    Role.CLINICIAN: _("provides clinical care in the program"),
    Role.SUPERVISOR: _("oversees the program's staff, sees who accessed records, exports"),
    Role.SCHEDULER: _("books and changes appointments for the program"),
    Role.ORG_ADMIN: _("manages this organization's settings, programs, staff and audit trail"),
}


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, f"{role.label} — {ROLE_HELP[role]}") for role in Role]


def _set_choices(form: forms.BaseForm, programs: Any) -> None:
    cast(forms.ChoiceField, form.fields["role"]).choices = role_choices()
    cast(forms.ModelChoiceField, form.fields["program"]).queryset = programs


class StaffForm(forms.ModelForm):
    """An account's details as colleagues and the people served see them."""

    class Meta:
        model = User
        fields = list(STAFF_EDITABLE)
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "display_name": _("Name shown to others"),
            "email": _("Email"),
        }
        help_texts = {
            "display_name": _(
                "Optional. How they like to be named, if not their first and last name."
            ),
            "pronouns": _("Optional, as they say them, e.g. she/her, they/them."),
            "email": _("Sign-in links are sent here."),
        }
        widgets = {"pronouns": forms.TextInput(attrs={"list": "pronoun-suggestions"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in STAFF_EDITABLE}


class StaffCreateForm(StaffForm):
    """A new account with its first role. No password: they choose it from an email."""

    role = forms.ChoiceField(label=_("First role"), choices=(), widget=forms.RadioSelect)
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("Choose a program"),
        help_text=_("Needed for every role except organization admin."),
    )

    class Meta(StaffForm.Meta):
        fields = list(STAFF_FIELDS)
        help_texts = StaffForm.Meta.help_texts | {
            "username": _(
                "Used to sign in. Letters, digits and @ . + - _ only. It cannot be changed later."
            ),
        }

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, programs)
        self.order_fields([*STAFF_FIELDS, "role", "program"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("role")
            and cleaned["role"] != Role.ORG_ADMIN
            and not cleaned.get("program")
            and "program" not in self.errors
        ):
            self.add_error("program", _("Choose the program this role is in."))
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in STAFF_FIELDS}


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=(), widget=forms.RadioSelect)
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("Choose a program"),
        help_text=_("Needed for every role except organization admin."),
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, programs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("role")
            and cleaned["role"] != Role.ORG_ADMIN
            and not cleaned.get("program")
            and "program" not in self.errors
        ):
            self.add_error("program", _("Choose the program this role is in."))
        return cleaned
