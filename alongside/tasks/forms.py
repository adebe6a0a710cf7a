from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.lib import form_fields
from alongside.lib.urls import MAX_ID
from alongside.people.contributions import follow_up_triggers
from alongside.tasks.models import FollowUpRule, Priority, Task

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


class DueField(form_fields.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M"], **kwargs)


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.pronouns})" if obj.pronouns else str(obj)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What needs doing"), max_length=200)
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_at = DueField(label=_("Due"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID
    )


class TaskTimingForm(TaskForm):
    """The edit form of a sensitive task whose words its editor may not read: when it is
    due and its priority, not what it says."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["title"], self.fields["description"]


class TaskCreateForm(TaskForm):
    program: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=None,
    )
    assignee = StaffChoice(
        label=_("Assign to"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("The program's team queue"),
        help_text=_("Anyone on the team can take a task from the queue."),
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive: only the person's care team reads what this task says"),
        required=False,
        help_text=_(
            "For safety, trauma, self-harm, behavioral health or substance use. Others who "
            "see the person see that the task exists, not its words."
        ),
    )

    def __init__(self, *args: Any, programs: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]
        self.order_fields(
            ["title", "program", "assignee", "due_at", "priority", "description", "sensitive"]
        )


class AssignForm(forms.Form):
    assignee = StaffChoice(
        label=_("Assign to"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("The program's team queue"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"), widget=forms.Textarea(attrs={"rows": 3}), strip=False
    )


class CancelForm(forms.Form):
    resolution = forms.CharField(label=_("Why cancel it?"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


class FilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("all", _("Mine and my teams' queues")),
            ("mine", _("Assigned to me")),
            ("team", _("My teams' queues")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Open")),
            (Task.Status.DONE, _("Done")),
            (Task.Status.CANCELLED, _("Cancelled")),
        ],
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any"))] + Priority.choices
    )


class RuleForm(forms.Form):
    program: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=None,
    )
    trigger = forms.ChoiceField(label=_("When"))
    days = forms.IntegerField(
        label=_("Number of days"),
        min_value=0,
        max_value=3650,
        initial=30,
        help_text=_("For “no contact for N days”: N. Other conditions ignore it."),
    )
    deadline = forms.ChoiceField(label=_("Contact due"), choices=FollowUpRule.Deadline.choices)
    deadline_amount = forms.IntegerField(
        label=_("Hours or business days"),
        min_value=0,
        max_value=1000,
        initial=0,
        help_text=_("Business days skip weekends and the organization's public holidays."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    assign_to = forms.ChoiceField(label=_("Assign to"), choices=FollowUpRule.AssignTo.choices)
    title = forms.CharField(label=_("Task title"), max_length=200)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        self.fields["trigger"].choices = [(t.key, t.label) for t in follow_up_triggers]  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "program")}
