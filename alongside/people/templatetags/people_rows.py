"""`{% people_rows people %}`: the rows of people/_people_table.html, each row and each
of its languages a stencil (`lib.stencil`) filled in: the markup `people/_person_row.html`
and `people/_person_language.html` give, without rendering them once a person.

Up to 100 rows under the start page's worklist and in search results, each a dozen
variables, tags and filters: the table was a third of the start page's rendering
(bench/README.md, "Hub"). The words and markup stay in the templates; what a filter did
there (`date`) is done here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import date
from django.utils.safestring import SafeString, mark_safe

from alongside.lib.stencil import Stencils, fill
from alongside.people.models import Person

register = template.Library()

ROW = ("person", "name", "legal_name", "pronouns", "date_of_birth", "languages")
LANGUAGE = ("name",)


@register.simple_tag
def people_rows(people: Iterable[Person]) -> SafeString:
    """A row for each person, as `people/_person_row.html` shows one."""
    stencil = Stencils()
    rows = []
    for p in people:
        languages = [
            fill(
                stencil(
                    "people/_person_language.html",
                    LANGUAGE,
                    interpreter=bool(lang.interpreter_needed),
                ),
                (lang.name,),
            )
            for lang in p.languages.all()
        ]
        parts = stencil(
            "people/_person_row.html",
            ROW,
            legal=bool(p.preferred_name and p.preferred_name != p.legal_given_name),
            has_pronouns=bool(p.pronouns),
            born=bool(p.date_of_birth),
            has_languages=bool(languages),
        )
        born = date(p.date_of_birth) if p.date_of_birth else ""
        joined = mark_safe(", ".join(languages))  # noqa: S308 (each filled in, escaped)
        values = (p.pk, p.display_name, p.legal_name, p.pronouns, born, joined)
        rows.append(fill(parts, values))
    return mark_safe("\n    ".join(rows))  # noqa: S308 (each filled in, escaped)
