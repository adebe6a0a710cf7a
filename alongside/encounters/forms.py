"""Forms for encounters and notes. They validate shape; services validate rules and save."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from alongside.encounters.models import Encounter, NoteTemplateVersion
from alongside.encounters.services import ENCOUNTER_FIELDS, MAX_ADDENDUM
from alongside.lib import form_fields
from alongside.organizations.models import Program

OTHER_LINE = re.compile(r"^\s*(?P<name>[^()]+?)\s*(?:\((?P<relationship>[^()]*)\))?\s*$")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EncounterForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of encounter"), choices=Encounter.Kind.choices)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    started_at = form_fields.DateTimeField(label=_("Started"), widget=DateTimeInput())
    ended_at = form_fields.DateTimeField(label=_("Ended"), required=False, widget=DateTimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        help_text=_("If you did not give an end time."),
    )
    modality = forms.ChoiceField(label=_("How"), choices=Encounter.Modality.choices)
    place = forms.CharField(label=_("Where"), required=False, max_length=200)
    person_present = forms.BooleanField(
        label=_("The person took part"), required=False, initial=True
    )
    staff = form_fields.ModelMultipleChoiceField(
        label=_("Staff who took part"), required=False, queryset=Program.objects.none()
    )
    others = forms.CharField(
        label=_("People who matter to them who took part"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, with how they are related: Ana Ruiz (sister)"),
    )
    summary = forms.CharField(
        label=_("What it was about, in a line"),
        required=False,
        max_length=300,
        help_text=_("Only the care team reads it on the journey timeline."),
    )

    def __init__(
        self, *args: Any, programs: QuerySet[Program], staff: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        if programs.count() == 1:
            self.fields["program"].initial = programs.first()

    def clean_others(self) -> list[dict[str, str]]:
        found = []
        for line in self.cleaned_data["others"].splitlines():
            if not line.strip():
                continue
            match = OTHER_LINE.match(line)
            if match is None:
                raise forms.ValidationError(_("Write each as: Name (relationship)"))
            found.append(
                {"name": match["name"], "relationship": (match["relationship"] or "").strip()}
            )
        return found

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ENCOUNTER_FIELDS}


class NoteStartForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=NoteTemplateVersion.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, versions: list[NoteTemplateVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        field.queryset = NoteTemplateVersion.objects.filter(  # type: ignore[attr-defined]
            pk__in=[v.pk for v in versions]
        ).select_related("template")
        field.label_from_instance = lambda v: v.template.name  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    """A draft's sections, as its template version says, and the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, sections: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[f"s_{section['key']}"] = forms.CharField(
                label=section["title"],
                help_text=section.get("prompt", ""),
                required=False,
                strip=False,  # the person's words, exactly as written
                widget=forms.Textarea(attrs={"rows": 4, "data-section": section["key"]}),
            )

    def content(self) -> dict[str, str]:
        return {
            name.removeprefix("s_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("s_")
        }


class AddendumForm(forms.Form):
    content = forms.CharField(
        label=_("Addendum"),
        max_length=MAX_ADDENDUM,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Signed when you add it, and never changed after."),
    )


class NoteSettingsForm(forms.Form):
    """How one program's notes are signed (`NoteSettings`), on the organization admin's page."""

    requires_cosignature = forms.BooleanField(
        label=_("A supervisor of the program co-signs each note after its author signs it"),
        required=False,
        help_text=_("Notes signed before a change keep what they needed when they were signed."),
    )
