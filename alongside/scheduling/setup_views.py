"""The scheduling set-up screens, under /manage/<org>/scheduling/ (organization admins
only: `managed_organization` is a 404 for anyone else): appointment types, each
location's rooms and opening hours, and each staff member's availability. Thin:
selectors read within the organization (another's row is a 404), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.errors import StaleVersion
from alongside.lib.params import version_sent
from alongside.lib.views import form_status, or_404, refusals_as_403, run_service
from alongside.organizations.contributions import managed_organization
from alongside.organizations.models import Location, Organization
from alongside.scheduling import configure, setup_forms
from alongside.scheduling import setup_selectors as selectors
from alongside.scheduling.models import AvailabilityChange

SECTION = "scheduling"


def _page(
    request: AuthenticatedHttpRequest,
    template: str,
    organization: Organization,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    context |= {"organization": organization, "section": SECTION, "nav": "manage"}
    return render(request, f"scheduling/setup/{template}", context, status=status)


def _form_page(
    request: AuthenticatedHttpRequest,
    organization: Organization,
    form: Any,
    *,
    title: str,
    submit: str,
) -> HttpResponse:
    return _page(
        request,
        "form.html",
        organization,
        status=form_status(form),
        form=form,
        title=title,
        submit=submit,
        subpage=True,
    )


@login_required
def overview(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    return _page(
        request,
        "overview.html",
        organization,
        types=list(selectors.types_of(organization)),
        locations=list(selectors.locations_of(organization)),
        staff=list(selectors.staff_of(organization)),
    )


@login_required
def type_edit(request: AuthenticatedHttpRequest, org: int, pk: int | None = None) -> HttpResponse:
    organization = managed_organization(request.user, org)
    types = selectors.types_of(organization)
    kind = None if pk is None else or_404(lambda: types.get(pk=pk), "No such appointment type")
    initial: dict[str, Any] = {}
    if kind is not None:
        initial = {name: getattr(kind, name) for name in configure.TYPE_FIELDS}
        initial |= {"program": kind.program_id, "version": kind.version}
    # New types go to active programs; an edit keeps (and so must validate) its own,
    # even once that program is inactive.
    programs = organization.programs.filter(is_active=True)
    if kind is not None:
        programs = organization.programs.filter(pk=kind.program_id)
    form = setup_forms.AppointmentTypeForm(request.POST or None, initial=initial, programs=programs)
    # A type stays with its program: its appointments are that program's.
    form.fields["program"].disabled = kind is not None
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            configure.type_save(
                actor=request.user,
                organization=organization,
                data=form.changes(),
                kind=kind,
                program=form.cleaned_data["program"],
                version=form.cleaned_data["version"],
            )

        if run_service(form, save):
            messages.success(request, _("Appointment type saved."))
            return redirect("manage:scheduling", org=organization.pk)
    title = _("Edit appointment type") if kind else _("Add an appointment type")
    return _form_page(
        request,
        organization,
        form,
        title=title,
        submit=_("Save appointment type"),
    )


def _location(organization: Organization, pk: int) -> Location:
    return or_404(lambda: selectors.locations_of(organization).get(pk=pk), "No such location")


@login_required
def location_page(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    """A location's rooms and opening hours; adding hours posts here."""
    organization = managed_organization(request.user, org)
    location = _location(organization, pk)
    form = setup_forms.OpeningHoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def add() -> None:
            configure.hours_add(actor=request.user, location=location, data=form.cleaned_data)

        if run_service(form, add):
            messages.success(request, _("Opening hours added."))
            return redirect("manage:scheduling-location", org=organization.pk, pk=location.pk)
    return _page(
        request,
        "location.html",
        organization,
        status=form_status(form),
        location=location,
        form=form,
        subpage=True,
    )


@login_required
@require_POST
def hours_remove(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    hours = or_404(lambda: selectors.hours_of(organization, pk), "No such opening hours")
    with refusals_as_403():
        configure.hours_remove(actor=request.user, hours=hours)
    messages.success(request, _("Opening hours removed."))
    return redirect("manage:scheduling-location", org=organization.pk, pk=hours.location_id)


@login_required
def room_add(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    return _room_form(request, organization, _location(organization, pk), None)


@login_required
def room_edit(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    room = or_404(lambda: selectors.room_of(organization, pk), "No such room")
    return _room_form(request, organization, room.location, room)


def _room_form(
    request: AuthenticatedHttpRequest, organization: Organization, location: Location, room: Any
) -> HttpResponse:
    initial = {} if room is None else {n: getattr(room, n) for n in configure.ROOM_FIELDS}
    if room is not None:
        initial["version"] = room.version
    form = setup_forms.RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            configure.room_save(
                actor=request.user,
                data=form.changes(),
                location=location,
                room=room,
                version=form.cleaned_data["version"],
            )

        if run_service(form, save):
            messages.success(request, _("Room saved."))
            return redirect("manage:scheduling-location", org=organization.pk, pk=location.pk)
    title = (_("Edit room at %(place)s") if room else _("Add a room at %(place)s")) % {
        "place": location.name
    }
    return _form_page(request, organization, form, title=title, submit=_("Save room"))


@login_required
def staff_page(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    """A staff member's weekly availability and upcoming one-off changes."""
    organization = managed_organization(request.user, org)
    staff = or_404(lambda: selectors.staff_member_of(organization, pk), "No such staff member")
    return _staff_page(request, organization, staff)


def _staff_page(
    request: AuthenticatedHttpRequest, organization: Organization, staff: Any, status: int = 200
) -> HttpResponse:
    return _page(
        request,
        "staff.html",
        organization,
        status=status,
        staff=staff,
        patterns=list(selectors.patterns_of(organization, staff)),
        changes=list(selectors.changes_of(organization, staff)),
        subpage=True,
    )


def _locations(organization: Organization) -> Any:
    return Location.objects.filter(organization=organization, is_active=True)


@login_required
def pattern_add(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    staff = or_404(lambda: selectors.staff_member_of(organization, pk), "No such staff member")
    return _pattern_form(request, organization, staff, None)


@login_required
def pattern_edit(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    pattern = or_404(lambda: selectors.pattern_of(organization, pk), "No such availability")
    return _pattern_form(request, organization, pattern.staff, pattern)


def _pattern_form(
    request: AuthenticatedHttpRequest, organization: Organization, staff: Any, pattern: Any
) -> HttpResponse:
    initial: dict[str, Any] = {"time_zone": organization.time_zone}
    if pattern is not None:
        initial = {n: getattr(pattern, n) for n in configure.PATTERN_FIELDS}
        initial["version"] = pattern.version
    form = setup_forms.PatternForm(
        request.POST or None, initial=initial, locations=_locations(organization)
    )
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            configure.pattern_save(
                actor=request.user,
                organization=organization,
                data=form.changes(),
                staff=staff,
                pattern=pattern,
                version=form.cleaned_data["version"],
            )

        if run_service(form, save):
            messages.success(request, _("Weekly availability saved."))
            return redirect("manage:scheduling-staff", org=organization.pk, pk=staff.pk)
    title = (
        _("Edit weekly availability of %(name)s")
        if pattern
        else _("Add weekly availability for %(name)s")
    ) % {"name": staff}
    return _form_page(request, organization, form, title=title, submit=_("Save availability"))


@login_required
@require_POST
def pattern_remove(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    pattern = or_404(lambda: selectors.pattern_of(organization, pk), "No such availability")
    version = version_sent(request.POST.get("version", ""))
    with refusals_as_403():
        try:
            configure.pattern_remove(
                actor=request.user,
                pattern=pattern,
                version=version,
            )
        except StaleVersion:
            messages.error(
                request,
                _("Someone else changed this weekly availability: here it is as it is now."),
            )
            return _staff_page(request, organization, pattern.staff, status=409)
    messages.success(request, _("Weekly availability removed."))
    return redirect("manage:scheduling-staff", org=organization.pk, pk=pattern.staff_id)


@login_required
def change_add(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    staff = or_404(lambda: selectors.staff_member_of(organization, pk), "No such staff member")
    form = setup_forms.ChangeForm(
        request.POST or None,
        initial={"time_zone": organization.time_zone, "kind": AvailabilityChange.Kind.TIME_OFF},
        locations=_locations(organization),
    )
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            configure.change_add(
                actor=request.user, organization=organization, staff=staff, data=form.changes()
            )

        if run_service(form, save):
            messages.success(request, _("Change to availability saved."))
            return redirect("manage:scheduling-staff", org=organization.pk, pk=staff.pk)
    title = _("Time off or extra availability for %(name)s") % {"name": staff}
    return _form_page(request, organization, form, title=title, submit=_("Save change"))


@login_required
@require_POST
def change_remove(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    change = or_404(lambda: selectors.change_of(organization, pk), "No such change")
    with refusals_as_403():
        configure.change_remove(actor=request.user, change=change)
    messages.success(request, _("Change to availability removed."))
    return redirect("manage:scheduling-staff", org=organization.pk, pk=change.staff_id)
