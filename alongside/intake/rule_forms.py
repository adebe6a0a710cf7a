"""Forms of the instrument builder for scores (with their bands) and rules (needs and
urgent flags, with their conditions). Like `forms`, each turns what an admin typed into
a piece of a definition; the service then validates the whole definition."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms

from alongside.intake.forms import shortened
from alongside.intake.models import Need


class ScoreForm(forms.Form):
    name = forms.CharField(
        label="Score name",
        max_length=60,
        help_text="Short, e.g. total. Needs and urgent rules refer to it.",
    )
    items = forms.MultipleChoiceField(
        label="Questions it adds up",
        widget=forms.CheckboxSelectMultiple,
        help_text="Choice questions (every answer needs a score) and number questions.",
    )

    def __init__(self, *args: Any, definition: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [  # type: ignore[attr-defined]
            (entry["link_id"], f"{number}. {shortened(str(entry.get('text', '')))}")
            for number, entry in enumerate(definition.get("items", []), start=1)
            if entry.get("type") in ("choice", "integer")
        ]

    def score(self, bands: list[dict[str, Any]], existing: Mapping[str, Any] | None) -> Any:
        score: dict[str, Any] = dict(existing or {})
        score.update(name=self.cleaned_data["name"].strip(), items=self.cleaned_data["items"])
        score["bands"] = bands
        if not bands:
            score.pop("bands")
        return score


class BandForm(forms.Form):
    min = forms.IntegerField(label="From", required=False)
    max = forms.IntegerField(label="To", required=False)
    label = forms.CharField(label="Label", required=False, max_length=60)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get("min") is not None, data.get("max") is not None, bool(data.get("label"))]
        if any(filled) and not all(filled) and not data.get("DELETE"):
            self.add_error(None, "A band needs a lowest score, a highest score and a label.")
        return data


BandFormSet = forms.formset_factory(BandForm, extra=3, can_delete=True)


def bands_from(formset: Any) -> list[dict[str, Any]]:
    return [
        {
            "min": f.cleaned_data["min"],
            "max": f.cleaned_data["max"],
            "label": f.cleaned_data["label"],
        }
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("label")
    ]


class RuleForm(forms.Form):
    """A need rule (kind) or an urgent rule (reason and guidance); which fields it has
    depends on `kind`."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "needs":
            self.fields["kind"] = forms.ChoiceField(label="Need", choices=Need.Kind.choices)
        else:
            self.fields["reason"] = forms.CharField(
                label="Reason",
                max_length=200,
                help_text="What staff see on the flag, e.g. “Thoughts of self-harm”.",
            )
            self.fields["guidance"] = forms.CharField(
                label="Guidance for staff",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What to do today: your protocol, who to call.",
            )

    def rule(self, conditions: list[dict[str, Any]]) -> dict[str, Any]:
        if self.kind == "needs":
            return {"kind": self.cleaned_data["kind"], "any": conditions}
        return {
            "reason": self.cleaned_data["reason"].strip(),
            "guidance": self.cleaned_data["guidance"].strip(),
            "any": conditions,
        }


def condition_choices(definition: Mapping[str, Any]) -> list[Any]:
    choices: list[Any] = [("", "—")]
    for number, entry in enumerate(definition.get("items", []), start=1):
        group = f"{number}. {shortened(str(entry.get('text', '')))}"
        rows = []
        if entry.get("type") == "choice":
            rows += [
                (json.dumps(["option", entry["link_id"], o.get("code")]), f"answer is “{words}”")
                for o in entry.get("options", [])
                for words in [o.get("display", "")]
            ]
            rows.append((json.dumps(["value", entry["link_id"]]), "answer's score is at least …"))
        elif entry.get("type") == "integer":
            rows.append((json.dumps(["value", entry["link_id"]]), "number is at least …"))
        if rows:
            choices.append((group, rows))
    scores = [
        (json.dumps(["score", s.get("name")]), f"score “{s.get('name')}” is at least …")
        for s in definition.get("scores", [])
    ]
    if scores:
        choices.append(("Scores", scores))
    return choices


class ConditionForm(forms.Form):
    subject = forms.ChoiceField(label="When", required=False)
    at_least = forms.IntegerField(label="At least", required=False)

    def __init__(self, *args: Any, choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        subject = data.get("subject")
        counted = subject and json.loads(subject)[0] != "option"
        if counted and not data.get("DELETE") and data.get("at_least") is None:
            self.add_error("at_least", "Enter the number it must reach.")
        return data


ConditionFormSet = forms.formset_factory(ConditionForm, extra=3, can_delete=True)


def condition_initial(rule: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for condition in (rule or {}).get("any", []):
        if "score" in condition:
            rows.append(
                {
                    "subject": json.dumps(["score", condition["score"]]),
                    "at_least": condition.get("at_least"),
                }
            )
        elif "codes" in condition:
            rows += [
                {"subject": json.dumps(["option", condition["item"], code])}
                for code in condition["codes"]
            ]
        elif "item" in condition:
            rows.append(
                {
                    "subject": json.dumps(["value", condition["item"]]),
                    "at_least": condition.get("at_least"),
                }
            )
    return rows


def conditions_from(formset: Any) -> list[dict[str, Any]]:
    """Conditions as the definition stores them; answers of the same question chosen in
    several rows become one condition with several codes."""
    conditions: list[dict[str, Any]] = []
    by_item: dict[str, dict[str, Any]] = {}
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("subject"):
            continue
        kind, name, *rest = json.loads(data["subject"])
        if kind == "option":
            if name in by_item:
                by_item[name]["codes"].append(rest[0])
                continue
            by_item[name] = {"item": name, "codes": [rest[0]]}
            conditions.append(by_item[name])
        elif kind == "value":
            conditions.append({"item": name, "at_least": data["at_least"]})
        else:
            conditions.append({"score": name, "at_least": data["at_least"]})
    return conditions
