"""The instrument builder: an organization's admins list, create, edit, preview, publish,
retire, copy, import and export screening instruments, under /manage/<org>/instruments/.

Like every /manage/ page, these exist only for the organization's admins (404 for anyone
else, and for another organization's instruments). Shipped instruments are read-only
here: they can be previewed, exported and copied. Drafts are edited one piece at a time
(a question, a score, a rule); every save validates the whole definition and is refused,
with the problems shown next to the form, if anything is wrong. Each form carries the
draft's fingerprint (`services.draft_token`), so a save made from a stale page is refused
with the typed input kept, never silently overwriting someone else's change.

This module has the pages of instruments and versions, publishing and copying; editing
a draft is `drafts`, the preview `preview`, and what they share `building`."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.intake import definitions, drafting, fhir, forms, selectors, sensitive, services
from alongside.intake.models import InstrumentVersion, Need
from alongside.intake.views.building import (
    Attempt,
    base_token,
    builder_page,
    own_version,
    save_attempt,
    status_of,
    version_of,
    version_url,
)
from alongside.lib.views import or_404
from alongside.organizations.contributions import managed_organization
from alongside.organizations.models import Organization

# ---------------------------------------------------------------- list, create, import


@login_required
def instrument_list(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    rows = list(selectors.builder_instruments(organization))
    for row in rows:
        versions = row.version_list  # type: ignore[attr-defined]
        row.active_version = next((v for v in versions if v.status == "active"), None)  # type: ignore[attr-defined]
        row.draft_version = next((v for v in versions if v.status == "draft"), None)  # type: ignore[attr-defined]
    return render(
        request,
        "intake/builder/list.html",
        {
            "organization": organization,
            "own": [r for r in rows if r.organization_id is not None],
            "shipped": [r for r in rows if r.organization_id is None],
            "nav": "manage",
            "section": "instruments",
        },
    )


@login_required
def instrument_create(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    """A new instrument: its name and its first question (a draft always has one)."""
    organization = managed_organization(request.user, org)
    blank: dict[str, Any] = {"items": []}
    form = forms.CreateForm(request.POST or None)
    item = forms.ItemForm(request.POST or None, definition=blank, prefix="item")
    options = forms.OptionFormSet(request.POST or None, prefix="options")
    attempt: Attempt | None = None
    created: list[InstrumentVersion] = []
    if request.method == "POST" and all(f.is_valid() for f in (form, item, options)):
        choices, spanish = forms.options_from(options, None)
        definition = drafting.put_item(
            blank,
            item.item(choices),
            text_es=item.cleaned_data["text_es"],
            options_es=spanish,
        )
        attempt = save_attempt(
            lambda: created.append(
                services.instrument_create(
                    actor=request.user,
                    organization=organization,
                    title=form.cleaned_data["title"],
                    definition=definition,
                )
            )
        )
        if not attempt.failed:
            messages.success(request, _("Instrument created as a draft. Add its other questions."))
            return redirect(version_url(organization.pk, created[0]))
    errors = any(f.errors for f in (form, item)) or options.total_error_count() > 0
    return builder_page(
        request,
        "create.html",
        None,
        {
            "organization": organization,
            "form": form,
            "item_form": item,
            "options": options,
            "problems": attempt.problems if attempt else [],
        },
        status=status_of(errors, attempt),
    )


@login_required
def instrument_import(request: AuthenticatedHttpRequest, org: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        created: list[InstrumentVersion] = []
        try:
            definition = fhir.definition_from_questionnaire(data)
        except fhir.FhirImportError as error:
            form.add_error("file", f"This Questionnaire cannot be used: {error}")
        except (KeyError, TypeError, ValueError) as error:
            form.add_error("file", f"This Questionnaire could not be read ({error!r}).")
        else:
            title = str(data.get("title") or data.get("name") or "Imported questionnaire")
            attempt = save_attempt(
                lambda: created.append(
                    services.instrument_create(
                        actor=request.user,
                        organization=organization,
                        title=title[:200],
                        definition=definition,
                        publisher=str(data.get("publisher") or "")[:200],
                        citation=str(data.get("copyright") or ""),
                        source="FHIR import",
                    )
                )
            )
            for problem in attempt.problems:
                form.add_error("file", problem)
            if created:
                messages.success(request, _("Questionnaire imported as a draft. Review it."))
                return redirect(version_url(organization.pk, created[0]))
    return builder_page(
        request,
        "import.html",
        None,
        {"organization": organization, "form": form},
        status=422 if form.errors else 200,
    )


# ---------------------------------------------------------------- an instrument, a version


@login_required
def instrument_detail(request: AuthenticatedHttpRequest, org: int, pk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    instrument = or_404(
        lambda: selectors.builder_instrument(organization, pk), "No such instrument"
    )
    return builder_page(
        request,
        "instrument.html",
        None,
        {
            "organization": organization,
            "instrument": instrument,
            "own": instrument.organization_id == organization.pk,
            "has_draft": any(v.status == "draft" for v in instrument.version_list),  # type: ignore[attr-defined]
        },
    )


@dataclass(frozen=True)
class ItemRow:
    number: int
    entry: dict[str, Any]
    kind: str
    can_decline: bool
    text_es: str
    options: list[dict[str, Any]]
    condition: str
    first: bool
    last: bool
    sensitive: bool = False


def _item_row(
    number: int, entry: dict[str, Any], definition: Mapping[str, Any], by_id: Mapping[str, Any]
) -> ItemRow:
    spanish = drafting.item_translation(definition, entry["link_id"])
    words = spanish.get("options") or {}
    return ItemRow(
        number=number,
        entry=entry,
        kind=dict(forms.TYPE_CHOICES).get(entry.get("type", ""), str(entry.get("type"))),
        can_decline=definitions.can_decline(definition, entry),
        text_es=spanish.get("text", ""),
        options=[{**o, "spanish": words.get(o.get("code"), "")} for o in entry.get("options", [])],
        condition=_condition_words(entry, by_id),
        first=number == 1,
        last=number == len(definition.get("items", [])),
        sensitive=entry.get("link_id") in sensitive.sensitive_items(definition),
    )


def _condition_words(entry: Mapping[str, Any], items: Mapping[str, Any]) -> str:
    conditions = entry.get("enable_when") or []
    parts = []
    for condition in conditions:
        other = items.get(condition.get("question"), {})
        answers = dict(forms._answers(other)) if other else {}
        answer = condition.get("answer")
        words = answers.get(answer, json.dumps(answer))
        operator = condition.get("operator")
        verb = {"=": "is", "!=": "is not"}.get(operator, operator)
        if operator == "exists":
            parts.append(f"“{other.get('text', condition.get('question'))}” is answered")
        else:
            parts.append(
                f"the answer to “{other.get('text', condition.get('question'))}” {verb} “{words}”"
            )
    joiner = " or " if entry.get("enable_behavior") == "any" else " and "
    return joiner.join(parts)


def _rule_words(rule: Mapping[str, Any], definition: Mapping[str, Any]) -> list[str]:
    items = {i["link_id"]: i for i in definition.get("items", [])}
    words = []
    for condition in rule.get("any", []):
        if "score" in condition:
            words.append(f"score “{condition['score']}” is at least {condition.get('at_least')}")
            continue
        entry = items.get(condition.get("item"), {})
        text = f"“{forms.shortened(str(entry.get('text', condition.get('item'))))}”"
        if "codes" in condition:
            answers = dict(forms._answers(entry)) if entry else {}
            chosen = " or ".join(f"“{answers.get(c, c)}”" for c in condition["codes"])
            words.append(f"the answer to {text} is {chosen}")
        else:
            words.append(f"the answer to {text} scores at least {condition.get('at_least')}")
    return words


def version_page(
    request: HttpRequest,
    organization: Organization,
    version: InstrumentVersion,
    *,
    attempt: Attempt | None = None,
) -> HttpResponse:
    definition = version.definition
    items = definition.get("items", [])
    by_id = {i["link_id"]: i for i in items}
    rows = [
        _item_row(number, entry, definition, by_id) for number, entry in enumerate(items, start=1)
    ]
    kinds = dict(Need.Kind.choices)
    needs = [
        {"title": kinds.get(r.get("kind"), r.get("kind")), "when": _rule_words(r, definition)}
        for r in definition.get("needs", [])
    ]
    urgent = [
        {
            "title": r.get("reason"),
            "guidance": r.get("guidance"),
            "when": _rule_words(r, definition),
        }
        for r in definition.get("urgent", [])
    ]
    return builder_page(
        request,
        "version.html",
        version,
        {
            "organization": organization,
            "own": version.instrument.organization_id == organization.pk,
            "editable": version.status == InstrumentVersion.Status.DRAFT
            and version.instrument.organization_id == organization.pk,
            "rows": rows,
            "wholly_sensitive": sensitive.sensitive_as_a_whole(definition),
            "scores": definition.get("scores", []),
            "rule_sections": [
                ("needs", "Needs", needs, "No need rules: this instrument records no needs."),
                ("urgent", "Urgent rules", urgent, "No urgent rules."),
            ],
            "base": base_token(request, version, attempt),
            "problems": attempt.problems if attempt else [],
            "conflict": bool(attempt and attempt.conflict),
            "has_draft": selectors.has_draft(version.instrument),
        },
        status=status_of(False, attempt),
    )


@login_required
def version_detail(request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    return version_page(request, organization, version_of(organization, pk, vpk))


# ---------------------------------------------------------------- publishing


def _status_action(
    request: AuthenticatedHttpRequest,
    org: int,
    pk: int,
    vpk: int,
    call: Callable[[InstrumentVersion], Any],
) -> HttpResponse:
    version = own_version(request, org, pk, vpk)
    organization = version.instrument.organization
    assert organization is not None
    attempt = save_attempt(lambda: call(version))
    if attempt.failed:
        version = selectors.version_reloaded(version.pk)
        return version_page(request, organization, version, attempt=attempt)
    return redirect(version_url(org, version))


@login_required
@require_POST
def version_publish(request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    def publish(version: InstrumentVersion) -> None:
        services.instrument_publish(
            actor=request.user, version=version, expected=request.POST.get("base", "")
        )
        messages.success(
            request,
            _("Version %(label)s is published: staff can start it from today.")
            % {"label": version.label},
        )

    return _status_action(request, org, pk, vpk, publish)


@login_required
@require_POST
def version_retire(request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    def retire(version: InstrumentVersion) -> None:
        services.instrument_retire(actor=request.user, version=version)
        messages.success(
            request,
            _("Version %(label)s is retired. Screenings already started on it keep it.")
            % {"label": version.label},
        )

    return _status_action(request, org, pk, vpk, retire)


def _created(
    request: AuthenticatedHttpRequest,
    org: int,
    pk: int,
    vpk: int,
    make: Callable[..., Any],
    done: str,
    *,
    own: bool,
) -> HttpResponse:
    organization = managed_organization(request.user, org)
    version = own_version(request, org, pk, vpk) if own else version_of(organization, pk, vpk)
    created: list[InstrumentVersion] = []
    attempt = save_attempt(lambda: created.append(make(organization, version)))
    if attempt.failed:
        return version_page(request, organization, version, attempt=attempt)
    messages.success(request, done)
    return redirect(version_url(org, created[0]))


@login_required
@require_POST
def version_new(request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    return _created(
        request,
        org,
        pk,
        vpk,
        lambda organization, version: services.instrument_new_version(
            actor=request.user, version=version
        ),
        _("New draft version started from the published one."),
        own=True,
    )


@login_required
@require_POST
def version_copy(request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    return _created(
        request,
        org,
        pk,
        vpk,
        lambda organization, version: services.instrument_copy(
            actor=request.user, organization=organization, version=version
        ),
        _("Copied into a new instrument of your own, as a draft. Edit it, then publish it."),
        own=False,
    )


# ---------------------------------------------------------------- FHIR export


@login_required
def version_fhir(request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    organization = managed_organization(request.user, org)
    version = version_of(organization, pk, vpk)
    try:
        resource = fhir.questionnaire(version)
    except fhir.FhirImportError as error:
        messages.error(
            request, _("This version cannot be exported as FHIR: %(why)s") % {"why": error}
        )
        return redirect(version_url(org, version))
    response = HttpResponse(
        json.dumps(resource, indent=2, ensure_ascii=False),
        content_type="application/fhir+json; charset=utf-8",
    )
    filename = f"{version.instrument.slug}-{version.label}.questionnaire.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
