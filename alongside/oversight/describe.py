"""A page of audit events in words: what each is about ("Screening: PHQ-9, 3 Nov"), the
person it concerns by name, and what a search looked for, for viewers allowed to read
search terms. Names come from the namers apps register (`alongside.audit.readable`),
asked once per object type on the page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from alongside.accounts.scope import scope_for
from alongside.audit.models import AuditEvent
from alongside.audit.readable import PERSON_TYPE, kind_of, names_for
from alongside.audit.selectors import DENIED_ACTIONS

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


def sees_search_terms(viewer: Any, organization_id: int) -> bool:
    """What staff typed into a search can name anyone (and say why they were looked
    for), so it is shown only to those who see every person of the organization: its
    admins."""
    return scope_for(viewer).is_admin_of(organization_id)


@dataclass(frozen=True)
class Described:
    action: str  # the action, in words: "Viewed"
    what: str  # the object, in words
    person_name: str  # the person the event is about, when the viewer may see them
    search: str  # what a search looked for, or why it is not shown
    fields: str  # the fields changed, as their forms call them


def describe(viewer: Any, organization_id: int, events: list[AuditEvent]) -> None:
    """Set `described` on every event of the page."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.person_id is not None:
            wanted[PERSON_TYPE].add(str(event.person_id))
        # A denied attempt's record is not the actor's to see; it is shown by number.
        if event.object_id and event.action not in DENIED_ACTIONS:
            wanted[event.object_type].add(event.object_id)
    names = names_for(viewer, wanted)
    people = names.get(PERSON_TYPE, {})
    terms = sees_search_terms(viewer, organization_id)
    for event in events:
        person = people.get(str(event.person_id), "") if event.person_id else ""
        event.described = Described(  # type: ignore[attr-defined]
            action=str(ACTION_LABELS[event.action]),
            what=_what(event, names),
            person_name=person,
            search=_search(event, terms) if event.action == Action.SEARCH else "",
            fields=_fields(event),
        )


def _what(event: AuditEvent, names: dict[str, dict[str, str]]) -> str:
    if event.action in SIGN_INS and event.object_id == str(event.actor_id or ""):
        return ""  # the staff member signing themself in or out
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
