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

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from alongside.audit.models import AuditEvent
from alongside.audit.selectors import DENIED_ACTIONS
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
    return [int(i) for i in ids if i.isascii() and i.isdigit() and 0 < int(i) < 2**63]


def short_day(when: Any) -> str:
    """A moment (or a day) as the trail names it: "3 Nov" this year, "3 Nov 2025" before."""
    local = timezone.localtime(when) if isinstance(when, datetime) else when
    same_year = local.year == timezone.localdate().year
    return formats.date_format(local, "MONTH_DAY_FORMAT" if same_year else "DATE_FORMAT")


# ---------------------------------------------------------------- a page of events

Action = AuditEvent.Action
# What each action reads as in the browser, before what it was done to.
ACTION_LABELS: dict[str, Promise] = {
    Action.VIEW: gettext_lazy("Viewed"),
    Action.LIST: gettext_lazy("Listed"),
    Action.SEARCH: gettext_lazy("Searched"),
    Action.CREATE: gettext_lazy("Created"),
    Action.UPDATE: gettext_lazy("Changed"),
    Action.DELETE: gettext_lazy("Deleted"),
    Action.EXPORT: gettext_lazy("Exported"),
    Action.LOGIN: gettext_lazy("Signed in"),
    Action.LOGIN_FAILED: gettext_lazy("Sign-in failed"),
    Action.LOGOUT: gettext_lazy("Signed out"),
    Action.COMPLETE: gettext_lazy("Completed"),
    Action.MERGE: gettext_lazy("Merged"),
    Action.UNMERGE: gettext_lazy("Undid a merge"),
    Action.DENIED: gettext_lazy("Denied"),
    Action.DENIED_ALERT: gettext_lazy("Alert raised"),
}
assert set(ACTION_LABELS) == set(Action.values)
SIGN_INS = (Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT)


@dataclass(frozen=True)
class Described:
    action: str  # the action, in words: "Viewed"
    what: str  # the object, in words
    person_name: str  # the person the event is about, when the viewer may see them
    search: str  # what a search looked for, or why it is not shown
    fields: str  # the fields changed, as their forms call them


def describe(viewer: Any, events: list[AuditEvent], *, search_terms: bool) -> None:
    """Set `described` on every event of a page: what it is about in words, the person's
    name, and (with `search_terms`, for viewers allowed to read them) what a search
    looked for. One call per namer of an object type on the page."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.person_id is not None:
            wanted[PERSON_TYPE].add(str(event.person_id))
        # A denied attempt's record is not the actor's to see; it is shown by number.
        if event.object_id and event.action not in DENIED_ACTIONS:
            wanted[event.object_type].add(event.object_id)
    names = names_for(viewer, wanted)
    people = names.get(PERSON_TYPE, {})
    for event in events:
        person = people.get(str(event.person_id), "") if event.person_id else ""
        event.described = Described(  # type: ignore[attr-defined]
            action=str(ACTION_LABELS[event.action]),
            what=_what(event, names),
            person_name=person,
            search=_search(event, search_terms) if event.action == Action.SEARCH else "",
            fields=_fields(event),
        )


def _what(event: AuditEvent, names: dict[str, dict[str, str]]) -> str:
    if event.action in SIGN_INS and event.object_id == str(event.actor_id or ""):
        return ""  # the staff member signing themself in or out
    if event.object_type == PERSON_TYPE and event.object_id == str(event.person_id or ""):
        return ""  # the person's record itself: the person's name says it
    if event.action in (Action.LIST, Action.SEARCH) and not event.object_id:
        return _plural_kind(event.object_type)  # "Listed people"
    name = names.get(event.object_type, {}).get(event.object_id)
    if name:
        return name
    kind = kind_of(event.object_type)
    # Something on a person's record is told apart by the person, shown beside it.
    if not event.object_id or (event.person_id and event.action not in DENIED_ACTIONS):
        return kind
    return _("%(kind)s #%(id)s") % {"kind": kind, "id": event.object_id}


def _fields(event: AuditEvent) -> str:
    """Field names in words ("date of birth"); names the model does not have (an
    answer's question code) as they are."""
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        model = None
    words = []
    for name in event.fields or []:
        try:
            words.append(str(model._meta.get_field(name).verbose_name) if model else name)
        except FieldDoesNotExist:
            words.append(str(name))
    return ", ".join(words)


def _plural_kind(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return object_type


def _search(event: AuditEvent, terms_allowed: bool) -> str:
    detail = event.detail or {}
    results = detail.get("results")
    found = (
        ngettext("%(n)s result", "%(n)s results", results) % {"n": results}
        if isinstance(results, int)
        else ""
    )
    if detail.get("purpose") == "duplicate check":
        checked = ", ".join(str(f).replace("_", " ") for f in detail.get("fields", []))
        text = _("Duplicate check on %(fields)s") % {"fields": checked or _("no fields")}
    elif not terms_allowed:
        text = _("Search terms are shown to organization admins only")
    elif detail.get("query"):
        text = _("Searched for “%(query)s”") % {"query": detail["query"]}
    else:
        text = _("Search terms not recorded")
    return f"{text} · {found}" if found else text
