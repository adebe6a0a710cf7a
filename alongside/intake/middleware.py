"""While a device is handed over to a person for a screening, hold the signed-in staff
session to that screening: any other page leads back to it, so the person cannot browse
other people's records. Staff end it with their password (or by signing out). Until then
every page the device shows (the hand-back page, an error) is in the person's language."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

KIOSK = "intake_kiosk"
# {"pk": ..., "language": ...}: the language of the screening on the handed-over device,
# kept by the person's view each time it shows a page.
KIOSK_LANGUAGE = "intake_kiosk_language"


class HandedOverMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pk = request.session.get(KIOSK) if hasattr(request, "session") else None
        # base.html shows no staff navigation on a handed-over device.
        request.handed_over = pk is not None  # type: ignore[attr-defined]
        if pk is not None:
            kept = request.session.get(KIOSK_LANGUAGE) or {}
            if kept.get("pk") == pk:
                translation.activate(kept["language"])
                request.LANGUAGE_CODE = translation.get_language()
            allowed = reverse("intake:kiosk", args=[pk])
            if not request.path.startswith(allowed) and request.path != reverse("logout"):
                return HttpResponseRedirect(allowed)
        return self.get_response(request)
