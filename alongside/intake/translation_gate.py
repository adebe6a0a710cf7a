"""Who is shown a translation that is not validated. A score means what its validation
studies say only if the person read the validated wording (the authors' published
translation; `definitions.translation_validated`). Staff asking the questions can explain
one, so they may always use it, and are told "translation not validated" wherever it is
offered. A person answering on their own cannot ask what a question meant, so their own
screen offers an unvalidated translation only if their organization has chosen to allow
it (`Organization.allow_unvalidated_translations`, off by default)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from alongside.intake import definitions
from alongside.people.models import Person

NOT_VALIDATED = gettext_lazy("translation not validated")


def unvalidated_languages(definition: Mapping[str, Any]) -> list[str]:
    """The definition's translations that are not its authors' published wording."""
    return [
        language
        for language in definitions.languages(definition)
        if not definitions.translation_validated(definition, language)
    ]


def staff_note(definition: Mapping[str, Any], language: str) -> str:
    """ "Spanish: translation not validated" for staff, or "" for a validated language."""
    if definitions.translation_validated(definition, language):
        return ""
    return f"{get_language_info(language)['name']}: {NOT_VALIDATED}"


def staff_notes(definition: Mapping[str, Any]) -> str:
    """Every unvalidated translation of the definition, for staff choosing a screening."""
    return "; ".join(
        staff_note(definition, language) for language in unvalidated_languages(definition)
    )


def person_may_see(definition: Mapping[str, Any], language: str, person: Person) -> bool:
    """Whether `person`, answering on their own, may be shown `language`. Their
    organization is read (a query, unless loaded) only for an unvalidated translation."""
    if definitions.translation_validated(definition, language):
        return True
    return bool(person.organization.allow_unvalidated_translations)


def person_languages(definition: Mapping[str, Any], person: Person) -> list[str]:
    """The languages the person's own screen offers for this definition."""
    return [
        language
        for language in definitions.languages(definition)
        if person_may_see(definition, language, person)
    ]


def refusal(title: str, language_name: str) -> str:
    """Why a screening cannot be handed to the person in an unvalidated translation."""
    return _(
        "The %(language)s of %(title)s is not its authors' validated translation, and your "
        "organization does not offer unvalidated translations to people answering on "
        "their own. Ask the questions yourself (you can explain them), or choose English."
    ) % {"language": language_name, "title": title}
