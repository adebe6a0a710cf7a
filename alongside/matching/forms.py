from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.matching.services import MAX_REASON
from alongside.people.models import Person

SHOW_CHOICES = [
    ("open", "All not yet reviewed"),
    ("likely", "Likely the same person"),
    ("possible", "Possibly the same person"),
    ("reviewed", "Reviewed: not the same person"),
]


class ShowForm(forms.Form):
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False)


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(
        label="Which record stays?",
        coerce=int,
        widget=forms.RadioSelect,
        help_text="The other record's details move onto it and it is then hidden (not "
        "deleted); the merge can be undone.",
    )
    reason = forms.CharField(
        label="Why are these the same person?",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the record, e.g. 'Same person: confirmed date of birth and phone "
        "with her at intake.'",
    )
    confirm = forms.BooleanField(
        label="I have checked that these two records are the same person.",
        error_messages={"required": "Confirm that you checked these are the same person."},
    )

    def __init__(self, *args: Any, people: tuple[Person, Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"Record #{p.pk}: {p.display_name}") for p in people
        ]
        self.fields["survivor"].initial = min(p.pk for p in people)

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("Say why, for the record.")
        return reason


class UndoForm(forms.Form):
    undo_reason = forms.CharField(
        label=_("Why undo this merge?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the record, e.g. 'Two brothers with the same name and birthday.'"),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)", max_length=500, required=False, widget=forms.TextInput
    )
