"""The person's own view of a screening: plain, large text, one question at a time, in
English or Spanish. Used on a device staff hand over and through a link; every answer is
saved as soon as the person moves on, so leaving halfway loses nothing."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from alongside.intake import definitions, fill_forms, selectors, services
from alongside.intake.models import ScreeningLink, ScreeningResponse
from alongside.lib.errors import StaleVersion

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Questions from your care team",
        "intro": (
            "Answer in your own time. Your answers are saved each time you go on, and you "
            "can choose “I prefer not to answer” for any question."
        ),
        "progress": "Question {n} of {total}",
        "next": "Save and go on",
        "back": "Back",
        "decline": "I prefer not to answer",
        "yes": "Yes",
        "no": "No",
        "needed": "Please choose an answer, or “I prefer not to answer”.",
        "conflict": (
            "This screening was changed on another screen. Please check your answer and "
            "press “Save and go on” again."
        ),
        "review_title": "Check your answers",
        "review_intro": "You can change any answer before you send them.",
        "change": "Change",
        "not_answered": "Not answered yet",
        "needs_answer": "This question needs an answer:",
        "declined": "I prefer not to answer",
        "finish": "Send my answers",
        "done_title": "Thank you",
        "done_body": (
            "Your answers are saved and shared with your care team. They will talk them "
            "through with you; nothing happens without you."
        ),
        "hand_back": "Hand the device back to staff",
        "language": "Language",
        "switch": "Ver en español",
        "switch_to": "es",
        "question": "Question",
        "number": "Your answer (a number)",
        "text": "Your answer",
    },
    "es": {
        "title": "Preguntas de su equipo de atención",
        "intro": (
            "Conteste con calma. Sus respuestas se guardan cada vez que avanza, y puede "
            "elegir “Prefiero no contestar” en cualquier pregunta."
        ),
        "progress": "Pregunta {n} de {total}",
        "next": "Guardar y seguir",
        "back": "Atrás",
        "decline": "Prefiero no contestar",
        "yes": "Sí",
        "no": "No",
        "needed": "Por favor elija una respuesta, o “Prefiero no contestar”.",
        "conflict": (
            "Esta encuesta se cambió en otra pantalla. Por favor revise su respuesta y "
            "oprima “Guardar y seguir” otra vez."
        ),
        "review_title": "Revise sus respuestas",
        "review_intro": "Puede cambiar cualquier respuesta antes de enviarlas.",
        "change": "Cambiar",
        "not_answered": "Sin contestar",
        "needs_answer": "Esta pregunta necesita una respuesta:",
        "declined": "Prefiero no contestar",
        "finish": "Enviar mis respuestas",
        "done_title": "Gracias",
        "done_body": (
            "Sus respuestas están guardadas y se comparten con su equipo de atención. Las "
            "hablarán con usted; nada se hace sin usted."
        ),
        "hand_back": "Devolver el aparato al personal",
        "language": "Idioma",
        "switch": "View in English",
        "switch_to": "en",
        "question": "Pregunta",
        "number": "Su respuesta (un número)",
        "text": "Su respuesta",
    },
}


class PersonView:
    """One request of the person's view. `actor` is the signed-in staff member on a
    handed-over device, or None with the `link` that authorizes the request."""

    def __init__(
        self,
        request: HttpRequest,
        response: ScreeningResponse,
        *,
        actor: Any,
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

    @property
    def words(self) -> dict[str, str]:
        return WORDS.get(self.response.language, WORDS["en"])

    def respond(self) -> HttpResponse:
        if self.response.is_completed:
            return self._page("intake/person/done.html", {})
        if self.request.method == "POST":
            return self._post()
        if self.request.GET.get("step") == "review":
            return self._review({})
        return self._question(self.request.GET.get("q"), {}, None)

    # ------------------------------------------------------------ pages

    def _page(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        base = {
            "response": self.response,
            "words": self.words,
            "lang": self.response.language,
            "base_url": self.base_url,
            "hand_back_url": self.hand_back_url,
            "declined_value": fill_forms.DECLINED,
            "can_switch": self.words["switch_to"]
            in definitions.languages(self.response.definition),
        }
        return render(self.request, template, {**base, **context}, status=status)

    def _asked(self) -> list[dict[str, Any]]:
        return [q for q in fill_forms.questions(self.response, {}) if q["enabled"]]

    def _question(self, link_id: str | None, problems: dict[str, str], posted: Any) -> HttpResponse:
        asked = self._asked()
        if posted is not None:
            shown = fill_forms.questions(self.response, problems, posted)
            by_id = {q["entry"]["link_id"]: q for q in shown}
            asked = [by_id[q["entry"]["link_id"]] for q in asked]
        position = _position(asked, link_id)
        if position is None:
            return self._redirect(step="review")
        question = asked[position]
        context = {
            "question": question,
            "number": position + 1,
            "total": len(asked),
            "progress": self.words["progress"].format(n=position + 1, total=len(asked)),
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
            problems = {link_id: self.words["needed"]}
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
            return self._question(
                link_id, {link_id: self.words["conflict"], "__conflict__": "1"}, None
            )
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
            problems = {k: self.words["needed"] for k in fill_forms.problems_of(error)}
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
