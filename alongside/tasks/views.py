"""Task pages: my tasks (mine and my teams' queues), one task with its comments and
history, the form that adds a task from a person's page. Thin: selectors read (and
record the read), services write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.errors import StaleVersion
from alongside.lib.params import query_page, version_sent
from alongside.lib.views import CONFLICT, form_status, or_404, refusals_as_403, run_service
from alongside.people import selectors as people
from alongside.tasks import forms, selectors, services
from alongside.tasks.models import Task
from alongside.tasks.stored import said_resolution

PAGE_SIZE = 25


def _task(request: AuthenticatedHttpRequest, pk: int, *, read: bool = True) -> Task:
    load = selectors.task_detail if read else selectors.task_for_change
    return or_404(lambda: load(request.user, pk), "No such task")


@login_required
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.FilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.Filters(
        view=data.get("view") or "all",
        status=data.get("status") or "open",
        priority=data.get("priority") or "",
    )
    page = query_page(request.GET)
    rows, has_next = selectors.my_tasks_page(request.user, filters, page, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/list.html",
        {
            "form": form,
            "tasks": rows,
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
            "filters": filters,
            "nav": "tasks",
        },
    )


def _detail_context(
    request: AuthenticatedHttpRequest, task: Task, **forms_given: Any
) -> dict[str, Any]:
    comments, events = selectors.history(task)
    if getattr(task, "restricted", False):
        # Comments and the history's notes are in the care team's words, like the task.
        comments, events = [], []
    staff = selectors.assignable_staff([task.program_id])
    initial = {"version": task.version}
    return {
        "task": task,
        "resolution": said_resolution(task.resolution),
        "comments": comments,
        "events": events,
        "comment_form": forms_given.get("comment_form") or forms.CommentForm(),
        "cancel_form": forms_given.get("cancel_form") or forms.CancelForm(initial=initial),
        "assign_form": forms_given.get("assign_form")
        or forms.AssignForm(staff=staff, initial={**initial, "assignee": task.assignee_id}),
        "nav": "tasks",
    }


@login_required
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    return render(request, "tasks/detail.html", _detail_context(request, task))


def _simple(
    request: AuthenticatedHttpRequest, pk: int, call: Callable[[Task], Any], done: str
) -> HttpResponse:
    """An action without a form: refused ones come back as a message on the task page."""
    task = _task(request, pk, read=False)
    try:
        with refusals_as_403():
            call(task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StaleVersion:
        messages.error(request, CONFLICT)
    else:
        messages.success(request, done)
    return redirect("tasks:detail", pk=pk)


def _version(request: AuthenticatedHttpRequest) -> int | None:
    return version_sent(request.POST.get("version", ""))


@dataclass(frozen=True)
class _Action:
    """A one-button action on a task: the service it calls, whether it sends the version
    the page showed (taking a task does not: the first to take it wins), and what the
    page says when it is done."""

    call: Callable[..., Any]
    done: Promise
    versioned: bool = True


ACTIONS = {
    "take": _Action(services.task_take, gettext_lazy("You took the task."), versioned=False),
    "start": _Action(services.task_start, gettext_lazy("Marked in progress.")),
    "complete": _Action(services.task_complete, gettext_lazy("Marked done.")),
    "reopen": _Action(services.task_reopen, gettext_lazy("Reopened.")),
}


@login_required
@require_POST
def task_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Take, start, complete or reopen a task (`ACTIONS`; the URLs name the action)."""
    step = ACTIONS[action]
    given = {"version": _version(request)} if step.versioned else {}
    return _simple(
        request, pk, lambda t: step.call(actor=request.user, task=t, **given), str(step.done)
    )


def _form_action(
    request: AuthenticatedHttpRequest,
    pk: int,
    form: Any,
    name: str,
    call: Callable[[Task], Any],
    done: str,
) -> HttpResponse:
    task = _task(request, pk, read=False)
    if form.is_valid() and run_service(form, lambda: call(task)):
        messages.success(request, done)
        return redirect("tasks:detail", pk=pk)
    task = _task(request, pk)
    context = _detail_context(request, task, **{name: form})
    return render(request, "tasks/detail.html", context, status=form_status(form))


@login_required
@require_POST
def task_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = forms.CommentForm(request.POST)
    return _form_action(
        request,
        pk,
        form,
        "comment_form",
        lambda t: services.task_comment(actor=request.user, task=t, body=form.cleaned_data["body"]),
        _("Comment added."),
    )


@login_required
@require_POST
def task_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = forms.CancelForm(request.POST)
    return _form_action(
        request,
        pk,
        form,
        "cancel_form",
        lambda t: services.task_cancel(
            actor=request.user,
            task=t,
            reason=form.cleaned_data["resolution"],
            version=form.cleaned_data["version"],
        ),
        _("Task cancelled."),
    )


@login_required
@require_POST
def task_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, read=False)
    form = forms.AssignForm(request.POST, staff=selectors.assignable_staff([task.program_id]))
    return _form_action(
        request,
        pk,
        form,
        "assign_form",
        lambda t: services.task_assign(
            actor=request.user,
            task=t,
            assignee=form.cleaned_data["assignee"],
            version=form.cleaned_data["version"],
        ),
        _("Assignment saved."),
    )


@login_required
def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, read=request.method != "POST")
    initial = {n: getattr(task, n) for n in services.EDITABLE} | {"version": task.version}
    # What a sensitive task says is not offered to someone who may not read it.
    form_class = forms.TaskTimingForm if task.restricted else forms.TaskForm  # type: ignore[attr-defined]
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {n: form.cleaned_data[n] for n in services.EDITABLE if n in form.cleaned_data}
        call = lambda: services.task_update(  # noqa: E731
            actor=request.user, task=task, data=data, version=form.cleaned_data["version"]
        )
        if run_service(form, call):
            messages.success(request, _("Task saved."))
            return redirect("tasks:detail", pk=pk)
    return render(
        request,
        "tasks/form.html",
        {"form": form, "task": task, "person": task.person, "nav": "tasks"},
        status=form_status(form),
    )


@login_required
def task_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = or_404(
        lambda: people.person_detail(request.user, pk, purpose="add a task"), "No such person"
    )
    programs = selectors.programs_for_task(request.user, person)
    staff = selectors.assignable_staff(programs.values("pk"))
    form = forms.TaskCreateForm(request.POST or None, programs=programs, staff=staff)
    created: list[Task] = []
    if request.method == "POST" and form.is_valid():
        data = {n: form.cleaned_data[n] for n in services.EDITABLE}

        def call() -> None:
            created.append(
                services.task_create(
                    actor=request.user,
                    program=form.cleaned_data["program"],
                    person=person,
                    assignee=form.cleaned_data["assignee"],
                    data=data,
                    sensitive=form.cleaned_data["sensitive"],
                )
            )

        if run_service(form, call):
            messages.success(request, _("Task added."))
            return redirect("tasks:detail", pk=created[0].pk)
    if not programs.exists():
        raise Http404("No program to add a task in")
    return render(
        request,
        "tasks/form.html",
        {"form": form, "person": person, "task": None, "nav": "people"},
        status=form_status(form),
    )
