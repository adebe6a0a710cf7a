"""Filling in a screening: staff asking the questions on one page that saves as they go,
or the person answering one question at a time, on a handed-over device or a link."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.intake import (
    definitions,
    fhir,
    kiosk,
    selectors,
    sensitive,
    services,
    translation_gate,
)
from alongside.intake import fill_forms as forms
from alongside.intake.models import ScreeningLink, ScreeningResponse
from alongside.intake.person_view import PersonView, link_unavailable
from alongside.lib.errors import StaleVersion
from alongside.lib.views import or_404, refusals_as_403
from alongside.people import selectors as people_selectors
from alongside.people.sensitivity import RESTRICTED

CONFLICT = (
    "Someone else saved answers to this screening while you were working on it. "
    "Nothing was overwritten: your answers are still on this page. Check theirs below, "
    "then save again."
)

# Labels for answer controls on staff pages (the person's view has its own, in two languages).
STAFF_WORDS = {
    "yes": "Yes",
    "no": "No",
    "decline": "Prefers not to answer",
    "number": "Answer (a number)",
    "text": "Answer",
}


def _answer_context(response: ScreeningResponse) -> dict[str, Any]:
    return {
        "words": STAFF_WORDS,
        "declined_value": forms.DECLINED,
        "autosave_url": reverse("intake:answer", args=[response.pk]),
    }


def _response(request: AuthenticatedHttpRequest, pk: int) -> ScreeningResponse:
    return or_404(lambda: selectors.response_detail(request.user, pk), "No such screening")


def _to_fill(request: AuthenticatedHttpRequest, pk: int) -> ScreeningResponse:
    """A screening the user may fill in: 404 out of scope; 403 when it asks sensitive
    questions and the user is not on the person's care team."""
    response = _response(request, pk)
    _check_may_fill(request, response)
    return response


def _unfinished(request: AuthenticatedHttpRequest, pk: int) -> ScreeningResponse:
    """A screening the user may fill in that is not complete yet (else 404)."""
    response = _to_fill(request, pk)
    if response.is_completed:
        raise Http404("This screening is complete")
    return response


def _check_may_fill(request: HttpRequest, response: ScreeningResponse) -> None:
    with refusals_as_403():
        services.may_ask(request.user, response.person, response.instrument_version)


# ---------------------------------------------------------------- starting


@login_required
def start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = or_404(
        lambda: people_selectors.person_detail(request.user, pk, purpose="screening"),
        "No such person",
    )
    versions = services.askable_versions(request.user, person)
    form = forms.StartForm(request.POST or None, versions=versions, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_start(
                actor=request.user,
                person=person,
                instrument_version=form.cleaned_data["instrument"],
                mode=form.mode,
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            return _after_start(request, response, form.cleaned_data["who"])
    context = {"person": person, "form": form, "nav": "people"}
    return render(request, "intake/start.html", context, status=422 if form.errors else 200)


def _after_start(request: HttpRequest, response: ScreeningResponse, who: str) -> HttpResponse:
    if who == forms.StartForm.WHO_DEVICE:
        kiosk.hand_over(request.session, response)
        return redirect("intake:kiosk", pk=response.pk)
    if who == forms.StartForm.WHO_LINK:
        return _show_new_link(request, response)
    return redirect("intake:response", pk=response.pk)


# ---------------------------------------------------------------- staff: one page


@login_required
def response_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An in-progress screening as one form that saves as it goes; a completed one as
    its results."""
    response = _response(request, pk)
    if response.is_completed:
        return _results(request, response)
    _check_may_fill(request, response)
    status, conflict = 200, False
    problems: dict[str, str] = {}
    if request.method == "POST":
        answers, problems = forms.posted_answers(response, request.POST)
        try:
            if not problems:
                response = services.answers_save(
                    actor=request.user,
                    response=response,
                    answers=answers,
                    expected_version=forms.version_from(request.POST),
                )
                if request.POST.get("action") == "complete":
                    response = services.response_complete(
                        actor=request.user, response=response, expected_version=None
                    )
                    messages.success(request, _("The screening is complete."))
                    return redirect("intake:response", pk=response.pk)
                messages.success(request, _("Answers saved. You can come back to finish."))
                return redirect("intake:response", pk=response.pk)
        except StaleVersion:
            conflict = True
        except ValidationError as error:
            problems = forms.problems_of(error)
        status = 409 if conflict else 422
        response = selectors.response_reloaded(pk)
    return render(
        request,
        "intake/fill.html",
        _fill_context(request, response, problems, conflict, request.POST or None),
        status=status,
    )


def _fill_context(
    request: HttpRequest,
    response: ScreeningResponse,
    problems: dict[str, str],
    conflict: bool,
    posted: QueryDict | None,
) -> dict[str, Any]:
    return {
        "response": response,
        "person": response.person,
        "questions": forms.questions(response, problems, posted, conflict=conflict),
        "problems": problems,
        "conflict": conflict,
        "conflict_message": CONFLICT,
        "links": selectors.open_links(response),
        "nav": "people",
        **_answer_context(response),
        **_translation_context(response),
    }


def _translation_context(response: ScreeningResponse) -> dict[str, Any]:
    """What staff are told when the screening's language is not a validated translation:
    that, and whether the person's own screen will show it or English instead."""
    note = translation_gate.staff_note(response.definition, response.language)
    if not note:
        return {"translation_note": ""}
    return {
        "translation_note": note,
        "person_sees_english": not translation_gate.person_may_see(
            response.definition, response.language, response.person
        ),
    }


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Autosave of one question (htmx, on change). Answers with the question's status,
    the new version, and any questions whose skip logic depends on it."""
    response = _to_fill(request, pk)
    link_id = request.POST.get("link_id", "")
    if response.is_completed or definitions.item(response.definition, link_id) is None:
        raise Http404("No such question")
    answers, problems = forms.posted_answers(response, request.POST, only=link_id)
    status, conflict = 200, False
    if not problems:
        try:
            response = services.answers_save(
                actor=request.user,
                response=response,
                answers=answers,
                expected_version=forms.version_from(request.POST),
            )
        except StaleVersion:
            status, conflict = 409, True
        except ValidationError as error:
            problems = forms.problems_of(error)
    if problems:
        status = 422
    response = selectors.response_reloaded(pk)
    questions = forms.questions(response, problems)
    context = {
        "response": response,
        "link_id": link_id,
        "conflict": conflict,
        "error": problems.get(link_id) or problems.get("screening", ""),
        "theirs": next(q for q in questions if q["entry"]["link_id"] == link_id),
        "dependents": [
            q
            for q in questions
            if any(c.get("question") == link_id for c in q["entry"].get("enable_when", []))
        ],
        **_answer_context(response),
    }
    return render(request, "intake/_saved.html", context, status=status)


def _results(request: AuthenticatedHttpRequest, response: ScreeningResponse) -> HttpResponse:
    """The results, as `selectors.response_detail` read them for this user: without
    sensitive access (care team, schedulers aside) scores of sensitive items, safety and
    behavioral-health needs and flags' reasons are not there, and the page says so."""
    needs, restricted_needs = selectors.response_needs(request.user, response)
    context = {
        "response": response,
        "person": response.person,
        "answers": selectors.answers_for(request.user, response),
        "scores": list(response.scores.all()),
        "restricted_scores": sensitive.restricted_scores(response, request.user),
        "needs": needs,
        "restricted_needs": restricted_needs,
        "flags": list(response.urgent_flags.all()),
        "sensitive": sensitive.shows_sensitive(response, request.user),
        "restricted": RESTRICTED,
        "nav": "people",
    }
    return render(request, "intake/results.html", context)


@login_required
def response_fhir(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = or_404(lambda: selectors.response_export(request.user, pk), "No such screening")
    resource = fhir.questionnaire_response(
        response, withhold=sensitive.withheld_items(response, request.user)
    )
    body = json.dumps(resource, indent=2, ensure_ascii=False)
    reply = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="screening-{response.pk}.json"'
    return reply


# ---------------------------------------------------------------- links and hand-over


def _show_new_link(request: HttpRequest, response: ScreeningResponse) -> HttpResponse:
    _, token = services.link_create(actor=request.user, response=response)
    url = request.build_absolute_uri(reverse("intake:link", args=[token]))
    context = {
        "response": response,
        "person": response.person,
        "url": url,
        "nav": "people",
        **_translation_context(response),
    }
    return render(request, "intake/link_created.html", context)


@login_required
@require_POST
def link_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = _unfinished(request, pk)
    return _show_new_link(request, response)


@login_required
@require_POST
def link_revoke(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    response = _response(request, pk)
    link = or_404(lambda: selectors.link_of(response, link_pk), "No such link")
    services.link_revoke(actor=request.user, link=link)
    messages.success(request, _("The link no longer works."))
    return redirect("intake:response", pk=response.pk)


@login_required
@require_POST
def hand_over(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = _unfinished(request, pk)
    kiosk.hand_over(request.session, response)
    return redirect("intake:kiosk", pk=response.pk)


@login_required
def kiosk_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person's own view on a device staff handed over. The staff session stays
    signed in but is held to this screening until staff enter their password."""
    if not kiosk.is_handed_over(request.session, pk):
        raise Http404("This device is not handed over for that screening")
    response = _to_fill(request, pk)
    view = PersonView(
        request,
        response,
        actor=request.user,
        link=None,
        base_url=reverse("intake:kiosk", args=[pk]),
        hand_back_url=reverse("intake:hand-back", args=[pk]),
    )
    return view.respond()


@login_required
def hand_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not kiosk.is_handed_over(request.session, pk):
        if not selectors.is_visible_response(request.user, pk):
            raise Http404("No such screening")
        return redirect("intake:response", pk=pk)
    form = forms.HandBackForm(request.user, request.POST or None)
    if form.is_bound:
        outcome = kiosk.hand_back(
            actor=request.user, session=request.session, pk=pk, password_ok=form.is_valid()
        )
        if outcome is kiosk.HandBack.RETURNED:
            return redirect("intake:response", pk=pk)
        if outcome is kiosk.HandBack.SIGN_OUT:
            logout(request)
            messages.error(request, _("Too many wrong passwords: signed out to keep records safe."))
            return redirect("login")
    context = {"form": form, "pk": pk}
    return render(
        request, "intake/person/hand_back.html", context, status=422 if form.errors else 200
    )


def by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own view through a link: no account; the link is the authority, for
    this one screening, until it is finished, revoked or expires."""
    try:
        link = services.link_for_token(token)
    except ScreeningLink.DoesNotExist:
        return link_unavailable(request, token)
    if request.method == "GET":
        selectors.response_by_link(link.response)
    view = PersonView(
        request,
        link.response,
        actor=None,
        link=link,
        base_url=reverse("intake:link", args=[token]),
        hand_back_url="",
    )
    return view.respond()
