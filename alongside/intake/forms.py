"""Forms of the instrument builder. Each turns what an admin typed into a piece of a
definition; the service then validates the whole definition. Here: the instrument's
details, creating and importing one, and its items; scores and rules are `rule_forms`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from alongside.intake import drafting
from alongside.intake.definitions import can_decline
from alongside.lib.json_input import JsonInputError, json_loads

TYPE_CHOICES = [
    ("choice", "Choose one answer from a list"),
    ("boolean", "Yes or no"),
    ("integer", "A whole number"),
    ("text", "Text"),
]
ALWAYS = ""
KEEP = "keep"
MAX_UPLOAD = 1_000_000


def shortened(text: str, length: int = 70) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _answers(entry: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """The answers of a choice or yes/no question, as (value, words)."""
    if entry.get("type") == "boolean":
        return [(True, "Yes"), (False, "No")]
    return [(o.get("code"), o.get("display", "")) for o in entry.get("options", [])]


def _when_choices(earlier: Sequence[Mapping[str, Any]]) -> list[Any]:
    choices: list[Any] = [(ALWAYS, "Always")]
    for number, entry in enumerate(earlier, start=1):
        if entry.get("type") not in ("choice", "boolean"):
            continue
        group = f"{number}. {shortened(str(entry.get('text', '')))}"
        choices.append(
            (
                group,
                [
                    (json.dumps([entry["link_id"], value]), f"the answer is “{words}”")
                    for value, words in _answers(entry)
                ],
            )
        )
    return choices


def describe_condition(condition: Mapping[str, Any]) -> str:
    answer = condition.get("answer")
    return f"{condition.get('question')} {condition.get('operator')} {json.dumps(answer)}"


class ItemForm(forms.Form):
    text = forms.CharField(
        label="Question", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    type = forms.ChoiceField(label="Kind of answer", choices=TYPE_CHOICES, initial="choice")
    link_id = forms.CharField(
        label="Question code",
        required=False,
        max_length=100,
        help_text="Optional: a LOINC code or a short name. Left blank, one is made up "
        "(q1, q2…). Answers and rules refer to it, so it cannot change once saved.",
    )
    required = forms.BooleanField(
        label="An answer is required before the screening can be finished", required=False
    )
    allow_decline = forms.BooleanField(
        label="Offer “Prefer not to answer”", required=False, initial=True
    )
    sensitive = forms.BooleanField(
        label="Sensitive: only the person's care team sees the answer", required=False
    )
    min = forms.IntegerField(label="Smallest number allowed", required=False)
    max = forms.IntegerField(label="Largest number allowed", required=False)
    when = forms.ChoiceField(label="Ask this question", required=False)
    when_operator = forms.ChoiceField(
        label="Condition",
        choices=[("=", "only when"), ("!=", "only when not")],
        initial="=",
        required=False,
        widget=forms.RadioSelect,
    )
    text_es = forms.CharField(
        label="Question in Spanish",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "es"}),
        help_text="Optional. Untranslated questions are shown in English.",
    )

    def __init__(
        self,
        *args: Any,
        definition: Mapping[str, Any],
        existing: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.definition = definition
        self.existing = dict(existing) if existing else None
        items = list(definition.get("items", []))
        if self.existing is not None:
            position = [i.get("link_id") for i in items].index(self.existing["link_id"])
            earlier = items[:position]
            kwargs.setdefault("initial", self._initial(self.existing))
        else:
            earlier = items
        super().__init__(*args, **kwargs)
        choices = _when_choices(earlier)
        conditions = (self.existing or {}).get("enable_when") or []
        if conditions and self.initial.get("when") == KEEP:
            summary = "; ".join(describe_condition(c) for c in conditions)
            choices.insert(1, (KEEP, f"Keep the current condition ({shortened(summary, 90)})"))
        self.fields["when"].choices = choices  # type: ignore[attr-defined]
        if self.existing is not None:
            self.fields["link_id"].disabled = True
            self.fields["link_id"].help_text = "Answers and rules refer to it, so it is fixed."

    def _initial(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "text": entry.get("text", ""),
            "type": entry.get("type"),
            "link_id": entry.get("link_id"),
            "required": bool(entry.get("required")),
            "sensitive": bool(entry.get("sensitive")),
            "allow_decline": can_decline(self.definition, entry),
            "min": entry.get("min"),
            "max": entry.get("max"),
            "text_es": drafting.item_translation(self.definition, entry["link_id"]).get("text", ""),
            "when": ALWAYS,
            "when_operator": "=",
        }
        conditions = entry.get("enable_when") or []
        if len(conditions) == 1 and conditions[0].get("operator") in ("=", "!="):
            condition = conditions[0]
            initial["when"] = json.dumps([condition.get("question"), condition.get("answer")])
            initial["when_operator"] = condition["operator"]
        elif conditions:
            initial["when"] = KEEP
        return initial

    def clean_link_id(self) -> str:
        if self.existing is not None:
            return str(self.existing["link_id"])
        link_id: str = self.cleaned_data["link_id"].strip()
        if not link_id:
            return drafting.new_link_id(self.definition)
        if not drafting.LINK_ID.match(link_id):
            raise ValidationError(
                "Use letters, digits, dots, dashes and underscores only, starting with a "
                "letter or digit."
            )
        if any(i.get("link_id") == link_id for i in self.definition.get("items", [])):
            raise ValidationError("Another question already has this code.")
        return link_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min"), data.get("max")
        if data.get("type") == "integer" and low is not None and high is not None and low > high:
            self.add_error("max", "The largest number must not be below the smallest.")
        return data

    def item(self, options: list[dict[str, Any]]) -> dict[str, Any]:
        """The item as the definition stores it, keeping anything the builder does not
        show (a LOINC code, an unusual condition)."""
        data = self.cleaned_data
        entry: dict[str, Any] = dict(self.existing or {})
        for key in ("options", "min", "max", "allow_decline"):
            entry.pop(key, None)
        kind = data["type"]
        entry.update(
            link_id=data["link_id"],
            text=data["text"].strip(),
            type=kind,
            required=data["required"],
            sensitive=data["sensitive"],
        )
        if not data["allow_decline"]:
            entry["allow_decline"] = False
        if kind == "choice":
            entry["options"] = options
        if kind == "integer":
            for bound in ("min", "max"):
                if data.get(bound) is not None:
                    entry[bound] = data[bound]
        when = data.get("when") or ALWAYS
        if when == ALWAYS:
            entry.pop("enable_when", None)
            entry.pop("enable_behavior", None)
        elif when != KEEP:
            question, answer = json.loads(when)
            entry["enable_when"] = [
                {
                    "question": question,
                    "operator": data.get("when_operator") or "=",
                    "answer": answer,
                }
            ]
            entry.pop("enable_behavior", None)
        return entry


class OptionForm(forms.Form):
    display = forms.CharField(label="Answer", required=False, max_length=300)
    code = forms.CharField(
        label="Code",
        required=False,
        max_length=100,
        help_text="Left blank, made from the answer.",
    )
    value = forms.IntegerField(label="Score", required=False, help_text="For scores.")
    display_es = forms.CharField(
        label="Answer in Spanish",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"lang": "es"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        blank = not data.get("DELETE") and not (data.get("display") or "").strip()
        if blank and ((data.get("code") or "").strip() or data.get("value") is not None):
            self.add_error("display", "Enter the answer's words, or tick Remove.")
        return data


OptionFormSet = forms.formset_factory(OptionForm, extra=3, can_delete=True)


def option_initial(definition: Mapping[str, Any], entry: Mapping[str, Any] | None) -> list[Any]:
    if not entry:
        return []
    words = drafting.item_translation(definition, entry["link_id"]).get("options", {})
    return [
        {
            "display": o.get("display", ""),
            "code": o.get("code", ""),
            "value": o.get("value"),
            "display_es": words.get(o.get("code"), ""),
        }
        for o in entry.get("options", [])
    ]


def options_from(
    formset: Any, existing: Mapping[str, Any] | None
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The options as the definition stores them (codes made up where blank, anything
    else an option had kept), and their Spanish words by code."""
    previous = {o.get("code"): o for o in (existing or {}).get("options", [])}
    rows = [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data
        and not f.cleaned_data.get("DELETE")
        and (f.cleaned_data.get("display") or "").strip()
    ]
    taken = {(r.get("code") or "").strip() for r in rows} - {""}
    options, spanish = [], {}
    for row in rows:
        display = row["display"].strip()
        code = (row.get("code") or "").strip()
        if not code:
            code = drafting.new_option_code(display, taken)
            taken.add(code)
        option = {k: v for k, v in previous.get(code, {}).items() if k == "system"}
        option.update(code=code, display=display)
        if row.get("value") is not None:
            option["value"] = row["value"]
        options.append(option)
        if (row.get("display_es") or "").strip():
            spanish[code] = row["display_es"].strip()
    return options, spanish


class DetailsForm(forms.Form):
    title = forms.CharField(label="Name", max_length=200)
    title_es = forms.CharField(
        label="Name in Spanish",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"lang": "es"}),
    )
    publisher = forms.CharField(label="Publisher", required=False, max_length=200)
    citation = forms.CharField(
        label="Source",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the questions and scoring come from.",
    )
    sensitive = forms.BooleanField(
        label="Every answer is sensitive (behavioral health, substance use, trauma, safety)",
        required=False,
        help_text="Then only the person's care team asks it and sees its answers and scores; "
        "schedulers and staff outside the care team are told they are restricted.",
    )

    def __init__(self, *args: Any, sensitive_by_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sensitive_by_code:
            field = self.fields["sensitive"]
            field.disabled = True
            field.initial = True
            field.help_text = (
                "Always, for this instrument: its LOINC code is that of a behavioral-health "
                "screening (PHQ-2, PHQ-9 or GAD-7)."
            )


class CreateForm(forms.Form):
    title = forms.CharField(label="Name of the instrument", max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="FHIR Questionnaire (JSON file)",
        help_text="A FHIR R4 Questionnaire resource, as exported from Alongside or another "
        "system. It becomes a draft you can review before publishing.",
    )

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError("The file is larger than 1 MB; is it a single Questionnaire?")
        try:
            data = json_loads(upload.read().decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ValidationError(f"The file is not valid JSON ({error}).") from error
        except JsonInputError as error:
            raise ValidationError(
                f"The file is not valid JSON ({error})."
                if error.syntax
                else f"The file cannot be imported: {error}"
            ) from error
        if not isinstance(data, dict):
            raise ValidationError("The file must hold one JSON object, a FHIR Questionnaire.")
        kind = data.get("resourceType")
        if kind != "Questionnaire":
            raise ValidationError(
                f"The file holds a FHIR {kind!s} resource, not a Questionnaire."
                if kind
                else "The file has no resourceType; it is not a FHIR resource."
            )
        return data
