"""The plan's pages. Views stay thin: selectors read (and audit the read), services write
(and refuse clearly); a stale save is a 409 that says what changed since."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.errors import StaleVersion
from alongside.lib.params import id_or_none
from alongside.lib.views import form_status, or_404, refusals_as_403, run_service
from alongside.people.sensitivity import disclosure_for
from alongside.plans import changes, forms, library, printout, selectors, services
from alongside.plans.models import Goal, Plan, Readiness, Step

NO_PLAN = "No such plan"


def _plan(request: AuthenticatedHttpRequest, pk: int, purpose: str = "plan") -> Plan:
    return or_404(lambda: selectors.plan_for(request.user, pk, purpose=purpose), NO_PLAN)


def _editable(request: AuthenticatedHttpRequest, pk: int, purpose: str) -> Plan:
    """A plan the user may change: seen, on the person's care team, and still open."""
    plan = _plan(request, pk, purpose)
    if not disclosure_for(request.user, plan.person).sensitive:
        raise PermissionDenied(changes.CARE_TEAM_ONLY)
    if not plan.is_open:
        raise PermissionDenied(_("This plan has ended; its pages are read-only."))
    return plan


def _goal(plan: Plan, pk: int) -> Goal:
    return or_404(lambda: selectors.goal_of(plan, pk), "No such goal")


def _save(form: BaseForm, call: Callable[[], Any]) -> bool:
    """`run_service`, adding what changed since the form was opened when it is stale."""
    changed: list[str] = []

    def calling() -> None:
        try:
            call()
        except changes.PlanChanged as stale:
            changed.extend(stale.changes)
            raise

    saved = run_service(form, calling)
    if changed:
        form.add_error(
            None, _("Changed since you opened it: %(what)s.") % {"what": "; ".join(changed)}
        )
    return saved


def _to_plan(plan: Plan, anchor: str = "") -> HttpResponse:
    return redirect(reverse("plans:plan", args=[plan.pk]) + (f"#{anchor}" if anchor else ""))


def _form_page(
    request: AuthenticatedHttpRequest,
    plan: Plan,
    template: str,
    form: BaseForm,
    **context: Any,
) -> HttpResponse:
    context = {"plan": plan, "person": plan.person, "form": form, **context}
    return render(request, template, context, status=form_status(form))


@login_required
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    context = or_404(lambda: selectors.plan_page(request.user, pk), NO_PLAN)
    context["print_languages"] = printout.language_choices(context["person"])
    return render(request, "plans/plan.html", context)


@login_required
def print_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The plan the person keeps, as a PDF in the language asked for (`?lang=`), else
    theirs."""
    context = or_404(
        lambda: printout.plan_print(request.user, pk, request.GET.get("lang", "")), NO_PLAN
    )
    reply = HttpResponse(printout.render_pdf(context), content_type="application/pdf")
    reply["Content-Disposition"] = f'inline; filename="{printout.filename(context)}"'
    reply["Cache-Control"] = "no-store"
    return reply


@require_POST
@login_required
def start(request: AuthenticatedHttpRequest, enrollment_pk: int) -> HttpResponse:
    enrollment = or_404(
        lambda: selectors.enrollment_for(request.user, enrollment_pk), "No such enrollment"
    )
    try:
        with refusals_as_403():
            started = services.plan_start(actor=request.user, enrollment=enrollment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:detail", enrollment.person_id)
    return _to_plan(started)


def _posted(
    request: AuthenticatedHttpRequest,
    plan: Plan,
    form: forms.VersionedForm,
    call: Callable[..., Any],
    anchor: Callable[[Any], str],
) -> HttpResponse | None:
    """For a valid form posted: call the service with the form's values and the version
    it was opened at, then back to the plan at `anchor(what the service returned)`."""
    if request.method != "POST" or not form.is_valid():
        return None
    values, version = form.values()
    saved: list[Any] = []
    if _save(
        form, lambda: saved.append(call(actor=request.user, expected_version=version, **values))
    ):
        return _to_plan(plan, anchor(saved[0]))
    return None


def _at_goal(thing: Goal | Step | Readiness) -> str:
    return f"goal-{thing.pk if isinstance(thing, Goal) else thing.goal_id}"


@login_required
def goal_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: add a goal")
    source = request.GET.get("from", "")
    initial = {"version": plan.version, "lifecycle": Goal.Lifecycle.PROPOSED, "weight": 1}
    form = forms.GoalForm(
        request.POST or None,
        initial=initial
        | library.initial_from(request.user, plan.person_id, plan.enrollment.program_id, source),
    )
    done = _posted(request, plan, form, partial(services.goal_add, plan=plan), _at_goal)
    return done or _form_page(
        request,
        plan,
        "plans/goal_form.html",
        form,
        title=_("Add a goal"),
        suggestions=library.need_suggestions(request.user, plan.person_id),
        templates=library.goal_templates(plan.enrollment.program_id),
        source=source,
    )


@login_required
def goal_edit(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: change a goal")
    goal = _goal(plan, goal_pk)
    form = forms.GoalForm(request.POST or None, initial=forms.goal_initial(goal, plan))
    done = _posted(request, plan, form, partial(services.goal_update, goal=goal), _at_goal)
    return done or _form_page(
        request, plan, "plans/goal_form.html", form, title=_("Change the goal"), goal=goal
    )


@login_required
def step_add(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: add a step")
    goal = _goal(plan, goal_pk)
    staff, contacts = services.step_owners(plan)
    suggestions = library.step_suggestions(plan.enrollment.program_id, goal.domain)
    chosen = id_or_none(request.GET.get("suggestion", ""))
    text = suggestions[chosen] if chosen is not None and chosen < len(suggestions) else ""
    form = forms.StepForm(
        request.POST or None,
        initial={"version": plan.version, "owner_kind": "person", "text": text},
        staff=staff,
        contacts=contacts,
    )
    done = _posted(request, plan, form, partial(services.step_add, goal=goal), _at_goal)
    return done or _form_page(
        request,
        plan,
        "plans/step_form.html",
        form,
        title=_("Add a step"),
        goal=goal,
        suggestions=suggestions,
    )


@require_POST
@login_required
def step_done(request: AuthenticatedHttpRequest, pk: int, step_pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: mark a step")
    step = or_404(lambda: selectors.step_of(plan, step_pk), "No such step")
    form = forms.StepDoneForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.step_done(
                actor=request.user,
                step=step,
                done=form.cleaned_data["done"],
                expected_version=form.cleaned_data["version"],
            ),
        )
    return _to_plan(plan, f"goal-{step.goal_id}")


@login_required
def readiness(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: readiness")
    goal = _goal(plan, goal_pk)
    form = forms.ReadinessForm(request.POST or None, initial={"version": plan.version})
    done = _posted(request, plan, form, partial(services.readiness_record, goal=goal), _at_goal)
    return done or _form_page(
        request, plan, "plans/form.html", form, title=_("Record readiness"), goal=goal
    )


@login_required
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: review")
    goals = [g for g in selectors.plan_goals(plan) if g.is_current]
    form = forms.ReviewForm(request.POST or None, initial={"version": plan.version}, goals=goals)
    done = _posted(
        request, plan, form, partial(services.review_record, plan=plan), lambda _r: "reviews"
    )
    return done or _form_page(
        request, plan, "plans/review_form.html", form, title=_("Record a review")
    )


@login_required
def agreement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: agreement")
    form = forms.AgreementForm(request.POST or None, initial={"version": plan.version})
    done = _posted(
        request, plan, form, partial(services.agreement_record, plan=plan), lambda _a: "agreement"
    )
    return done or _form_page(
        request, plan, "plans/form.html", form, title=_("Record their agreement")
    )


def _act(request: AuthenticatedHttpRequest, call: Callable[[], Any]) -> bool:
    """A one-button action from the plan page: its refusal as a message above the plan."""
    try:
        with refusals_as_403():
            call()
    except changes.PlanChanged as stale:
        messages.error(
            request,
            _("Nothing was saved: the plan changed since you opened it (%(what)s).")
            % {"what": "; ".join(stale.changes)},
        )
    except StaleVersion:
        messages.error(request, _("Nothing was saved: the plan changed since you opened it."))
    except ValidationError as error:
        messages.error(request, _("Nothing was saved. %(why)s") % {"why": " ".join(error.messages)})
    else:
        return True
    return False


@require_POST
@login_required
def status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: status")
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: choose what happens to the plan."))
    else:
        data = form.cleaned_data
        if _act(
            request,
            lambda: services.plan_status_set(
                actor=request.user,
                plan=plan,
                status=data["status"],
                reason=data["reason"],
                expected_version=data["version"],
            ),
        ):
            messages.success(
                request,
                _("The plan is now %(status)s.") % {"status": plan.get_status_display().lower()},
            )
    return _to_plan(plan)


@require_POST
@login_required
def approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk, "plan: approve")
    form = forms.VersionedForm(request.POST)
    if form.is_valid() and _act(
        request,
        lambda: services.plan_approve(
            actor=request.user, plan=plan, expected_version=form.cleaned_data["version"]
        ),
    ):
        messages.success(request, _("Plan approved."))
    return _to_plan(plan)


@login_required
def versions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "plan: versions")
    context = {"plan": plan, "person": plan.person, "versions": selectors.plan_versions(plan)}
    return render(request, "plans/versions.html", context)


@login_required
def version(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    plan = _plan(request, pk, "plan: a past version")
    context = or_404(lambda: selectors.version_page(request.user, plan, number), "No such version")
    return render(request, "plans/version.html", context)
