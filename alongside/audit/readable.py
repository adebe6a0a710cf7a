"""How the audit browser names what an event is about, as people read it ("Screening:
PHQ-9, 3 Nov" about Ana López) rather than as the trail stores it
(`intake.screeningresponse` #350).

The trail holds plain ids and sits below every app, so it cannot read their records.
Each app registers, in its `AppConfig.ready()`, a namer for the object types it writes
and (people) a finder of people by name; the browser asks them for a whole page of
events at once: one call per object type on the page, each a bounded number of queries
however many events name it. A namer names only what its viewer may see; anything else
is shown by its kind and number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import formats, timezone
from django.utils.text import capfirst

from alongside.lib.registry import Registry

# The trail's name for the person record itself; its namer names the people events are about.
PERSON_TYPE = "people.person"


@dataclass(frozen=True)
class ObjectNamer:
    key: str  # the object type it names, as events store it: "intake.screeningresponse"
    # Names for these ids (as stored: strings), as far as the viewer may see them, without
    # the person the event is about (the browser shows them beside it). At most `queries`
    # queries however many ids.
    names: Callable[[Any, Collection[str]], Mapping[str, str]]
    queries: int = 1


object_namers: Registry[ObjectNamer] = Registry("audit object namer")


@dataclass(frozen=True)
class PersonFinder:
    key: str
    # Ids of at most `limit` people the viewer may see whose name matches the text.
    find: Callable[[Any, str, int], list[int]]


person_finders: Registry[PersonFinder] = Registry("audit person finder")


def kind_of(object_type: str) -> str:
    """What a type of record is called ("Contact point"), from its model when the type
    names one, else the type as stored."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(capfirst(model._meta.verbose_name))


def names_for(viewer: Any, wanted: Mapping[str, Collection[str]]) -> dict[str, dict[str, str]]:
    """{object type: {id: name}} for the ids wanted of each type, from the registered
    namers: one call per type that has one. Ids a namer does not name are left out."""
    named: dict[str, dict[str, str]] = {}
    for object_type, ids in wanted.items():
        namer = object_namers.get(object_type)
        ids = [i for i in ids if i]
        if namer is None or not ids:
            continue
        named[object_type] = dict(namer.names(viewer, ids))
    return named


def find_people(viewer: Any, text: str, limit: int) -> list[int]:
    found: list[int] = []
    for finder in person_finders:
        found.extend(i for i in finder.find(viewer, text, limit) if i not in found)
    return found[:limit]


def int_ids(ids: Collection[str]) -> list[int]:
    """The ids that are record numbers (events store them as text; some are not)."""
    return [int(i) for i in ids if i.isdigit() and 0 < int(i) < 2**63]


def short_day(when: Any) -> str:
    """A moment as the trail names it: "3 Nov" this year, "3 Nov 2025" before."""
    local = timezone.localtime(when)
    same_year = local.year == timezone.localdate().year
    return formats.date_format(local, "MONTH_DAY_FORMAT" if same_year else "DATE_FORMAT")
