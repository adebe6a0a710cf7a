"""The audit trail browser, for organization admins: their organization's events, newest
first, and a check of the hash chain. Looking at the trail is itself recorded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.accounts.scope import scope_for
from alongside.audit.readable import ACTION_LABELS
from alongside.oversight import selectors

MAX_ID = 2**63 - 1


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *ACTION_LABELS.items()],
    )
    actor = forms.CharField(
        label=_("Staff username"),
        required=False,
        max_length=150,
        help_text=_("Exactly as they sign in, e.g. casey"),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[
            ("", _("Any outcome")),
            ("denied", _("Denied: records asked for and not shown")),
            ("allowed", _("Allowed")),
        ],
    )
    name = forms.CharField(
        label=_("Person’s name"),
        required=False,
        max_length=100,
        help_text=_("Any part of their name, e.g. Ana López"),
    )
    person = forms.IntegerField(
        label=_("Record number"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("The number in the record’s address, e.g. 42 in /people/42/"),
    )


def _organization_id(request: HttpRequest) -> int:
    """The organization whose trail is shown: ?org= when given, else the admin's first."""
    admin_of = scope_for(request.user).admin_organization_ids
    if not admin_of:
        raise Http404("No audit trail here")
    given = request.GET.get("org") or request.POST.get("org")
    if not given:
        return min(admin_of)
    try:
        organization_id = int(given)
    except ValueError:
        raise Http404("No such organization") from None
    if organization_id not in admin_of:
        raise Http404("No such organization")
    return organization_id


def _cursor(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None


@login_required
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organization_id = _organization_id(request)
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "action": form.cleaned_data["action"],
            "actor": form.cleaned_data["actor"].strip(),
            "person_id": form.cleaned_data["person"],
            "name": form.cleaned_data["name"].strip(),
            "outcome": form.cleaned_data["outcome"],
        }
    if form.errors:
        page = selectors.nothing_listed(request.user, organization_id)
    else:
        page = selectors.trail_page(
            request.user,
            organization_id,
            filters,
            before=_cursor(request.GET.get("before")),
            after=_cursor(request.GET.get("after")),
        )
    events = page.events
    context = {
        "form": form,
        "events": events,
        "has_newer": page.has_newer,
        "has_older": page.has_older,
        "organization_id": organization_id,
        "nav": "audit",
        "newest_id": events[0].pk if events else None,
        "oldest_id": events[-1].pk if events else None,
        "several": len(scope_for(request.user).admin_organization_ids) > 1,
    }
    return render(request, "audit/list.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Check the whole chain (all organizations share one) and say whether it holds."""
    organization_id = _organization_id(request)
    report = selectors.chain_check(request.user, organization_id)
    return render(
        request,
        "audit/verify.html",
        {"report": report, "organization_id": organization_id, "nav": "audit"},
    )
