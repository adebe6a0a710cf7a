"""Loading what Alongside ships: the note templates (note_templates/*.json) and the
respectful-language terms. Used by a data migration (with its historical models) and by
`alongside load_note_templates` (with the current ones): a template whose definition
changed gets a new version, so notes keep the wording they were written with."""

from __future__ import annotations

from typing import Any

from alongside.encounters import definitions
from alongside.encounters.language import SHIPPED as SHIPPED_TERMS


def load_shipped(template_model: Any, version_model: Any, term_model: Any) -> list[str]:
    """Create or version the shipped templates and add missing shipped terms; the slugs
    of the templates that got a new version."""
    changed = []
    for slug, definition in definitions.shipped():
        problems = definitions.problems(definition)
        if problems:
            raise ValueError(f"Note template {slug}: {' '.join(problems)}")
        template, _ = template_model.objects.get_or_create(
            organization=None,
            slug=slug,
            defaults={"name": definition["title"], "sensitive": bool(definition.get("sensitive"))},
        )
        latest = version_model.objects.filter(template=template).order_by("-number").first()
        if latest is None or latest.definition != definition:
            version_model.objects.create(
                template=template,
                number=(latest.number + 1) if latest else 1,
                definition=definition,
            )
            changed.append(slug)
    for term, alternative, why, source in SHIPPED_TERMS:
        term_model.objects.get_or_create(
            organization=None,
            term=term,
            defaults={"alternative": alternative, "why": why, "source": source},
        )
    return changed
