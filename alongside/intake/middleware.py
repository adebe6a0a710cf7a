"""While a device is handed over to a person for a screening, hold the signed-in staff
session to that screening: any other page leads back to it, so the person cannot browse
other people's records. Staff end it with their password (or by signing out)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

KIOSK = "intake_kiosk"


class HandedOverMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pk = request.session.get(KIOSK) if hasattr(request, "session") else None
        if pk is not None:
            allowed = reverse("intake:kiosk", args=[pk])
            if not request.path.startswith(allowed) and request.path != reverse("logout"):
                return HttpResponseRedirect(allowed)
        return self.get_response(request)
