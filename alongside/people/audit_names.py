"""People and the records on them as the audit browser names them
(`alongside.audit.readable`): by the person's name and the record's kind, only for
people the viewer sees; one query per object type on a page."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.accounts.actors import Actor
from alongside.audit.readable import ObjectNamer, PersonFinder, int_ids
from alongside.people import search
from alongside.people.models import ContactPoint, Enrollment, Identifier, Person

Names = Callable[[Any, Collection[str]], Mapping[str, str]]


def person_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    # Events about a record merged since still name it.
    people = Person.objects.visible_to(viewer, include_merged=True).filter(pk__in=int_ids(ids))
    fields = ("preferred_name", "legal_given_name", "legal_family_name")
    return {str(person.pk): person.display_name for person in people.only(*fields)}


def _on_visible(model: type[models.Model], viewer: Actor, ids: Collection[str], field: str) -> Any:
    return model._default_manager.filter(
        pk__in=int_ids(ids), person__in=Person.objects.visible_to(viewer, include_merged=True)
    ).values_list("pk", field)


def enrollment_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    return {
        str(pk): _("Enrollment in %(program)s") % {"program": program}
        for pk, program in _on_visible(Enrollment, viewer, ids, "program__name")
    }


def _by_kind(
    model: type[models.Model], choices: Sequence[tuple[str, str | Promise]], text: Promise
) -> Names:
    """Names like "Contact point: phone", from the record's kind."""
    labels = dict(choices)

    def names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
        return {
            str(pk): str(text) % {"kind": str(labels.get(kind, kind))}
            for pk, kind in _on_visible(model, viewer, ids, "kind")
        }

    return names


def people_named(viewer: Actor, text: str, limit: int) -> list[int]:
    found = search.search(Person.objects.visible_to(viewer), text, limit=limit)
    return list(found.values_list("pk", flat=True)[:limit])


def register() -> None:
    from alongside.audit.readable import object_namers, person_finders

    for namer in (
        ObjectNamer(key="people.person", names=person_names),
        ObjectNamer(key="people.enrollment", names=enrollment_names),
        ObjectNamer(
            key="people.contactpoint",
            names=_by_kind(
                ContactPoint, ContactPoint.Kind.choices, gettext_lazy("Contact point: %(kind)s")
            ),
        ),
        ObjectNamer(
            key="people.identifier",
            names=_by_kind(
                Identifier, Identifier.Kind.choices, gettext_lazy("Identifier: %(kind)s")
            ),
        ),
    ):
        object_namers.register(namer)
    person_finders.register(PersonFinder(key="people.by_name", find=people_named))
