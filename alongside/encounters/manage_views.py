"""The organization's respectful-language list, under /manage/<org>/language/: the
shipped terms it keeps or turns off, and its own; and how each program's notes are
signed, under /manage/<org>/notes/. For its admins only (404 otherwise)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.encounters import selectors, services, terms
from alongside.encounters.forms import NoteSettingsForm
from alongside.encounters.models import LabelingTerm
from alongside.lib.views import form_status, or_404, run_service
from alongside.organizations.contributions import managed_organization
from alongside.organizations.selectors import program_of


class TermForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LabelingTerm
        fields = terms.TERM_FIELDS
        labels = {
            "term": _("Word or phrase"),
            "alternative": _("Say instead"),
            "why": _("Why"),
            "source": _("Source"),
        }


@login_required
def term_list(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def add() -> None:
            terms.term_add(actor=request.user, organization=organization, data=data)

        if run_service(form, add):
            messages.success(request, gettext("The term is on your list."))
            return redirect("manage:language-terms", org=organization.pk)
    context = {
        "organization": organization,
        "rows": terms.terms_listed(organization.pk),
        "form": form,
        "section": "language",
        "nav": "manage",
    }
    return render(request, "encounters/manage_terms.html", context, status=form_status(form))


@login_required
@require_POST
def term_active(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    term = or_404(lambda: terms.term_for(organization, pk), "No such term")
    active = request.POST.get("active") == "1"
    terms.term_set_active(actor=request.user, organization=organization, term=term, active=active)
    done = (
        gettext("“%(term)s” is on for your organization.")
        if active
        else gettext("“%(term)s” is off for your organization.")
    )
    messages.success(request, done % {"term": term.term})
    return redirect("manage:language-terms", org=organization.pk)


@login_required
def settings_list(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    context = {
        "organization": organization,
        "rows": selectors.program_note_settings(organization.pk),
        "section": "notes",
        "nav": "manage",
    }
    return render(request, "encounters/manage/settings.html", context)


@login_required
def settings_edit(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    program = or_404(lambda: program_of(organization, pk), "No such program")
    current = services.note_settings_for(program.pk)
    form = NoteSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"requires_cosignature": current.requires_cosignature},
    )
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["requires_cosignature"]

        def save() -> None:
            if form.has_changed():
                services.note_settings_update(
                    actor=request.user, program=program, requires_cosignature=required
                )

        if run_service(form, save):
            message = gettext("Note settings saved for %(program)s.") % {"program": program}
            messages.success(request, message)
            return redirect("manage:note-settings", org=organization.pk)
    context = {
        "organization": organization,
        "program": program,
        "form": form,
        "section": "notes",
        "subpage": True,
        "nav": "manage",
    }
    return render(
        request, "encounters/manage/settings_form.html", context, status=form_status(form)
    )
