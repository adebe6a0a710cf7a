from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alongside.people.selectors import audit_people, my_people


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The coordinator's start page: the people they coordinate, and a search box."""
    people = list(my_people(request.user)[:100])
    if people:
        audit_people(request.user, people, "list", {"page": "home"})
    return render(request, "web/home.html", {"people": people, "nav": "home"})
