from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alongside.matching.selectors import likely_duplicates

MAX_FIELD_LENGTH = 150


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
