"""The plan's forms. The person's own words (a goal, why not lower, their view at a
review, their words when declining) are kept exactly as given: `strip=False`. Each form
carries the plan's version it was opened at, so a save over someone else's is refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.lib import form_fields
from alongside.people.models import SupportContact
from alongside.plans.models import Agreement, Goal, Plan, Step

DATE = forms.DateInput(attrs={"type": "date"})
WORDS = {"rows": 3}
MAX_VERSION = 2**31 - 1


class VersionedForm(forms.Form):
    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput)

    def values(self) -> tuple[dict[str, Any], int]:
        """What the service takes from the form, and the plan's version it was opened at."""
        data = dict(self.cleaned_data)
        return data, data.pop("version")


def _blank(choices: Any, label: Any = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


class GoalForm(VersionedForm):
    words = forms.CharField(
        label=_("The goal in their own words"),
        help_text=_("Write exactly what they said. This is never replaced by a restatement."),
        widget=forms.Textarea(attrs=WORDS),
        strip=False,
        error_messages={"required": _("Write the goal in the person's own words.")},
    )
    restatement = forms.CharField(
        label=_("Staff restatement (optional)"),
        help_text=_("Shown beside their words, never instead of them."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    domain = forms.ChoiceField(label=_("Life domain"), choices=Goal.Domain.choices)
    importance = forms.ChoiceField(
        label=_("This goal is"), choices=Goal.Importance.choices, widget=forms.RadioSelect
    )
    profile_link = forms.ChoiceField(
        label=_("It serves, from their profile"),
        choices=_blank(Goal.ProfileLink.choices, _("Nothing from the profile yet")),
        required=False,
    )
    priority = forms.IntegerField(
        label=_("Their priority (1 comes first)"), min_value=1, max_value=99, required=False
    )
    target_date = form_fields.DateField(label=_("Target date"), required=False, widget=DATE)
    lifecycle = forms.ChoiceField(label=_("Goal status"), choices=Goal.Lifecycle.choices)
    achievement = forms.ChoiceField(
        label=_("Progress"), choices=_blank(Goal.Achievement.choices), required=False
    )
    gas_minus2 = forms.CharField(
        label=_("−2: much less than expected"),
        widget=forms.Textarea(attrs={"rows": 1}),
        required=False,
    )
    gas_minus1 = forms.CharField(
        label=_("−1: less than expected"), widget=forms.Textarea(attrs={"rows": 1}), required=False
    )
    gas_0 = forms.CharField(
        label=_("0: the expected outcome"), widget=forms.Textarea(attrs={"rows": 1}), required=False
    )
    gas_plus1 = forms.CharField(
        label=_("+1: more than expected"), widget=forms.Textarea(attrs={"rows": 1}), required=False
    )
    gas_plus2 = forms.CharField(
        label=_("+2: much more than expected"),
        widget=forms.Textarea(attrs={"rows": 1}),
        required=False,
    )
    weight = forms.IntegerField(
        label=_("Weight in the GAS score"), min_value=1, max_value=10, initial=1
    )

    def values(self) -> tuple[dict[str, Any], int]:
        data, version = super().values()
        if data.get("priority") is None:  # left blank: keep the goal's place (or the last)
            data.pop("priority", None)
        return {"data": data}, version


def goal_initial(goal: Goal, plan: Plan) -> dict[str, Any]:
    initial = {name: getattr(goal, name) for name in GoalForm.base_fields if name != "version"}
    return initial | {"version": plan.version}


class StepForm(VersionedForm):
    text = forms.CharField(label=_("What will be done"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_kind = forms.ChoiceField(
        label=_("Who does it"), choices=Step.Owner.choices, widget=forms.RadioSelect
    )
    owner_user = forms.TypedChoiceField(label=_("Staff member"), coerce=int, required=False)
    owner_contact = forms.TypedChoiceField(
        label=_("Which of the people who matter to them"),
        coerce=int,
        required=False,
        help_text=_("Only people they agreed to involve are listed."),
    )
    due_on = form_fields.DateField(label=_("Due"), required=False, widget=DATE)

    def __init__(
        self, *args: Any, staff: list[User], contacts: list[SupportContact], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {u.pk: u for u in staff}
        self.contacts = {c.pk: c for c in contacts}
        owner_user = self.fields["owner_user"]
        owner_contact = self.fields["owner_contact"]
        assert isinstance(owner_user, forms.TypedChoiceField)
        assert isinstance(owner_contact, forms.TypedChoiceField)
        owner_user.choices = _blank((u.pk, str(u)) for u in staff)
        owner_contact.choices = _blank(
            (c.pk, f"{c.name} ({c.get_relationship_display().lower()})") for c in contacts
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("owner_kind")
        if kind == Step.Owner.STAFF and not data.get("owner_user"):
            self.add_error("owner_user", _("Choose a staff member on the person's team."))
        if kind == Step.Owner.SUPPORT and not data.get("owner_contact"):
            self.add_error(
                "owner_contact",
                _("Choose someone from the person's support network whom they agreed to involve."),
            )
        return data

    def values(self) -> tuple[dict[str, Any], int]:
        data, version = super().values()
        data["owner_user"] = self.staff.get(data.get("owner_user") or 0)
        data["owner_contact"] = self.contacts.get(data.get("owner_contact") or 0)
        return {"data": data}, version


class ReadinessForm(VersionedForm):
    importance = forms.IntegerField(
        label=_("How important is this to you, from 0 to 10?"), min_value=0, max_value=10
    )
    confidence = forms.IntegerField(
        label=_("How confident are you that you can do it, from 0 to 10?"),
        min_value=0,
        max_value=10,
    )
    why_not_lower = forms.CharField(
        label=_("Why not a lower number? (in their words)"),
        widget=forms.Textarea(attrs=WORDS),
        strip=False,
        required=False,
    )


LEVEL_CHOICES = [
    ("", _("Not rated")),
    ("-2", "−2"),
    ("-1", "−1"),
    ("0", "0"),
    ("1", "+1"),
    ("2", "+2"),
]


class ReviewForm(VersionedForm):
    held_on = form_fields.DateField(label=_("Held on"), widget=DATE)
    participants = forms.CharField(
        label=_("Who took part"), widget=forms.Textarea(attrs={"rows": 2})
    )
    person_view = forms.CharField(
        label=_("Their view, in their words"),
        widget=forms.Textarea(attrs=WORDS),
        strip=False,
        required=False,
    )
    what_changed = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs=WORDS), required=False
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[f"level_{goal.pk}"] = forms.TypedChoiceField(
                label=_("Rating"),
                choices=LEVEL_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"note_{goal.pk}"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1})
            )

    def head_fields(self) -> list[Any]:
        return [self[name] for name in ("held_on", "participants", "person_view", "what_changed")]

    def goal_fields(self) -> list[tuple[Goal, Any, Any]]:
        return [(g, self[f"level_{g.pk}"], self[f"note_{g.pk}"]) for g in self.goals]

    def values(self) -> tuple[dict[str, Any], int]:
        data, version = super().values()
        ratings = {}
        for goal in self.goals:
            level, note = data.pop(f"level_{goal.pk}"), data.pop(f"note_{goal.pk}")
            if level is not None:
                ratings[goal.pk] = (level, note)
        return data | {"ratings": ratings}, version


class AgreementForm(VersionedForm):
    method = forms.ChoiceField(
        label=_("How they agreed"), choices=Agreement.Method.choices, widget=forms.RadioSelect
    )
    signature = forms.CharField(
        label=_("Signature: they type their name"), max_length=200, required=False
    )
    witness = forms.CharField(
        label=_("Witness to a verbal agreement"), max_length=200, required=False
    )
    person_words = forms.CharField(
        label=_("What they said, in their words"),
        widget=forms.Textarea(attrs=WORDS),
        strip=False,
        required=False,
    )


class StatusForm(VersionedForm):
    status = forms.ChoiceField(choices=Plan.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why it ends"), max_length=500, required=False)


class StepDoneForm(VersionedForm):
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PlanSettingsForm(forms.Form):
    """How one program runs its plans (`PlanSettings`), on the organization admin's page."""

    review_interval_days = forms.IntegerField(
        label=_("Days between reviews"),
        min_value=7,
        max_value=730,
        help_text=_("A plan in force falls due for review this many days after its last one."),
    )
    requires_agreement = forms.BooleanField(
        label=_("The person's agreement is recorded before a plan starts"), required=False
    )
    requires_signature = forms.BooleanField(
        label=_("Their agreement is a signature on screen (not only spoken, with a witness)"),
        required=False,
    )
    requires_approval = forms.BooleanField(
        label=_("A supervisor approves a plan before it starts"), required=False
    )


class GoalTemplateForm(forms.Form):
    """A goal template in a program's library (`GoalTemplate`), on the admin's page."""

    title = forms.CharField(label=_("Title"), max_length=200)
    domain = forms.ChoiceField(label=_("Life domain"), choices=Goal.Domain.choices)
    importance = forms.ChoiceField(
        label=_("Usually"), choices=Goal.Importance.choices, initial=Goal.Importance.BOTH
    )
    restatement = forms.CharField(
        label=_("Staff restatement it suggests"),
        help_text=_("Shown beside the person's words; their words are always theirs to write."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    gas_0 = forms.CharField(
        label=_("The expected outcome it suggests (GAS 0)"),
        widget=forms.Textarea(attrs={"rows": 1}),
        required=False,
    )
    steps = forms.CharField(
        label=_("Usual steps, one a line"),
        help_text=_("Offered when adding a step to a goal in this life domain."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    is_active = forms.BooleanField(
        label=_("Offered when adding a goal"), required=False, initial=True
    )
    version = forms.IntegerField(
        min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput, required=False
    )
