"""Editing a draft of an instrument in the builder, one piece at a time: its name and
source, a question, a score, a need or urgent rule; moving and removing them. Every save
validates the whole definition and is refused with the problems shown next to the form,
and a save made from a stale page is refused with the typed input kept (see `builder`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.intake import (
    definitions,
    drafting,
    forms,
    rule_forms,
    selectors,
    sensitive,
    services,
)
from alongside.intake.models import InstrumentVersion
from alongside.intake.views.builder import version_page
from alongside.intake.views.building import (
    Attempt,
    base_token,
    builder_page,
    edit_draft,
    not_a_draft,
    own_version,
    status_of,
    version_url,
)

RULE_TITLES = {"needs": "need rule", "urgent": "urgent rule"}  # as the draft's history says
RULE_SAVED = {
    "needs": gettext_lazy("Need rule saved."),
    "urgent": gettext_lazy("Urgent rule saved."),
}
RULE_REMOVED = {
    "scores": gettext_lazy("Score removed."),
    "needs": gettext_lazy("Need rule removed."),
    "urgent": gettext_lazy("Urgent rule removed."),
}


@login_required
def details_edit(request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    version = own_version(request, org, pk, vpk)
    if version.status != InstrumentVersion.Status.DRAFT:
        return not_a_draft(request, version)
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

        attempt = edit_draft(
            request,
            version,
            edit,
            "name and source",
            details={k: data[k] for k in services.INSTRUMENT_DETAILS},
        )
        if not attempt.failed:
            messages.success(request, _("Name and source saved."))
            return redirect(version_url(org, version))
    return _form_page(request, "details_form.html", version, {"form": form}, attempt, form.errors)


def _form_page(
    request: HttpRequest,
    template: str,
    version: InstrumentVersion,
    context: dict[str, Any],
    attempt: Attempt | None,
    errors: Any,
) -> HttpResponse:
    return builder_page(
        request,
        template,
        version,
        {
            "organization": version.instrument.organization,
            "base": base_token(request, version, attempt),
            "problems": attempt.problems if attempt else [],
            "conflict": bool(attempt and attempt.conflict),
            **context,
        },
        status=status_of(bool(errors), attempt),
    )


@login_required
def item_edit(
    request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int, link_id: str | None = None
) -> HttpResponse:
    version = own_version(request, org, pk, vpk)
    if version.status != InstrumentVersion.Status.DRAFT:
        return not_a_draft(request, version)
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
        attempt = edit_draft(
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
            messages.success(request, _("Question saved."))
            return redirect(version_url(org, version, f"item-{entry['link_id']}"))
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
    request: AuthenticatedHttpRequest,
    org: int,
    pk: int,
    vpk: int,
    edit: Callable[[dict[str, Any]], dict[str, Any]],
    what: str,
    done: str,
    anchor: str = "",
) -> HttpResponse:
    """A one-button change to a draft: done, or the draft again saying why not."""
    version = own_version(request, org, pk, vpk)
    attempt = edit_draft(request, version, edit, what)
    if attempt.failed:
        version = selectors.version_reloaded(version.pk)
        return version_page(request, version.instrument.organization, version, attempt=attempt)  # type: ignore[arg-type]
    messages.success(request, done)
    return redirect(version_url(org, version, anchor))


@login_required
@require_POST
def item_remove(
    request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int, link_id: str
) -> HttpResponse:
    return _draft_action(
        request,
        org,
        pk,
        vpk,
        lambda d: drafting.remove_item(d, link_id),
        f"question {link_id} removed",
        _("Question removed."),
        "questions",
    )


@login_required
@require_POST
def item_move(
    request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int, link_id: str
) -> HttpResponse:
    offset = -1 if request.POST.get("direction") == "up" else 1
    return _draft_action(
        request,
        org,
        pk,
        vpk,
        lambda d: drafting.move_item(d, link_id, offset),
        f"question {link_id} moved {'up' if offset < 0 else 'down'}",
        _("Question moved."),
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
    request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int, index: int | None = None
) -> HttpResponse:
    version = own_version(request, org, pk, vpk)
    if version.status != InstrumentVersion.Status.DRAFT:
        return not_a_draft(request, version)
    definition = version.definition
    existing = _rule_index(definition, "scores", index)
    form = rule_forms.ScoreForm(
        request.POST or None,
        definition=definition,
        initial={"name": existing.get("name"), "items": existing.get("items")}
        if existing
        else None,
    )
    bands = rule_forms.BandFormSet(
        request.POST or None,
        initial=[dict(b) for b in (existing or {}).get("bands", [])],
        prefix="bands",
    )
    attempt: Attempt | None = None
    if request.method == "POST" and form.is_valid() and bands.is_valid():
        score = form.score(rule_forms.bands_from(bands), existing)
        attempt = edit_draft(
            request,
            version,
            lambda d: drafting.put_rule(d, "scores", score, index),
            f"score {score['name']} {'edited' if existing else 'added'}",
        )
        if not attempt.failed:
            messages.success(request, _("Score saved."))
            return redirect(version_url(org, version, "scores"))
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
    request: AuthenticatedHttpRequest,
    org: int,
    pk: int,
    vpk: int,
    kind: str,
    index: int | None = None,
) -> HttpResponse:
    version = own_version(request, org, pk, vpk)
    if kind not in drafting.RULE_KINDS:
        raise Http404("No such kind of rule")
    if version.status != InstrumentVersion.Status.DRAFT:
        return not_a_draft(request, version)
    definition = version.definition
    existing = _rule_index(definition, kind, index)
    initial = {k: v for k, v in (existing or {}).items() if k != "any"}
    form = rule_forms.RuleForm(request.POST or None, kind=kind, initial=initial)
    conditions = rule_forms.ConditionFormSet(
        request.POST or None,
        initial=rule_forms.condition_initial(existing),
        prefix="conditions",
        form_kwargs={"choices": rule_forms.condition_choices(definition)},
    )
    attempt: Attempt | None = None
    if request.method == "POST" and form.is_valid() and conditions.is_valid():
        rule = form.rule(rule_forms.conditions_from(conditions))
        attempt = edit_draft(
            request,
            version,
            lambda d: drafting.put_rule(d, kind, rule, index),
            f"{RULE_TITLES[kind]} {'edited' if existing else 'added'}",
        )
        if not attempt.failed:
            messages.success(request, str(RULE_SAVED[kind]))
            return redirect(version_url(org, version, kind))
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
        },
        attempt,
        errors,
    )


@login_required
@require_POST
def rule_remove(
    request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int, kind: str, index: int
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
        str(RULE_REMOVED[kind]),
        kind,
    )
