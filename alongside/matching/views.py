"""Pages of duplicate detection: the check at registration, the duplicates report,
comparing and merging two records, and merges (with undo). Views stay thin: reads in
`selectors` (and `merge_details`), writes in `services`, scoping by `Person.objects.visible_to`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.lib.errors import NotPermitted
from alongside.lib.params import query_page
from alongside.lib.views import attach_errors, or_404
from alongside.matching import merge_details, selectors, services
from alongside.matching.candidates import likely_duplicates
from alongside.matching.forms import MergeForm, ReviewForm, ShowForm, UndoForm
from alongside.matching.merge_words import said_undo_note
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.matching.permissions import (
    MERGE_DENIED,
    can_merge,
    can_review_duplicates,
    can_undo_merge,
)

MAX_FIELD_LENGTH = 150
UNDO_DENIED = "Only organization admins and supervisors of the record's programs can undo a merge."
REPORT_DENIED = (
    "The duplicates report and the list of merges are for organization admins and supervisors."
)


# What the registration form names each field the check reads.
TYPED = {
    "given_name": "legal_given_name",
    "family_name": "legal_family_name",
    "date_of_birth": "date_of_birth",
    "phone": "phone",
    "email": "email",
    "identifier": "identifier_value",
}
# Each of these alone is enough to look for someone (names and a date of birth take two).
STRONG = ("phone", "email", "identifier")


@login_required
def registration_matches(request: HttpRequest) -> HttpResponse:
    """People the user can already see who may be the person being registered, shown
    while the registration form is filled in, so nobody gets a second record."""
    typed = {
        name: request.GET.get(param, "").strip()[:MAX_FIELD_LENGTH] for name, param in TYPED.items()
    }
    filled = sum(bool(value) for value in typed.values())
    ready = filled >= 2 or any(typed[name] for name in STRONG)
    candidates = likely_duplicates(request.user, typed) if ready else []
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
    pair = or_404(lambda: selectors.pair_for(request.user, pk), "No such pair")
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
            messages.success(request, _("The pair is back in the list to review."))
        else:
            messages.success(
                request,
                _("Recorded: %(a)s (#%(a_pk)s) and %(b)s (#%(b_pk)s) are not the same person.")
                % {
                    "a": pair.person_a.display_name,
                    "a_pk": pair.person_a_id,
                    "b": pair.person_b.display_name,
                    "b_pk": pair.person_b_id,
                },
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
        attach_errors(form, error)
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
    a, b = or_404(
        lambda: selectors.people_to_compare(request.user, first, second), "No such person"
    )
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
                _(
                    "Merged: record #%(merged)s is now part of %(name)s's record (#%(survivor)s). "
                    "You can undo this merge below."
                )
                % {"merged": merged.pk, "name": survivor.display_name, "survivor": survivor.pk},
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


@login_required
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        record = or_404(lambda: selectors.merge_record(request.user, pk), "No such merge")
    except NotPermitted as error:
        return _denied(request, str(error))
    may_undo = not record.is_undone and can_undo_merge(request.user, record.survivor)
    form = UndoForm(request.POST or None)
    status = 200
    if request.method == "POST":
        answer, status = _undo(request, record, form, may_undo=may_undo)
        if answer is not None:
            return answer
    # Values of both records: once the merge is undone, only for those who see both.
    shows_details = record.shows_survivor and record.shows_merged  # type: ignore[attr-defined]
    context = {
        "record": record,
        **(merge_details.shown(record) if shows_details else merge_details.NONE_SHOWN),
        "shows_details": shows_details,
        "undo_notes": [said_undo_note(note) for note in record.undo_notes],
        "form": form,
        "may_undo": may_undo,
        "later": selectors.later_merge(record),
        "nav": "duplicates",
    }
    return render(request, "matching/merge_detail.html", context, status=status)


def _undo(
    request: HttpRequest, record: MergeRecord, form: BaseForm, *, may_undo: bool
) -> tuple[HttpResponse | None, int]:
    """Undo the merge for a posted form: (the page to answer with, or None to show the
    merge again; the status)."""
    if not may_undo:
        if record.is_undone:
            messages.info(request, _("This merge has already been undone."))
            return redirect("matching:merge-detail", pk=record.pk), 302
        return _denied(request, UNDO_DENIED), 403
    if not form.is_valid():
        return None, 422
    undone, status, denied = _attempt(
        request,
        form,
        lambda: services.person_merge_undo(
            actor=request.user, merge_record=record, reason=form.cleaned_data["undo_reason"]
        ),
    )
    if denied is not None:
        return denied, status
    if undone is not None:
        messages.success(
            request,
            _("The merge is undone: record #%(pk)s is back as it was.") % {"pk": record.merged_id},
        )
        return redirect("matching:merge-detail", pk=record.pk), 302
    return None, 422 if status == 200 else status
