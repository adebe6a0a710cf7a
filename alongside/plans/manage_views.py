"""How each of the organization's programs runs its plans, under /manage/<org>/plans/:
its settings and its library of goal and step templates; for its admins only (404
otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.views import form_status, or_404, run_service
from alongside.organizations.contributions import managed_organization
from alongside.organizations.selectors import program_of
from alongside.plans import programs, selectors
from alongside.plans.forms import GoalTemplateForm, PlanSettingsForm
from alongside.plans.models import GoalTemplate


@login_required
def settings_list(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    context = {
        "organization": organization,
        "rows": selectors.program_settings(organization.pk),
        "section": "plans",
        "nav": "manage",
    }
    return render(request, "plans/manage/settings.html", context)


@login_required
def settings_edit(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    program = or_404(lambda: program_of(organization, pk), "No such program")
    current = programs.settings_for(program.pk)
    initial = {name: getattr(current, name) for name in PlanSettingsForm.base_fields}
    # An unchecked box sends nothing: an empty POST is still a submission.
    form = PlanSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Only what the admin changed, so the audit names just that.
        data = {name: form.cleaned_data[name] for name in form.changed_data}

        def save() -> None:
            if data:
                programs.plan_settings_update(actor=request.user, program_id=program.pk, data=data)

        if run_service(form, save):
            messages.success(
                request, _("Plan settings saved for %(program)s.") % {"program": program}
            )
            return redirect("manage:plan-settings", org=organization.pk)
    context = {
        "organization": organization,
        "program": program,
        "form": form,
        "section": "plans",
        "subpage": True,
        "nav": "manage",
    }
    return render(request, "plans/manage/settings_form.html", context, status=form_status(form))


@login_required
def templates(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    """The program's goal templates, and a form to add one."""
    return _template_page(request, org, pk, None)


@login_required
def template_edit(
    request: AuthenticatedHttpRequest, org: int, pk: int, template_pk: int
) -> HttpResponse:
    return _template_page(request, org, pk, template_pk)


def _template_page(
    request: AuthenticatedHttpRequest, org: int, pk: int, template_pk: int | None
) -> HttpResponse:
    organization = managed_organization(request.user, org)
    program = or_404(lambda: program_of(organization, pk), "No such program")
    template: GoalTemplate | None = None
    initial: dict[str, object] = {}
    if template_pk is not None:
        template = or_404(
            lambda: selectors.goal_template_of(program, template_pk), "No such template"
        )
        initial = {name: getattr(template, name) for name in programs.TEMPLATE_FIELDS}
        initial["version"] = template.version
    form = GoalTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")

        def save() -> None:
            programs.goal_template_save(
                actor=request.user,
                program=program,
                data=data,
                template=template,
                expected_version=version,
            )

        if run_service(form, save):
            messages.success(request, _("Template “%(title)s” saved.") % {"title": data["title"]})
            return redirect("manage:goal-templates", org=organization.pk, pk=program.pk)
    context = {
        "organization": organization,
        "program": program,
        "template": template,
        "templates": [] if template else selectors.goal_templates_of(program),
        "form": form,
        "section": "plans",
        "subpage": True,
        "nav": "manage",
    }
    return render(request, "plans/manage/templates.html", context, status=form_status(form))
