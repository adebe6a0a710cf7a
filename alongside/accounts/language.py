"""The interface language of each request: the signed-in staff user's preference, else the
browser's (a language cookie, then Accept-Language), else English (LANGUAGE_CODE). The
person's own screens (alongside/intake/person_view.py) then switch to the person's
language, whoever is signed in."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def staff_language(request: HttpRequest) -> str:
    """The language for the staff pages of this request, one of settings.LANGUAGES."""
    user = getattr(request, "user", None)
    chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:  # a language since removed from settings.LANGUAGES
            pass
    return translation.get_language_from_request(request)


class LanguageMiddleware:
    """Like Django's LocaleMiddleware (Content-Language, Vary: Accept-Language), choosing
    by the user's preference first, and putting the previous language back when the
    request ends, so a view that switches to the person's language cannot leak it into
    whatever this thread does next. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with translation.override(staff_language(request)):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            # The language the page was drawn in, the person's where a view switched.
            response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language",))
        return response
