"""The organization admin's follow-up rules (/manage/<org>/follow-up/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.views import form_status, or_404, run_service
from alongside.organizations.contributions import managed_organization
from alongside.people.contributions import follow_up_triggers
from alongside.tasks import background, rules, selectors
from alongside.tasks.forms import RuleForm


@login_required
def rule_list(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    rows = list(selectors.rules_for(organization.pk))
    labels = {t.key: t.label for t in follow_up_triggers}
    return render(
        request,
        "tasks/manage/rules.html",
        {
            "organization": organization,
            "rules": [(rule, labels.get(rule.trigger, rule.trigger)) for rule in rows],
            "section": "follow-up",
            "nav": "manage",
        },
    )


@login_required
def rule_edit(request: AuthenticatedHttpRequest, org: int, pk: int | None = None) -> HttpResponse:
    organization = managed_organization(request.user, org)
    rule = (
        None
        if pk is None
        else or_404(lambda: selectors.rules_for(organization.pk).get(pk=pk), "No such rule")
    )
    programs = organization.programs.filter(is_active=True)
    initial: dict[str, Any] = {}
    if rule is not None:
        initial = {name: getattr(rule, name) for name in rules.RULE_FIELDS}
        initial |= {"program": rule.program_id, "version": rule.version}
    form = RuleForm(request.POST or None, programs=programs, initial=initial)
    # A rule stays with its program: its tasks are that program's.
    form.fields["program"].disabled = rule is not None
    if request.method == "POST" and form.is_valid():
        data = form.changes()

        def save() -> None:
            if rule is None:
                rules.rule_create(
                    actor=request.user,
                    organization=organization,
                    program=form.cleaned_data["program"],
                    data=data,
                )
            else:
                rules.rule_update(
                    actor=request.user, rule=rule, data=data, version=form.cleaned_data["version"]
                )

        if run_service(form, save):
            messages.success(request, _("Follow-up rule saved."))
            return redirect("manage:follow-up", org=organization.pk)
    return render(
        request,
        "tasks/manage/rule_form.html",
        {
            "organization": organization,
            "form": form,
            "rule": rule,
            "section": "follow-up",
            "subpage": True,
            "nav": "manage",
        },
        status=form_status(form),
    )


@login_required
@require_POST
def rules_run(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    """Evaluate every rule now, on the worker (rather than waiting for the next sweep)."""
    organization = managed_organization(request.user, org)
    background.sweep_follow_up_rules.enqueue()
    messages.success(
        request, _("The rules will be evaluated by the background worker in a moment.")
    )
    return redirect("manage:follow-up", org=organization.pk)
