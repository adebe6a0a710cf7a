"""Encounters, notes, addenda, note templates and respectful-language terms as the audit
browser names them (`alongside.audit.readable`): "Note: DAP note, 3 Dec". An encounter
and what is written on it are named only for a viewer who sees the person and the
program's work with them, and only by kind and day: what was said, a note's sections
and an addendum's text are never part of a name, whoever reads it."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit.readable import ObjectNamer, int_ids, object_namers, short_day
from alongside.encounters.models import (
    Addendum,
    Encounter,
    LabelingTerm,
    Note,
    NoteSettings,
    NoteTemplate,
    NoteTemplateVersion,
)
from alongside.people.models import Person


def _seen(viewer: Actor, encounter: str = "") -> Q:
    """Encounters the viewer reads, as the timeline shows them: of people they see, in
    their programs (every program for an admin of the person's organization), as a
    condition on the records found through `encounter` (a lookup path, "" for itself)."""
    scope = scope_for(viewer)
    at = f"{encounter}__" if encounter else ""
    programs = Q(**{f"{at}organization_id__in": scope.admin_organization_ids}) | Q(
        **{f"{at}program_id__in": scope.program_ids}
    )
    people = Person.objects.visible_to(viewer, include_merged=True)
    return programs & Q(**{f"{at}person__in": people})


def encounter_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    kinds = dict(Encounter.Kind.choices)
    rows = Encounter.objects.filter(_seen(viewer), pk__in=int_ids(ids)).values_list(
        "pk", "kind", "started_at"
    )
    return {
        str(pk): _("Encounter: %(kind)s, %(day)s")
        % {"kind": kinds.get(kind, kind), "day": short_day(started)}
        for pk, kind, started in rows
    }


def note_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = Note.objects.filter(_seen(viewer, "encounter"), pk__in=int_ids(ids)).values_list(
        "pk", "template_version__template__name", "created_at"
    )
    return {
        str(pk): _("Note: %(template)s, %(day)s") % {"template": name, "day": short_day(at)}
        for pk, name, at in rows
    }


def addendum_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = Addendum.objects.filter(
        _seen(viewer, "note__encounter"), pk__in=int_ids(ids)
    ).values_list("pk", "note__template_version__template__name", "signed_at")
    return {
        str(pk): _("Addendum to a note: %(template)s, %(day)s")
        % {"template": name, "day": short_day(at)}
        for pk, name, at in rows
    }


def _usable_by(viewer: Actor, organization: str = "organization") -> Q:
    """Shipped rows (no organization) and those of the viewer's organizations."""
    return Q(**{f"{organization}__isnull": True}) | Q(
        **{f"{organization}_id__in": scope_for(viewer).organization_ids}
    )


def template_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = NoteTemplate.objects.filter(_usable_by(viewer), pk__in=int_ids(ids))
    return {
        str(pk): _("Note template: %(name)s") % {"name": name}
        for pk, name in rows.values_list("pk", "name")
    }


def template_version_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = NoteTemplateVersion.objects.filter(
        _usable_by(viewer, "template__organization"), pk__in=int_ids(ids)
    ).values_list("pk", "template__name", "number")
    return {
        str(pk): _("Note template: %(name)s, version %(number)s") % {"name": name, "number": number}
        for pk, name, number in rows
    }


def term_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = LabelingTerm.objects.filter(_usable_by(viewer), pk__in=int_ids(ids))
    return {
        str(pk): _("Respectful-language term: “%(term)s”") % {"term": term}
        for pk, term in rows.values_list("pk", "term")
    }


def settings_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = NoteSettings.objects.filter(
        pk__in=int_ids(ids), program__organization_id__in=scope_for(viewer).organization_ids
    ).values_list("pk", "program__name")
    return {
        str(pk): _("Note settings of %(program)s") % {"program": program} for pk, program in rows
    }


def register() -> None:
    for key, names in (
        ("encounters.encounter", encounter_names),
        ("encounters.note", note_names),
        ("encounters.addendum", addendum_names),
        ("encounters.notetemplate", template_names),
        ("encounters.notetemplateversion", template_version_names),
        ("encounters.labelingterm", term_names),
        ("encounters.notesettings", settings_names),
    ):
        object_namers.register(ObjectNamer(key=key, names=names))
