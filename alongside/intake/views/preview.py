"""The builder's preview: a version as the person will see it, in any of its languages,
with its skip logic working and its scores, needs and urgent rules worked out from the
answers given so far (each change asks the server again; nothing is saved)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.intake import definitions, drafting
from alongside.intake.definitions import Given
from alongside.intake.models import LANGUAGE_IN_A_SENTENCE, Need
from alongside.intake.views.building import builder_page, version_of
from alongside.organizations.contributions import managed_organization

DECLINED = "__declined__"
# The words around the questions in the preview, in the language it is shown in.
PREVIEW_WORDS = {
    "en": {
        "decline": "Prefer not to answer",
        "yes": "Yes",
        "no": "No",
        "required": "(required)",
        "update": "Update preview",
        "number": "Enter a whole number.",
    },
    "es": {
        "decline": "Prefiero no contestar",
        "yes": "Sí",
        "no": "No",
        "required": "(obligatoria)",
        "update": "Actualizar la vista previa",
        "number": "Escriba un número entero.",
    },
}
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


@dataclass(frozen=True)
class PreviewQuestion:
    number: int
    entry: dict[str, Any]
    name: str
    value: str
    declined: bool
    can_decline: bool
    error: str


def _preview_answers(
    definition: Mapping[str, Any], query: QueryDict, words: Mapping[str, str]
) -> tuple[list[PreviewQuestion], dict[str, Given]]:
    """The questions asked, given the answers in the query so far, and those answers as
    scoring sees them. Skip logic only looks back, so one pass in order is enough."""
    given: dict[str, Given] = {}
    shown: list[PreviewQuestion] = []
    for entry in definition.get("items", []):
        if not definitions.is_enabled(entry, given):
            continue
        link_id = entry["link_id"]
        raw = query.get(f"a-{link_id}", "").strip()
        decline = definitions.can_decline(definition, entry)
        declined = decline and (raw == DECLINED or query.get(f"d-{link_id}") == "1")
        error = ""
        if declined:
            given[link_id] = Given(declined=True)
        elif raw:
            value: Any = raw
            if entry["type"] == "boolean":
                value = raw == "true"
            elif entry["type"] == "integer":
                try:
                    value = int(raw)
                except ValueError:
                    value = None
                    error = words["number"]
            if value is not None:
                error = error or _check(entry, value)
                if not error:
                    given[link_id] = Given(value=value)
        shown.append(
            PreviewQuestion(
                number=len(shown) + 1,
                entry=entry,
                name=f"a-{link_id}",
                value=raw,
                declined=declined,
                can_decline=decline,
                error=error,
            )
        )
    return shown, given


def _check(entry: Mapping[str, Any], value: Any) -> str:
    return definitions.check_value(entry, value) or ""


@login_required
def version_preview(request: AuthenticatedHttpRequest, org: int, pk: int, vpk: int) -> HttpResponse:
    """The version as the person will see it, in any of its languages, with its skip
    logic working (each change asks the server again; nothing is saved)."""
    organization = managed_organization(request.user, org)
    version = version_of(organization, pk, vpk)
    definition = version.definition
    translated = definitions.languages(definition)
    languages = [*translated, *(["es"] if "es" not in translated else [])]
    language = request.GET.get("lang", "en")
    if language not in languages:
        language = "en"
    words = PREVIEW_WORDS.get(language, PREVIEW_WORDS["en"])
    shown_definition = definitions.localized(definition, language)
    questions, given = _preview_answers(shown_definition, request.GET, words)
    outcome = definitions.score(definition, given)
    switches = []
    for code in languages:
        query = request.GET.copy()
        query["lang"] = code
        switches.append(
            {"code": code, "name": LANGUAGE_NAMES.get(code, code), "query": query.urlencode()}
        )
    title = version.instrument.title
    if language != "en":
        title = drafting.translation(definition, language).get("title") or title
    kinds = dict(Need.Kind.choices)
    return builder_page(
        request,
        "preview.html",
        version,
        {
            "organization": organization,
            "language": language,
            "words": words,
            "switches": switches,
            "person_title": title,
            "questions": questions,
            "hidden": len(definition.get("items", [])) - len(questions),
            "outcome": outcome,
            "outcome_needs": [kinds.get(n, n) for n in outcome.needs],
            "declined_value": DECLINED,
            "answered": bool(given),
            "untranslated": language not in translated,
            "language_name": str(LANGUAGE_IN_A_SENTENCE.get(language, language)),
        },
    )
