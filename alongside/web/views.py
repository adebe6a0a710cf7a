from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.people.selectors import my_people_listed


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coordinator's start page: the people they coordinate, and a search box."""
    people = my_people_listed(request.user, limit=100)
    return render(request, "web/home.html", {"people": people, "nav": "home"})
