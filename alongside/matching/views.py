"""Pages of duplicate detection: the check at registration, the duplicates report,
comparing and merging two records, and merges (with undo). Views stay thin: reads in
`review`, writes in `services`, scoping by `Person.objects.visible_to`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from alongside.lib.errors import NotPermitted
from alongside.lib.params import query_page
from alongside.matching import selectors, services
from alongside.matching.candidates import likely_duplicates
from alongside.matching.forms import MergeForm, ReviewForm, ShowForm, UndoForm
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.matching.permissions import (
    MERGE_DENIED,
    can_merge,
    can_review_duplicates,
    can_undo_merge,
)
from alongside.people.models import PROFILE_FIELDS, Person, Profile
from alongside.people.sensitivity import SENSITIVE_PROFILE_FIELDS as SENSITIVE_FIELDS

MAX_FIELD_LENGTH = 150
UNDO_DENIED = "Only organization admins and supervisors of the record's programs can undo a merge."
REPORT_DENIED = (
    "The duplicates report and the list of merges are for organization admins and supervisors."
)


@login_required
def registration_matches(request: HttpRequest) -> HttpResponse:
    """People the user can already see who may be the person being registered, shown
    while the registration form is filled in, so nobody gets a second record."""
    typed = {
        "given_name": request.GET.get("legal_given_name", ""),
        "family_name": request.GET.get("legal_family_name", ""),
        "date_of_birth": request.GET.get("date_of_birth", ""),
    }
    typed = {name: value.strip()[:MAX_FIELD_LENGTH] for name, value in typed.items()}
    filled = sum(bool(value) for value in typed.values())
    candidates = likely_duplicates(request.user, typed) if filled >= 2 else []
    return render(request, "matching/_registration_matches.html", {"candidates": candidates})


def _denied(
    request: HttpRequest, message: str, *, title: str = "Not available", status: int = 403
) -> HttpResponse:
    return render(
        request,
        "matching/denied.html",
        {"title": title, "message": message, "nav": "duplicates"},
        status=status,
    )


def _attach(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    if not can_review_duplicates(request.user):
        return _denied(request, REPORT_DENIED)
    form = ShowForm(request.GET)
    show = form.cleaned_data["show"] if form.is_valid() and form.cleaned_data["show"] else "open"
    page = query_page(request.GET)
    pairs, has_next = selectors.duplicate_pairs(request.user, show=show, page=page)
    context = {
        "form": form,
        "pairs": pairs,
        "show": show,
        "page": page,
        "has_next": has_next,
        "nav": "duplicates",
    }
    return render(request, "matching/duplicates.html", context)


@login_required
@require_POST
def pair_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a pair 'not the same person' (or back to not reviewed)."""
    try:
        pair = selectors.pair_for(request.user, pk)
    except DuplicatePair.DoesNotExist:
        raise Http404("No such pair") from None
    status = request.POST.get("status", DuplicatePair.Status.NOT_THE_SAME)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.duplicate_pair_review(actor=request.user, pair=pair, status=status, note=note)
    except NotPermitted as error:
        return _denied(request, str(error))
    except (services.MergeRefused, ValidationError) as error:
        messages.error(request, _message(error))
    else:
        if status == DuplicatePair.Status.OPEN:
            messages.success(request, "The pair is back in the list to review.")
        else:
            messages.success(
                request,
                f"Recorded: {pair.person_a.display_name} (#{pair.person_a_id}) and "
                f"{pair.person_b.display_name} (#{pair.person_b_id}) are not the same person.",
            )
    show = request.POST.get("show", "open")
    return redirect(
        f"{reverse('matching:duplicates')}?show={show if show in selectors.SHOW else 'open'}"
    )


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _attempt(
    request: HttpRequest, form: BaseForm, call: Callable[[], Any]
) -> tuple[Any, int, HttpResponse | None]:
    """Run a merge or undo for a valid form: (its result, status, page to answer with).
    Refusals become form errors (409 when a record changed meanwhile), or the page that
    says who may do this."""
    try:
        return call(), 200, None
    except ValidationError as error:
        _attach(form, error)
    except NotPermitted as error:
        return None, 403, _denied(request, str(error))
    except services.MergeRefused as error:
        form.add_error(None, str(error))
        return None, 409, None
    return None, 200, None


@login_required
def merge_compare(request: HttpRequest, first: int, second: int) -> HttpResponse:
    if first == second:
        return _denied(
            request,
            "A record cannot be merged into itself. Choose two different records.",
            title="The same record twice",
            status=400,
        )
    try:
        a, b = selectors.people_to_compare(request.user, first, second)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    if a.person.organization_id != b.person.organization_id:
        return _denied(request, "Records of two different organizations cannot be merged.")
    if not can_merge(request.user, a.person, b.person):
        return _denied(request, MERGE_DENIED, title="You cannot merge these records")
    form = MergeForm(request.POST or None, people=(a.person, b.person))
    status = 200
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["survivor"]
        survivor, merged = (a.person, b.person) if chosen == a.person.pk else (b.person, a.person)
        record, status, denied = _attempt(
            request,
            form,
            lambda: services.person_merge(
                actor=request.user,
                survivor=survivor,
                merged=merged,
                reason=form.cleaned_data["reason"],
            ),
        )
        if denied is not None:
            return denied
        if record is not None:
            messages.success(
                request,
                f"Merged: record #{merged.pk} is now part of {survivor.display_name}'s "
                f"record (#{survivor.pk}). You can undo this merge below.",
            )
            return redirect("matching:merge-detail", pk=record.pk)
    if form.errors and status == 200:
        status = 422
    rows = [(label, count, b.rows[n][1]) for n, (label, count) in enumerate(a.rows)]
    context = {"a": a.person, "b": b.person, "rows": rows, "form": form, "nav": "duplicates"}
    return render(request, "matching/compare.html", context, status=status)


@login_required
def merge_list(request: HttpRequest) -> HttpResponse:
    if not can_review_duplicates(request.user):
        return _denied(request, REPORT_DENIED)
    page = query_page(request.GET)
    records, has_next = selectors.merge_records(request.user, page=page)
    context = {"records": records, "page": page, "has_next": has_next, "nav": "duplicates"}
    return render(request, "matching/merge_list.html", context)


def _model_label(label: str) -> str:
    try:
        model: Any = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name)


def _changes(record: MergeRecord) -> list[dict[str, Any]]:
    """The values the merge set, for people to read; sensitive values are not shown."""
    shown = []
    for change in record.changed:
        hidden = change["field"] in SENSITIVE_FIELDS
        shown.append(
            {
                "what": f"{_model_label(change['model'])} #{change['id']}",
                "field": change["field"].removesuffix("_id").replace("_", " "),
                "old": "(not shown)" if hidden else change["old"],
                "new": "(not shown)" if hidden else change["new"],
                "why": change["why"],
            }
        )
    return shown


def _kept_words(record: MergeRecord) -> list[tuple[str, str]]:
    """Profile sections of the merged record the survivor kept its own words for."""
    wanted = [
        (row["id"], row["field"])
        for row in record.kept
        if row["model"] == "people.profile" and row.get("field")
    ]
    if not wanted:
        return []
    profiles = {p.pk: p for p in Profile.objects.filter(pk__in={pk for pk, _ in wanted})}
    labels = dict(PROFILE_FIELDS)
    words = []
    for pk, name in wanted:
        profile = profiles.get(pk)
        if profile is None or name in SENSITIVE_FIELDS:
            continue
        words.append((labels.get(name, name), str(getattr(profile, name))))
    return words


def _person_value(name: str, value: Any) -> str:
    """An identity field's value as people read it (a date, a choice's label)."""
    if value in ("", None):
        return "(empty)"
    field: Any = Person._meta.get_field(name)
    value = field.to_python(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return date_format(value, "M j, Y")
    return str(value)


def _kept_details(record: MergeRecord) -> list[dict[str, str]]:
    """Identity fields where both records had their own value: the survivor's stayed,
    the merged record's is listed here to copy if it should be kept."""
    rows = []
    for row in record.kept:
        name = row.get("field")
        if row["model"] != "people.person" or not name or name in SENSITIVE_FIELDS:
            continue
        field: Any = Person._meta.get_field(name)
        rows.append(
            {
                "field": capfirst(str(field.verbose_name)),
                "survivor": _person_value(name, getattr(record.survivor, name, None)),
                "merged": _person_value(name, row.get("value")),
            }
        )
    return rows


@login_required
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        record = selectors.merge_record(request.user, pk)
    except MergeRecord.DoesNotExist:
        raise Http404("No such merge") from None
    except NotPermitted as error:
        return _denied(request, str(error))
    # Values of both records: once the merge is undone, only for those who see both.
    shows_details = record.shows_survivor and record.shows_merged  # type: ignore[attr-defined]
    may_undo = not record.is_undone and can_undo_merge(request.user, record.survivor)
    later = None
    if record.survivor.merged_into_id is not None and not record.is_undone:
        later = (
            MergeRecord.objects.filter(merged_id=record.survivor_id, undone_at__isnull=True)
            .order_by("-merged_at")
            .first()
        )
    form = UndoForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_undo:
            if record.is_undone:
                messages.info(request, "This merge has already been undone.")
                return redirect("matching:merge-detail", pk=record.pk)
            return _denied(
                request,
                UNDO_DENIED,
            )
        if form.is_valid():
            undone, status, denied = _attempt(
                request,
                form,
                lambda: services.person_merge_undo(
                    actor=request.user,
                    merge_record=record,
                    reason=form.cleaned_data["undo_reason"],
                ),
            )
            if denied is not None:
                return denied
            if undone is not None:
                messages.success(
                    request,
                    f"The merge is undone: record #{record.merged_id} is back as it was.",
                )
                return redirect("matching:merge-detail", pk=record.pk)
        if form.errors and status == 200:
            status = 422
    context = {
        "record": record,
        "changes": _changes(record) if shows_details else [],
        "kept_words": _kept_words(record) if shows_details else [],
        "kept_details": _kept_details(record) if shows_details else [],
        "shows_details": shows_details,
        "form": form,
        "may_undo": may_undo,
        "later": later,
        "nav": "duplicates",
    }
    return render(request, "matching/merge_detail.html", context, status=status)
