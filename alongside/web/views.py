from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.worklist.selectors import oversees_team, start_page


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coordinator's start page: who needs attention today (for anyone with a
    caseload), a search box, and the people they coordinate; one audit event."""
    page = start_page(request.user)
    context = {
        "people": page.people,
        "worklist": page.worklist,
        "oversees_team": oversees_team(request.user),
        "nav": "home",
    }
    return render(request, "web/home.html", context)
