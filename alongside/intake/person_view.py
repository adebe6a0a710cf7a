"""The person's own view of a screening: plain, large text, one question at a time, all
in the person's language: the instrument's own translation for its questions and answers,
the message catalogs (alongside/locale/) for everything around them. Used on a device
staff hand over and through a link; every answer is saved as soon as the person moves
on, so leaving halfway loses nothing."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from alongside.accounts.actors import Actor
from alongside.intake import definitions, fill_forms, selectors, services
from alongside.intake.middleware import KIOSK_LANGUAGE
from alongside.intake.models import ScreeningLink, ScreeningResponse
from alongside.lib.errors import StaleVersion

NEEDED = gettext_lazy("Please choose an answer, or “I prefer not to answer”.")
CONFLICT = gettext_lazy(
    "This screening was changed on another screen. Please check your answer and press "
    "“Save and go on” again."
)


def answer_words() -> dict[str, str]:
    """Labels of the answer controls (intake/_question.html), in the active language."""
    return {
        "yes": _("Yes"),
        "no": _("No"),
        "decline": _("I prefer not to answer"),
        "number": _("Your answer (a number)"),
        "text": _("Your answer"),
    }


def language_switches(current: str, offered: list[str]) -> list[dict[str, str]]:
    """The other interface languages among `offered`, each labelled in itself ("Ver en
    español" on an English page), so a person who cannot read this page can find theirs."""
    switches = []
    for code, _name in settings.LANGUAGES:
        if code == current or code not in offered:
            continue
        with translation.override(code):
            # Translators: a button leading to this language, written in it.
            label = pgettext("switch to this language", "View in English")
        switches.append({"code": code, "label": label})
    return switches


def _activate(request: HttpRequest, language: str) -> None:
    """The person's language for the rest of this request (the language middleware puts
    the staff member's back afterwards)."""
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


def link_unavailable(request: HttpRequest, token: str) -> HttpResponse:
    """A link that opens nothing (used, stopped, expired, or never made): said in the
    screening's language when the link was real, else in the browser's; `?lang=` switches.
    Nothing about the screening or the person is shown."""
    asked = request.GET.get("lang", "")
    codes = [code for code, _name in settings.LANGUAGES]
    language = asked if asked in codes else services.link_language(token)
    if language in codes:
        _activate(request, language)
    current = translation.get_language()
    context = {
        "switches": language_switches(current, codes),
        "lifetime_days": services.LINK_LIFETIME.days,
    }
    return render(request, "intake/person/unavailable.html", context, status=404)


class PersonView:
    """One request of the person's view. `actor` is the signed-in staff member on a
    handed-over device, or None with the `link` that authorizes the request."""

    def __init__(
        self,
        request: HttpRequest,
        response: ScreeningResponse,
        *,
        actor: Actor | None,
        link: ScreeningLink | None,
        base_url: str,
        hand_back_url: str,
    ) -> None:
        self.request = request
        self.response = response
        self.actor = actor
        self.link = link
        self.base_url = base_url
        self.hand_back_url = hand_back_url

    def respond(self) -> HttpResponse:
        # First, so that any message made on the way (a refused answer) is in it too.
        _activate(self.request, self.response.language)
        if self.response.is_completed:
            return self._page("intake/person/done.html", {})
        if self.request.method == "POST":
            return self._post()
        if self.request.GET.get("step") == "review":
            return self._review({})
        return self._question(self.request.GET.get("q"), {}, None)

    # ------------------------------------------------------------ pages

    def _page(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        language = self.response.language
        base = {
            "response": self.response,
            "words": answer_words(),
            "base_url": self.base_url,
            "hand_back_url": self.hand_back_url,
            "declined_value": fill_forms.DECLINED,
            "switches": language_switches(
                language, definitions.languages(self.response.definition)
            ),
        }
        reply = render(self.request, template, {**base, **context}, status=status)
        self._remember_language(reply, language)
        return reply

    def _remember_language(self, reply: HttpResponse, language: str) -> None:
        """Keep the person's language for the pages this view does not draw: the
        hand-back page and error pages on a handed-over device (the session, read by
        HandedOverMiddleware), error pages and mistyped links on a link (a cookie
        limited to the links' path)."""
        if self.link is None:
            kept = {"pk": self.response.pk, "language": language}
            session = getattr(self.request, "session", None)
            if session is not None and session.get(KIOSK_LANGUAGE) != kept:
                session[KIOSK_LANGUAGE] = kept
            return
        reply.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            path=self.base_url.rstrip("/").rsplit("/", 1)[0] + "/",  # /intake/s/
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )

    def _asked(self) -> list[dict[str, Any]]:
        """The questions the skip logic asks. Without the English beside them: that is
        for staff, and the person's screen is all in their language."""
        return [
            {**q, "english": ""} for q in fill_forms.questions(self.response, {}) if q["enabled"]
        ]

    def _question(self, link_id: str | None, problems: dict[str, str], posted: Any) -> HttpResponse:
        asked = self._asked()
        if posted is not None:
            shown = fill_forms.questions(self.response, problems, posted)
            by_id = {q["entry"]["link_id"]: {**q, "english": ""} for q in shown}
            asked = [by_id[q["entry"]["link_id"]] for q in asked]
        position = _position(asked, link_id)
        if position is None:
            return self._redirect(step="review")
        question = asked[position]
        context = {
            "question": question,
            "number": position + 1,
            "total": len(asked),
            "previous": asked[position - 1]["entry"]["link_id"] if position else "",
        }
        status = 409 if problems.get("__conflict__") else 422 if problems else 200
        return self._page("intake/person/question.html", context, status)

    def _review(self, problems: dict[str, str], status: int = 200) -> HttpResponse:
        return self._page(
            "intake/person/review.html",
            {"questions": self._asked(), "problems": problems},
            status,
        )

    def _redirect(self, **query: str) -> HttpResponse:
        suffix = "&".join(f"{k}={v}" for k, v in query.items())
        return HttpResponseRedirect(self.base_url + (f"?{suffix}" if suffix else ""))

    # ------------------------------------------------------------ writes

    def _post(self) -> HttpResponse:
        action = self.request.POST.get("action", "")
        if action == "language":
            return self._switch_language()
        if action == "finish":
            return self._finish()
        return self._answer()

    def _switch_language(self) -> HttpResponse:
        # An unknown language keeps the current one; the page says which it is.
        with contextlib.suppress(ValidationError):
            self.response = services.response_set_language(
                actor=self.actor,
                response=self.response,
                language=self.request.POST.get("language", ""),
                link=self.link,
            )
        return self._redirect(q=self.request.POST.get("link_id", ""))

    def _answer(self) -> HttpResponse:
        post = self.request.POST
        link_id = post.get("link_id", "")
        asked = self._asked()
        position = _position(asked, link_id)
        if position is None or asked[position]["entry"]["link_id"] != link_id:
            return self._redirect()
        entry = asked[position]["entry"]
        answers, problems = fill_forms.posted_answers(self.response, post, only=link_id)
        given = answers.get(link_id)
        if not problems and given is None and entry.get("required"):
            problems = {link_id: str(NEEDED)}
        if problems:
            return self._question(link_id, problems, post)
        try:
            self.response = services.answers_save(
                actor=self.actor,
                response=self.response,
                answers={link_id: given},
                expected_version=fill_forms.version_from(post),
                link=self.link,
            )
        except StaleVersion:
            self.response = selectors.response_reloaded(self.response.pk)
            return self._question(link_id, {link_id: str(CONFLICT), "__conflict__": "1"}, None)
        except ValidationError as error:
            problems = fill_forms.problems_of(error)
            return self._question(link_id, problems, post)
        following = self._asked()
        after = _position(following, link_id)
        if after is not None and after + 1 < len(following):
            return self._redirect(q=following[after + 1]["entry"]["link_id"])
        return self._redirect(step="review")

    def _finish(self) -> HttpResponse:
        try:
            self.response = services.response_complete(
                actor=self.actor,
                response=self.response,
                expected_version=None,
                link=self.link,
            )
        except ValidationError as error:
            self.response = selectors.response_reloaded(self.response.pk)
            if self.response.is_completed:  # sent twice (a double tap): it is done
                return self._page("intake/person/done.html", {})
            problems = {k: str(NEEDED) for k in fill_forms.problems_of(error)}
            return self._review(problems, status=422)
        # Rendered, not redirected: a finished link no longer opens anything.
        return self._page("intake/person/done.html", {})


def _position(asked: list[dict[str, Any]], link_id: str | None) -> int | None:
    """Where `link_id` is among the questions asked; without one, the first question
    not yet answered; None when every question has an answer."""
    for index, question in enumerate(asked):
        if link_id and question["entry"]["link_id"] == link_id:
            return index
    if link_id:
        return None
    for index, question in enumerate(asked):
        if question["value"] == "":
            return index
    return None
