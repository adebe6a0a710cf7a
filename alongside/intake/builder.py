"""The instrument builder: an organization's admins list, create, edit, preview, publish,
retire, copy, import and export screening instruments, under /manage/<org>/instruments/.

Like every /manage/ page, these exist only for the organization's admins (404 for anyone
else, and for another organization's instruments). Shipped instruments are read-only
here: they can be previewed, exported and copied. Drafts are edited one piece at a time
(a question, a score, a rule); every save validates the whole definition and is refused,
with the problems shown next to the form, if anything is wrong. Each form carries the
draft's fingerprint (`services.draft_token`), so a save made from a stale page is refused
with the typed input kept, never silently overwriting someone else's change."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from alongside.intake import definitions, drafting, fhir, forms, selectors, sensitive, services
from alongside.intake.definitions import Given
from alongside.intake.models import Instrument, InstrumentVersion, Need
from alongside.lib.errors import NotPermitted
from alongside.organizations import selectors as org_selectors
from alongside.organizations.models import Organization

DECLINED = "__declined__"
RULE_TITLES = {"needs": "need rule", "urgent": "urgent rule"}
# The words around the questions in the preview, in the language it is shown in.
PREVIEW_WORDS = {
    "en": {
        "decline": "Prefer not to answer",
        "yes": "Yes",
        "no": "No",
        "required": "(required)",
        "update": "Update preview",
        "number": "Enter a whole number.",
    },
    "es": {
        "decline": "Prefiero no contestar",
        "yes": "Sí",
        "no": "No",
        "required": "(obligatoria)",
        "update": "Actualizar la vista previa",
        "number": "Escriba un número entero.",
    },
}
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


# ---------------------------------------------------------------- lookups


def _organization(request: HttpRequest, org: int) -> Organization:
    try:
        return org_selectors.organization_for_admin(request.user, org)
    except Organization.DoesNotExist:
        raise Http404("No such organization") from None


def _instrument(organization: Organization, pk: int) -> Instrument:
    try:
        return selectors.builder_instrument(organization, pk)
    except Instrument.DoesNotExist:
        raise Http404("No such instrument") from None


def _version(organization: Organization, pk: int, vpk: int) -> InstrumentVersion:
    try:
        return selectors.builder_version(organization, pk, vpk)
    except InstrumentVersion.DoesNotExist:
        raise Http404("No such version") from None


def _own_version(request: HttpRequest, org: int, pk: int, vpk: int) -> InstrumentVersion:
    """A version of one of the organization's own instruments (shipped ones are read-only:
    their edit pages do not exist)."""
    organization = _organization(request, org)
    version = _version(organization, pk, vpk)
    if version.instrument.organization_id != organization.pk:
        raise Http404("Shipped instruments are copied, not edited")
    return version


def _version_url(org: int, version: InstrumentVersion, anchor: str = "") -> str:
    url = reverse("manage:instrument-version", args=[org, version.instrument_id, version.pk])
    return f"{url}#{anchor}" if anchor else url


def _not_a_draft(request: HttpRequest, version: InstrumentVersion) -> HttpResponse:
    messages.error(
        request,
        f"Version {version.label} is {version.get_status_display().lower()}: published "
        "versions are never edited. Start a new version to make changes.",
    )
    return redirect(_version_url(org_of(version), version))


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


def _attempt(call: Callable[[], Any]) -> Attempt:
    try:
        call()
    except services.DraftChanged:
        return Attempt(conflict=True)
    except ValidationError as error:
        return Attempt(problems=list(error.messages))
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    return Attempt()


def _edit(
    request: HttpRequest,
    version: InstrumentVersion,
    edit: Callable[[dict[str, Any]], dict[str, Any]],
    what: str,
    details: Mapping[str, str] | None = None,
) -> Attempt:
    return _attempt(
        lambda: services.instrument_draft_edit(
            actor=request.user,
            version=version,
            expected=request.POST.get("base", ""),
            edit=edit,
            what=what,
            details=details,
        )
    )


def _base(request: HttpRequest, version: InstrumentVersion, attempt: Attempt | None) -> str:
    """The fingerprint the next save is made from: the draft as shown, or, after a
    conflict, as it is now (so saving again applies the kept input to the latest draft)."""
    if attempt is not None and attempt.conflict:
        fresh = InstrumentVersion.objects.select_related("instrument").get(pk=version.pk)
        return services.draft_token(fresh)
    if request.method == "POST" and attempt is not None and "base" in request.POST:
        return request.POST["base"]
    return services.draft_token(version)


def _status(form_errors: bool, attempt: Attempt | None) -> int:
    if attempt is not None and attempt.conflict:
        return 409
    if form_errors or (attempt is not None and attempt.problems):
        return 422
    return 200


def _page(
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
            "version_url": _version_url(context["organization"].pk, version),
            "title_es": drafting.translation(version.definition).get("title", ""),
        }
    return render(request, f"intake/builder/{template}", base | context, status=status)


# ---------------------------------------------------------------- list, create, import


@login_required
def instrument_list(request: HttpRequest, org: int) -> HttpResponse:
    organization = _organization(request, org)
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
def instrument_create(request: HttpRequest, org: int) -> HttpResponse:
    """A new instrument: its name and its first question (a draft always has one)."""
    organization = _organization(request, org)
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
        attempt = _attempt(
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
            messages.success(request, "Instrument created as a draft. Add its other questions.")
            return redirect(_version_url(organization.pk, created[0]))
    errors = any(f.errors for f in (form, item)) or options.total_error_count() > 0
    return _page(
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
        status=_status(errors, attempt),
    )


@login_required
def instrument_import(request: HttpRequest, org: int) -> HttpResponse:
    organization = _organization(request, org)
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
            attempt = _attempt(
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
                messages.success(request, "Questionnaire imported as a draft. Review it.")
                return redirect(_version_url(organization.pk, created[0]))
    return _page(
        request,
        "import.html",
        None,
        {"organization": organization, "form": form},
        status=422 if form.errors else 200,
    )


# ---------------------------------------------------------------- an instrument, a version


@login_required
def instrument_detail(request: HttpRequest, org: int, pk: int) -> HttpResponse:
    organization = _organization(request, org)
    instrument = _instrument(organization, pk)
    return _page(
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
        text = f"“{forms._short(str(entry.get('text', condition.get('item'))))}”"
        if "codes" in condition:
            answers = dict(forms._answers(entry)) if entry else {}
            chosen = " or ".join(f"“{answers.get(c, c)}”" for c in condition["codes"])
            words.append(f"the answer to {text} is {chosen}")
        else:
            words.append(f"the answer to {text} scores at least {condition.get('at_least')}")
    return words


def _version_page(
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
    return _page(
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
            "base": _base(request, version, attempt),
            "problems": attempt.problems if attempt else [],
            "conflict": bool(attempt and attempt.conflict),
            "has_draft": version.instrument.versions.filter(status="draft").exists(),
        },
        status=_status(False, attempt),
    )


@login_required
def version_detail(request: HttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    organization = _organization(request, org)
    return _version_page(request, organization, _version(organization, pk, vpk))


# ---------------------------------------------------------------- editing a draft


@login_required
def details_edit(request: HttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    version = _own_version(request, org, pk, vpk)
    if version.status != InstrumentVersion.Status.DRAFT:
        return _not_a_draft(request, version)
    instrument = version.instrument
    # A shipped behavioral-health instrument's code makes it sensitive whatever the box.
    by_code = sensitive.is_behavioral_health_panel(version.definition)
    form = forms.DetailsForm(
        request.POST or None,
        initial={
            "title": instrument.title,
            "title_es": drafting.translation(version.definition).get("title", ""),
            "publisher": instrument.publisher,
            "citation": instrument.citation,
            "sensitive": sensitive.sensitive_as_a_whole(version.definition),
        },
        sensitive_by_code=by_code,
    )
    attempt: Attempt | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def edit(definition: dict[str, Any]) -> dict[str, Any]:
            definition = drafting.set_title(definition, data["title_es"])
            return definition if by_code else drafting.set_sensitive(definition, data["sensitive"])

        attempt = _edit(
            request,
            version,
            edit,
            "name and source",
            details={k: data[k] for k in services.INSTRUMENT_DETAILS},
        )
        if not attempt.failed:
            messages.success(request, "Name and source saved.")
            return redirect(_version_url(org, version))
    return _form_page(request, "details_form.html", version, {"form": form}, attempt, form.errors)


def _form_page(
    request: HttpRequest,
    template: str,
    version: InstrumentVersion,
    context: dict[str, Any],
    attempt: Attempt | None,
    errors: Any,
) -> HttpResponse:
    return _page(
        request,
        template,
        version,
        {
            "organization": version.instrument.organization,
            "base": _base(request, version, attempt),
            "problems": attempt.problems if attempt else [],
            "conflict": bool(attempt and attempt.conflict),
            **context,
        },
        status=_status(bool(errors), attempt),
    )


@login_required
def item_edit(
    request: HttpRequest, org: int, pk: int, vpk: int, link_id: str | None = None
) -> HttpResponse:
    version = _own_version(request, org, pk, vpk)
    if version.status != InstrumentVersion.Status.DRAFT:
        return _not_a_draft(request, version)
    definition = version.definition
    existing = definitions.item(definition, link_id) if link_id is not None else None
    if link_id is not None and existing is None:
        raise Http404("No such question")
    form = forms.ItemForm(request.POST or None, definition=definition, existing=existing)
    options = forms.OptionFormSet(
        request.POST or None,
        initial=forms.option_initial(definition, existing),
        prefix="options",
    )
    attempt: Attempt | None = None
    if request.method == "POST" and form.is_valid() and options.is_valid():
        choices, spanish = forms.options_from(options, existing)
        entry = form.item(choices)
        attempt = _edit(
            request,
            version,
            lambda d: drafting.put_item(
                d,
                entry,
                replacing=link_id,
                text_es=form.cleaned_data["text_es"],
                options_es=spanish,
            ),
            f"question {entry['link_id']} {'edited' if existing else 'added'}",
        )
        if not attempt.failed:
            messages.success(request, "Question saved.")
            return redirect(_version_url(org, version, f"item-{entry['link_id']}"))
    errors = form.errors or options.total_error_count()
    return _form_page(
        request,
        "item_form.html",
        version,
        {"form": form, "options": options, "existing": existing},
        attempt,
        errors,
    )


def _draft_action(
    request: HttpRequest,
    org: int,
    pk: int,
    vpk: int,
    edit: Callable[[dict[str, Any]], dict[str, Any]],
    what: str,
    done: str,
    anchor: str = "",
) -> HttpResponse:
    """A one-button change to a draft: done, or the draft again saying why not."""
    version = _own_version(request, org, pk, vpk)
    attempt = _edit(request, version, edit, what)
    if attempt.failed:
        version.refresh_from_db()
        return _version_page(request, version.instrument.organization, version, attempt=attempt)  # type: ignore[arg-type]
    messages.success(request, done)
    return redirect(_version_url(org, version, anchor))


@login_required
@require_POST
def item_remove(request: HttpRequest, org: int, pk: int, vpk: int, link_id: str) -> HttpResponse:
    return _draft_action(
        request,
        org,
        pk,
        vpk,
        lambda d: drafting.remove_item(d, link_id),
        f"question {link_id} removed",
        "Question removed.",
        "questions",
    )


@login_required
@require_POST
def item_move(request: HttpRequest, org: int, pk: int, vpk: int, link_id: str) -> HttpResponse:
    offset = -1 if request.POST.get("direction") == "up" else 1
    return _draft_action(
        request,
        org,
        pk,
        vpk,
        lambda d: drafting.move_item(d, link_id, offset),
        f"question {link_id} moved {'up' if offset < 0 else 'down'}",
        "Question moved.",
        f"item-{link_id}",
    )


def _rule_index(definition: Mapping[str, Any], kind: str, index: int | None) -> Any:
    if kind not in ("scores", *drafting.RULE_KINDS):
        raise Http404("No such kind of rule")
    rules = definition.get(kind, [])
    if index is None:
        return None
    if not 0 <= index < len(rules):
        raise Http404("No such rule")
    return rules[index]


@login_required
def score_edit(
    request: HttpRequest, org: int, pk: int, vpk: int, index: int | None = None
) -> HttpResponse:
    version = _own_version(request, org, pk, vpk)
    if version.status != InstrumentVersion.Status.DRAFT:
        return _not_a_draft(request, version)
    definition = version.definition
    existing = _rule_index(definition, "scores", index)
    form = forms.ScoreForm(
        request.POST or None,
        definition=definition,
        initial={"name": existing.get("name"), "items": existing.get("items")}
        if existing
        else None,
    )
    bands = forms.BandFormSet(
        request.POST or None,
        initial=[dict(b) for b in (existing or {}).get("bands", [])],
        prefix="bands",
    )
    attempt: Attempt | None = None
    if request.method == "POST" and form.is_valid() and bands.is_valid():
        score = form.score(forms.bands_from(bands), existing)
        attempt = _edit(
            request,
            version,
            lambda d: drafting.put_rule(d, "scores", score, index),
            f"score {score['name']} {'edited' if existing else 'added'}",
        )
        if not attempt.failed:
            messages.success(request, "Score saved.")
            return redirect(_version_url(org, version, "scores"))
    errors = form.errors or bands.total_error_count()
    return _form_page(
        request,
        "score_form.html",
        version,
        {"form": form, "bands": bands, "existing": existing},
        attempt,
        errors,
    )


@login_required
def rule_edit(
    request: HttpRequest, org: int, pk: int, vpk: int, kind: str, index: int | None = None
) -> HttpResponse:
    version = _own_version(request, org, pk, vpk)
    if kind not in drafting.RULE_KINDS:
        raise Http404("No such kind of rule")
    if version.status != InstrumentVersion.Status.DRAFT:
        return _not_a_draft(request, version)
    definition = version.definition
    existing = _rule_index(definition, kind, index)
    initial = {k: v for k, v in (existing or {}).items() if k != "any"}
    form = forms.RuleForm(request.POST or None, kind=kind, initial=initial)
    conditions = forms.ConditionFormSet(
        request.POST or None,
        initial=forms.condition_initial(existing),
        prefix="conditions",
        form_kwargs={"choices": forms.condition_choices(definition)},
    )
    attempt: Attempt | None = None
    if request.method == "POST" and form.is_valid() and conditions.is_valid():
        rule = form.rule(forms.conditions_from(conditions))
        attempt = _edit(
            request,
            version,
            lambda d: drafting.put_rule(d, kind, rule, index),
            f"{RULE_TITLES[kind]} {'edited' if existing else 'added'}",
        )
        if not attempt.failed:
            messages.success(request, f"{RULE_TITLES[kind].capitalize()} saved.")
            return redirect(_version_url(org, version, kind))
    errors = form.errors or conditions.total_error_count()
    return _form_page(
        request,
        "rule_form.html",
        version,
        {
            "form": form,
            "conditions": conditions,
            "existing": existing,
            "kind": kind,
            "rule_title": RULE_TITLES[kind],
        },
        attempt,
        errors,
    )


@login_required
@require_POST
def rule_remove(
    request: HttpRequest, org: int, pk: int, vpk: int, kind: str, index: int
) -> HttpResponse:
    if kind not in ("scores", *drafting.RULE_KINDS):
        raise Http404("No such kind of rule")
    title = "score" if kind == "scores" else RULE_TITLES[kind]
    return _draft_action(
        request,
        org,
        pk,
        vpk,
        lambda d: drafting.remove_rule(d, kind, index),
        f"{title} {index + 1} removed",
        f"{title.capitalize()} removed.",
        kind,
    )


# ---------------------------------------------------------------- publishing


def _status_action(
    request: HttpRequest, org: int, pk: int, vpk: int, call: Callable[[InstrumentVersion], Any]
) -> HttpResponse:
    version = _own_version(request, org, pk, vpk)
    organization = version.instrument.organization
    assert organization is not None
    attempt = _attempt(lambda: call(version))
    if attempt.failed:
        version.refresh_from_db()
        return _version_page(request, organization, version, attempt=attempt)
    return redirect(_version_url(org, version))


@login_required
@require_POST
def version_publish(request: HttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    def publish(version: InstrumentVersion) -> None:
        services.instrument_publish(
            actor=request.user, version=version, expected=request.POST.get("base", "")
        )
        messages.success(
            request,
            f"Version {version.label} is published: staff can start it from today.",
        )

    return _status_action(request, org, pk, vpk, publish)


@login_required
@require_POST
def version_retire(request: HttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    def retire(version: InstrumentVersion) -> None:
        services.instrument_retire(actor=request.user, version=version)
        messages.success(
            request,
            f"Version {version.label} is retired. Screenings already started on it keep it.",
        )

    return _status_action(request, org, pk, vpk, retire)


def _created(
    request: HttpRequest,
    org: int,
    pk: int,
    vpk: int,
    make: Callable[..., Any],
    done: str,
    *,
    own: bool,
) -> HttpResponse:
    organization = _organization(request, org)
    version = _own_version(request, org, pk, vpk) if own else _version(organization, pk, vpk)
    created: list[InstrumentVersion] = []
    attempt = _attempt(lambda: created.append(make(organization, version)))
    if attempt.failed:
        return _version_page(request, organization, version, attempt=attempt)
    messages.success(request, done)
    return redirect(_version_url(org, created[0]))


@login_required
@require_POST
def version_new(request: HttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    return _created(
        request,
        org,
        pk,
        vpk,
        lambda organization, version: services.instrument_new_version(
            actor=request.user, version=version
        ),
        "New draft version started from the published one.",
        own=True,
    )


@login_required
@require_POST
def version_copy(request: HttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    return _created(
        request,
        org,
        pk,
        vpk,
        lambda organization, version: services.instrument_copy(
            actor=request.user, organization=organization, version=version
        ),
        "Copied into a new instrument of your own, as a draft. Edit it, then publish it.",
        own=False,
    )


# ---------------------------------------------------------------- FHIR export


@login_required
def version_fhir(request: HttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    organization = _organization(request, org)
    version = _version(organization, pk, vpk)
    try:
        resource = fhir.questionnaire(version)
    except fhir.FhirImportError as error:
        messages.error(request, f"This version cannot be exported as FHIR: {error}")
        return redirect(_version_url(org, version))
    response = HttpResponse(
        json.dumps(resource, indent=2, ensure_ascii=False),
        content_type="application/fhir+json; charset=utf-8",
    )
    filename = f"{version.instrument.slug}-{version.label}.questionnaire.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- preview


@dataclass(frozen=True)
class PreviewQuestion:
    number: int
    entry: dict[str, Any]
    name: str
    value: str
    declined: bool
    can_decline: bool
    error: str


def _preview_answers(
    definition: Mapping[str, Any], query: QueryDict, words: Mapping[str, str]
) -> tuple[list[PreviewQuestion], dict[str, Given]]:
    """The questions asked, given the answers in the query so far, and those answers as
    scoring sees them. Skip logic only looks back, so one pass in order is enough."""
    given: dict[str, Given] = {}
    shown: list[PreviewQuestion] = []
    for entry in definition.get("items", []):
        if not definitions.is_enabled(entry, given):
            continue
        link_id = entry["link_id"]
        raw = query.get(f"a-{link_id}", "").strip()
        decline = definitions.can_decline(definition, entry)
        declined = decline and (raw == DECLINED or query.get(f"d-{link_id}") == "1")
        error = ""
        if declined:
            given[link_id] = Given(declined=True)
        elif raw:
            value: Any = raw
            if entry["type"] == "boolean":
                value = raw == "true"
            elif entry["type"] == "integer":
                try:
                    value = int(raw)
                except ValueError:
                    value = None
                    error = words["number"]
            if value is not None:
                error = error or _check(entry, value)
                if not error:
                    given[link_id] = Given(value=value)
        shown.append(
            PreviewQuestion(
                number=len(shown) + 1,
                entry=entry,
                name=f"a-{link_id}",
                value=raw,
                declined=declined,
                can_decline=decline,
                error=error,
            )
        )
    return shown, given


def _check(entry: Mapping[str, Any], value: Any) -> str:
    return definitions.check_value(entry, value) or ""


@login_required
def version_preview(request: HttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    """The version as the person will see it, in any of its languages, with its skip
    logic working (each change asks the server again; nothing is saved)."""
    organization = _organization(request, org)
    version = _version(organization, pk, vpk)
    definition = version.definition
    translated = definitions.languages(definition)
    languages = [*translated, *(["es"] if "es" not in translated else [])]
    language = request.GET.get("lang", "en")
    if language not in languages:
        language = "en"
    words = PREVIEW_WORDS.get(language, PREVIEW_WORDS["en"])
    shown_definition = definitions.localized(definition, language)
    questions, given = _preview_answers(shown_definition, request.GET, words)
    outcome = definitions.score(definition, given)
    switches = []
    for code in languages:
        query = request.GET.copy()
        query["lang"] = code
        switches.append(
            {"code": code, "name": LANGUAGE_NAMES.get(code, code), "query": query.urlencode()}
        )
    title = version.instrument.title
    if language != "en":
        title = drafting.translation(definition, language).get("title") or title
    kinds = dict(Need.Kind.choices)
    return _page(
        request,
        "preview.html",
        version,
        {
            "organization": organization,
            "language": language,
            "words": words,
            "switches": switches,
            "person_title": title,
            "questions": questions,
            "hidden": len(definition.get("items", [])) - len(questions),
            "outcome": outcome,
            "outcome_needs": [kinds.get(n, n) for n in outcome.needs],
            "declined_value": DECLINED,
            "answered": bool(given),
            "untranslated": language not in translated,
            "language_name": LANGUAGE_NAMES.get(language, language),
        },
    )
