"""The form for recording what was done about an urgent flag. A page may show several
open flags, so each form takes its flag's prefix (`flag-<id>`) and its ids stay unique."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.intake.models import UrgentFlagAction


class FlagActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What did you do?"),
        choices=UrgentFlagAction.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("“Tried, but could not reach them” keeps the result open for the team."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed if you could not reach them or did something else: who you tried and "
            "how, or what you did."
        ),
    )

    def __init__(self, data: Any = None, *, flag_pk: int) -> None:
        super().__init__(data, prefix=f"flag-{flag_pk}")
