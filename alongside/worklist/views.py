"""The worklist's pages: a teammate's worklist (covering, or a supervisor looking in),
the team, the caseload with filters, and the done/snooze/undo actions. The viewer's own
worklist is the home page (web.views.home). Views stay thin: selectors read, services
write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.accounts.models import User
from alongside.lib.params import query_page
from alongside.lib.views import back_to, or_404, refusals_as_403
from alongside.people.selectors import my_programs
from alongside.worklist import caseload as caseloads
from alongside.worklist import forms, selectors, services
from alongside.worklist.models import WorklistDecision

PAGE_SIZE = 25
NO_TEAMMATE = "No such teammate"


def _teammate(request: AuthenticatedHttpRequest, pk: int) -> User:
    return or_404(lambda: selectors.teammate(request.user, pk), NO_TEAMMATE)


@login_required
def member(request: AuthenticatedHttpRequest, user_pk: int) -> HttpResponse:
    """A teammate's worklist, as the viewer may see it: recorded as covering for them."""
    if user_pk == request.user.pk:
        return redirect("home")
    owner = _teammate(request, user_pk)
    worklist = selectors.worklist_for(request.user, owner)
    context = {
        "worklist": worklist,
        "oversees_team": selectors.oversees_team(request.user),
        "nav": "home",
    }
    return render(request, "worklist/member.html", context)


@login_required
def team(request: AuthenticatedHttpRequest) -> HttpResponse:
    sizes = selectors.oversees_team(request.user)
    members = caseloads.team(request.user, with_sizes=sizes)
    return render(
        request, "worklist/team.html", {"members": members, "sizes": sizes, "nav": "home"}
    )


@login_required
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.CaseloadFilterForm(
        request.GET or None, programs=my_programs(request.user).order_by("name")
    )
    page = query_page(request.GET)
    found = caseloads.caseload_page(request.user, form.filters(), page=page, size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "found": found,
        "page": page,
        "query": query.urlencode(),
        "nav": "home",
    }
    return render(
        request, "worklist/caseload.html", context, status=200 if not form.errors else 422
    )


def _decide(request: AuthenticatedHttpRequest, form: forms.DecisionForm) -> str:
    """Record the decision the form describes; the message to show."""
    data = form.cleaned_data
    covering = data["covering_for"]
    owner = _teammate(request, covering) if covering and covering != request.user.pk else None
    person = or_404(
        lambda: selectors.caseload_person(request.user, owner, data["person"]), "No such person"
    )
    with refusals_as_403():
        decision = services.decision_record(
            actor=request.user,
            person=person,
            reason_key=data["reason"],
            item_key=data["item"],
            action=data["action"],
            until=data["until"],
            note=data["note"],
            covering_for=owner,
        )
    if decision.action == WorklistDecision.Action.DONE:
        return _("%(name)s: done for today.") % {"name": person.display_name}
    return _("%(name)s: snoozed until %(date)s.") % {
        "name": person.display_name,
        "date": decision.until,
    }


@require_POST
@login_required
def decide(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        ]
        messages.error(
            request, _("Nothing was saved. %(problems)s") % {"problems": " ".join(problems)}
        )
    else:
        try:
            messages.success(request, _decide(request, form))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(back_to(request, reverse("home")))


@require_POST
@login_required
def undo(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.UndoForm(request.POST)
    if form.is_valid():
        pk = form.cleaned_data["decision"]
        decision = or_404(lambda: selectors.decision_for(request.user, pk), "No such decision")
        with refusals_as_403():
            services.decision_undo(actor=request.user, decision=decision)
        messages.success(
            request, _("%(name)s is back on the worklist.") % {"name": decision.person.display_name}
        )
    return redirect(back_to(request, reverse("home")))
