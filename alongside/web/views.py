from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.people.selectors import my_people_listed
from alongside.worklist.selectors import has_caseload, oversees_team, worklist_for


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coordinator's start page: who needs attention today (for anyone with a
    caseload), a search box, and the people they coordinate."""
    worklist = worklist_for(request.user) if has_caseload(request.user) else None
    people = my_people_listed(request.user, limit=100)
    context = {
        "people": people,
        "worklist": worklist,
        "oversees_team": oversees_team(request.user),
        "nav": "home",
    }
    return render(request, "web/home.html", context)
