"""How each of the organization's programs runs its plans, under /manage/<org>/plans/:
for its admins only (404 otherwise)."""

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
from alongside.plans import selectors, services
from alongside.plans.forms import PlanSettingsForm


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
    current = services.settings_for(program.pk)
    initial = {name: getattr(current, name) for name in PlanSettingsForm.base_fields}
    # An unchecked box sends nothing: an empty POST is still a submission.
    form = PlanSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Only what the admin changed, so the audit names just that.
        data = {name: form.cleaned_data[name] for name in form.changed_data}

        def save() -> None:
            if data:
                services.plan_settings_update(actor=request.user, program_id=program.pk, data=data)

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
