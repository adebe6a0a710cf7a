from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from alongside.lib import form_fields
from alongside.lib.urls import MAX_ID
from alongside.organizations.models import Program
from alongside.people.contributions import caseload_filters
from alongside.people.models import Enrollment
from alongside.worklist.caseload import CONTACT_CHOICES, Filters
from alongside.worklist.models import WorklistDecision


class DecisionForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    reason = forms.CharField(max_length=80, widget=forms.HiddenInput)
    item = forms.CharField(max_length=120, required=False, widget=forms.HiddenInput)
    covering_for = forms.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, widget=forms.HiddenInput
    )
    action = forms.ChoiceField(choices=WorklistDecision.Action.choices)
    until = form_fields.DateField(label=_("Bring back on"), required=False)
    note = forms.CharField(label=_("Why it can wait"), max_length=500, required=False)


class UndoForm(forms.Form):
    decision = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)


OPEN_STATUS_CHOICES = [("", _("Any open status"))] + [
    (s.value, s.label) for s in Enrollment.Status if s in Enrollment.OPEN_STATUSES
]


class CaseloadFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(), required=False, empty_label=_("All programs")
    )
    status = forms.ChoiceField(label=_("Status"), choices=OPEN_STATUS_CHOICES, required=False)
    contact = forms.ChoiceField(label=_("Last contact"), choices=CONTACT_CHOICES, required=False)

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = programs
        for contribution in caseload_filters:
            self.fields[contribution.param] = forms.ChoiceField(
                label=contribution.label,
                choices=[("", _("Any"))] + list(contribution.choices()),
                required=False,
            )

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            program=data["program"],
            status=data["status"],
            contact=data["contact"],
            contributed={f.key: data.get(f.param, "") for f in caseload_filters},
        )
