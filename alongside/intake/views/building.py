"""What the instrument builder's pages share (builder, drafts, preview): finding the
version an admin asks for, running a builder service and turning its refusals into
problems or a conflict, the fingerprint the next save is made from, and the page frame."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.intake import drafting, selectors, services
from alongside.intake.models import InstrumentVersion
from alongside.lib.views import or_404, refusals_as_403
from alongside.organizations.contributions import managed_organization
from alongside.organizations.models import Organization

# ---------------------------------------------------------------- lookups


def version_of(organization: Organization, pk: int, vpk: int) -> InstrumentVersion:
    return or_404(lambda: selectors.builder_version(organization, pk, vpk), "No such version")


def own_version(
    request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int
) -> InstrumentVersion:
    """A version of one of the organization's own instruments (shipped ones are read-only:
    their edit pages do not exist)."""
    organization = managed_organization(request.user, org)
    version = version_of(organization, pk, vpk)
    if version.instrument.organization_id != organization.pk:
        raise Http404("Shipped instruments are copied, not edited")
    return version


def version_url(org: int, version: InstrumentVersion, anchor: str = "") -> str:
    url = reverse("manage:instrument-version", args=[org, version.instrument_id, version.pk])
    return f"{url}#{anchor}" if anchor else url


def not_a_draft(request: HttpRequest, version: InstrumentVersion) -> HttpResponse:
    why = (
        _(
            "Version %(label)s is retired: published versions are never edited. Start a new "
            "version to make changes."
        )
        if version.status == InstrumentVersion.Status.RETIRED
        else _(
            "Version %(label)s is active: published versions are never edited. Start a new "
            "version to make changes."
        )
    )
    messages.error(request, why % {"label": version.label})
    return redirect(version_url(org_of(version), version))


def org_of(version: InstrumentVersion) -> int:
    """The organization of one of its own instruments' versions."""
    organization_id = version.instrument.organization_id
    assert organization_id is not None
    return organization_id


# ---------------------------------------------------------------- saving


@dataclass
class Attempt:
    """How a save went: done, refused with problems, or refused as stale."""

    problems: list[str] = field(default_factory=list)
    conflict: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.conflict


def save_attempt(call: Callable[[], Any]) -> Attempt:
    """Run a builder service: its refusals become the Attempt's problems (or its conflict,
    when the draft changed since the page was read)."""
    try:
        with refusals_as_403():
            call()
    except services.DraftChanged:
        return Attempt(conflict=True)
    except ValidationError as error:
        return Attempt(problems=list(error.messages))
    return Attempt()


def edit_draft(
    request: HttpRequest,
    version: InstrumentVersion,
    edit: Callable[[dict[str, Any]], dict[str, Any]],
    what: str,
    details: Mapping[str, str] | None = None,
) -> Attempt:
    return save_attempt(
        lambda: services.instrument_draft_edit(
            actor=request.user,
            version=version,
            expected=request.POST.get("base", ""),
            edit=edit,
            what=what,
            details=details,
        )
    )


def base_token(request: HttpRequest, version: InstrumentVersion, tried: Attempt | None) -> str:
    """The fingerprint the next save is made from: the draft as shown, or, after a
    conflict, as it is now (so saving again applies the kept input to the latest draft)."""
    if tried is not None and tried.conflict:
        return services.draft_token(selectors.version_reloaded(version.pk))
    if request.method == "POST" and tried is not None and "base" in request.POST:
        return request.POST["base"]
    return services.draft_token(version)


def status_of(form_errors: bool, tried: Attempt | None) -> int:
    if tried is not None and tried.conflict:
        return 409
    if form_errors or (tried is not None and tried.problems):
        return 422
    return 200


def builder_page(
    request: HttpRequest,
    template: str,
    version: InstrumentVersion | None,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    base: dict[str, Any] = {"nav": "manage", "section": "instruments", "subpage": True}
    if version is not None:
        instrument = version.instrument
        base |= {
            "version": version,
            "instrument": instrument,
            "version_url": version_url(context["organization"].pk, version),
            "title_es": drafting.translation(version.definition).get("title", ""),
        }
    return render(request, f"intake/builder/{template}", base | context, status=status)
