"""Organization administration: settings, programs, locations and staff.

Only organization admins reach these pages; for anyone else, and for another
organization's objects, they do not exist (404). Selectors read, services write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.accounts.models import User
from alongside.lib.paging import page_of
from alongside.lib.params import query_page
from alongside.lib.views import form_status, or_404, refusals_as_403, run_service
from alongside.organizations import forms, selectors, services
from alongside.organizations import staff as accounts
from alongside.organizations import staff_forms as account_forms
from alongside.organizations.contributions import managed_organization
from alongside.organizations.models import Location, Organization, Program

PAGE_SIZE = 25


def _organization(request: AuthenticatedHttpRequest, org: int | None = None) -> Organization:
    return managed_organization(request.user, org)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], form: BaseForm | None = None
) -> HttpResponse:
    return render(request, template, {"nav": "manage", **context}, status=form_status(form))


@login_required
def home(request: AuthenticatedHttpRequest, org: int | None = None) -> HttpResponse:
    organization = _organization(request, org)
    context = {
        "organization": organization,
        "section": "overview",
        "organizations": list(selectors.administered_organizations(request.user)),
        **selectors.overview(organization),
    }
    return _render(request, "organizations/home.html", context)


@login_required
def organization_settings(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = _organization(request, org)
    form = forms.OrganizationForm(request.POST or None, instance=selectors.to_edit(organization))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.organization_update(
                actor=request.user, organization=organization, data=form.changes()
            ),
        )
    ):
        messages.success(request, _("Organization settings saved."))
        return redirect("manage:organization", org=organization.pk)
    return _render(
        request,
        "organizations/settings.html",
        {"organization": organization, "form": form, "section": "settings"},
        form,
    )


# Programs and locations share one shape: a list, an add/edit form, and (de)activation.


def _thing_list(request: AuthenticatedHttpRequest, org: int, kind: str) -> HttpResponse:
    organization = _organization(request, org)
    rows = (
        selectors.programs_for(organization)
        if kind == "program"
        else selectors.locations_for(organization)
    )
    return _render(
        request,
        f"organizations/{kind}_list.html",
        {"organization": organization, "rows": list(rows), "section": kind},
    )


def _thing(organization: Organization, kind: str, pk: int) -> Program | Location:
    of = selectors.program_of if kind == "program" else selectors.location_of
    return or_404(lambda: of(organization, pk), f"No such {kind}")


def _thing_edit(
    request: AuthenticatedHttpRequest, org: int, kind: str, pk: int | None
) -> HttpResponse:
    organization = _organization(request, org)
    model: type[Program] | type[Location] = Program if kind == "program" else Location
    form_class: Any = forms.ProgramForm if kind == "program" else forms.LocationForm
    instance = model(organization=organization) if pk is None else _thing(organization, kind, pk)
    original_name = instance.name
    form = form_class(request.POST or None, instance=instance)
    saved: list[Any] = []

    def save() -> None:
        data = form.changes()
        if isinstance(instance, Program):
            saved.append(
                services.program_create(actor=request.user, organization=organization, data=data)
                if pk is None
                else services.program_update(actor=request.user, program=instance, data=data)
            )
        else:
            saved.append(
                services.location_create(actor=request.user, organization=organization, data=data)
                if pk is None
                else services.location_update(actor=request.user, location=instance, data=data)
            )

    if request.method == "POST" and form.is_valid() and run_service(form, save):
        messages.success(request, _("%(name)s saved.") % {"name": saved[0].name})
        return redirect(f"manage:{kind}s", org=organization.pk)
    return _render(
        request,
        "organizations/thing_form.html",
        {
            "organization": organization,
            "form": form,
            "kind": kind,
            "instance": instance,
            "original_name": original_name,
            "section": kind,
            "subpage": True,
        },
        form,
    )


def _thing_active(request: AuthenticatedHttpRequest, org: int, kind: str, pk: int) -> HttpResponse:
    organization = _organization(request, org)
    instance = _thing(organization, kind, pk)
    active = request.POST.get("active") == "1"
    with refusals_as_403():
        if isinstance(instance, Program):
            services.program_set_active(actor=request.user, program=instance, active=active)
        else:
            services.location_set_active(actor=request.user, location=instance, active=active)
    done = _("%(name)s is active.") if active else _("%(name)s is deactivated.")
    messages.success(request, done % {"name": instance.name})
    return redirect(f"manage:{kind}s", org=organization.pk)


@login_required
def program_list(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    return _thing_list(request, org, "program")


@login_required
def program_edit(
    request: AuthenticatedHttpRequest, org: int, pk: int | None = None
) -> HttpResponse:
    return _thing_edit(request, org, "program", pk)


@login_required
@require_POST
def program_active(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    return _thing_active(request, org, "program", pk)


@login_required
def location_list(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    return _thing_list(request, org, "location")


@login_required
def location_edit(
    request: AuthenticatedHttpRequest, org: int, pk: int | None = None
) -> HttpResponse:
    return _thing_edit(request, org, "location", pk)


@login_required
@require_POST
def location_active(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    return _thing_active(request, org, "location", pk)


# Staff


@login_required
def staff_list(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = _organization(request, org)
    form = forms.StaffFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    query, status = filters.get("q", "").strip(), filters.get("status", "")
    page = query_page(request.GET)
    staff, has_next = page_of(
        selectors.staff_for(organization, query=query, status=status), page, PAGE_SIZE
    )
    return _render(
        request,
        "organizations/staff_list.html",
        {
            "organization": organization,
            "form": form,
            "staff": staff,
            "page": page,
            "has_next": has_next,
            "query": query,
            "status": status,
            "section": "staff",
        },
    )


@login_required
def staff_create(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = _organization(request, org)
    form = account_forms.StaffCreateForm(
        request.POST or None, programs=selectors.active_programs(organization)
    )
    created: list[User] = []

    def create() -> None:
        created.append(
            accounts.staff_create(
                actor=request.user,
                organization=organization,
                data=form.changes(),
                role=form.cleaned_data["role"],
                program=form.cleaned_data.get("program"),
            )
        )

    if request.method == "POST" and form.is_valid() and run_service(form, create):
        user = created[0]
        messages.success(
            request,
            _("%(name)s's account is ready. We emailed %(email)s a link to choose a password.")
            % {"name": user, "email": user.email},
        )
        return redirect("manage:staff-detail", org=organization.pk, pk=user.pk)
    return _render(
        request,
        "organizations/staff_create.html",
        {"organization": organization, "form": form, "section": "staff", "subpage": True},
        form,
    )


def _member(organization: Organization, pk: int) -> User:
    return or_404(lambda: selectors.staff_member(organization, pk), "No such staff member")


def _staff_page(
    request: AuthenticatedHttpRequest,
    organization: Organization,
    member: User,
    *,
    details: BaseForm | None = None,
    grant: BaseForm | None = None,
    problem: str = "",
) -> HttpResponse:
    manageable = accounts.can_manage_account(request.user, member)
    programs = selectors.active_programs(organization)
    if details is None and manageable:
        details = account_forms.StaffForm(instance=member)
    if grant is None:
        grant = account_forms.RoleGrantForm(programs=programs)
    failed = bool(problem) or any(f is not None and f.errors for f in (details, grant))
    return render(
        request,
        "organizations/staff_detail.html",
        {
            "organization": organization,
            "member": member,
            "roles": getattr(member, "roles_here", []),
            "details": details,
            "grant": grant,
            "manageable": manageable,
            "problem": problem,
            "is_self": member.pk == request.user.pk,
            "nav": "manage",
            "section": "staff",
            "subpage": True,
        },
        status=422 if failed else 200,
    )


@login_required
def staff_detail(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = _organization(request, org)
    member = _member(organization, pk)
    if request.method != "POST":
        return _staff_page(request, organization, member)
    form = account_forms.StaffForm(request.POST, instance=selectors.to_edit(member))
    if form.is_valid() and run_service(
        form,
        lambda: accounts.staff_update(
            actor=request.user, organization=organization, user=member, data=form.changes()
        ),
    ):
        messages.success(request, _("Details saved."))
        return redirect("manage:staff-detail", org=organization.pk, pk=member.pk)
    return _staff_page(request, organization, member, details=form)


@login_required
@require_POST
def role_grant(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = _organization(request, org)
    member = _member(organization, pk)
    form = account_forms.RoleGrantForm(
        request.POST, programs=selectors.active_programs(organization)
    )
    if form.is_valid() and run_service(
        form,
        lambda: accounts.role_grant(
            actor=request.user,
            organization=organization,
            user=member,
            role=form.cleaned_data["role"],
            program=form.cleaned_data.get("program"),
        ),
    ):
        messages.success(request, _("Role granted."))
        return redirect("manage:staff-detail", org=organization.pk, pk=member.pk)
    return _staff_page(request, organization, member, grant=form)


def _staff_action(
    request: AuthenticatedHttpRequest, org: int, pk: int, act: Callable[[Organization, User], str]
) -> HttpResponse:
    """A one-button change to an account: done, or the page again saying why not."""
    organization = _organization(request, org)
    member = _member(organization, pk)
    try:
        with refusals_as_403():
            done = act(organization, member)
    except ValidationError as error:
        return _staff_page(request, organization, member, problem=" ".join(error.messages))
    messages.success(request, done)
    return redirect("manage:staff-detail", org=organization.pk, pk=member.pk)


@login_required
@require_POST
def role_revoke(
    request: AuthenticatedHttpRequest, org: int, pk: int, membership_pk: int
) -> HttpResponse:
    def revoke(organization: Organization, member: User) -> str:
        membership = or_404(
            lambda: selectors.membership_of(organization, member, membership_pk), "No such role"
        )
        label = membership.get_role_display()
        accounts.role_revoke(actor=request.user, organization=organization, membership=membership)
        return _("%(role)s role removed.") % {"role": label}

    return _staff_action(request, org, pk, revoke)


@login_required
@require_POST
def staff_active(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    active = request.POST.get("active") == "1"

    def change(organization: Organization, member: User) -> str:
        accounts.staff_set_active(
            actor=request.user, organization=organization, user=member, active=active
        )
        if active:
            return _("%(name)s's account is active again.") % {"name": member}
        return _("%(name)s's account is deactivated. They can no longer sign in.") % {
            "name": member
        }

    return _staff_action(request, org, pk, change)


@login_required
@require_POST
def staff_send_link(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    def send(organization: Organization, member: User) -> str:
        accounts.staff_send_set_password_link(
            actor=request.user, organization=organization, user=member
        )
        return _("We emailed %(email)s a new link to choose a password.") % {"email": member.email}

    return _staff_action(request, org, pk, send)
