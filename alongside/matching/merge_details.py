"""What a merge's page shows of the values the merge changed and kept, for people to
read: the values it set, the merged record's profile words the survivor kept its own for,
and identity details where both records had their own value. Sensitive values (an
approach-with-care note) are never shown here.

In the reader's language: kinds of rows and fields are named as the person's history
names them (`people.history_words`), and what the merge stored in English (why it set a
value, the note on an enrollment it closed) is said again (`merge_words`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.formats import date_format, time_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from alongside.matching.merge_words import said_why
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.people.enrollment_words import said_closure_note
from alongside.people.history_words import entity_name, field_name
from alongside.people.models import PROFILE_FIELDS, Enrollment, Person, Profile
from alongside.people.sensitivity import SENSITIVE_PROFILE_FIELDS as SENSITIVE_FIELDS

# For a reader who may not see both records' values.
NONE_SHOWN: dict[str, list[Any]] = {"changes": [], "kept_words": [], "kept_details": []}


def shown(record: MergeRecord) -> dict[str, list[Any]]:
    """The merge's values, for a reader who may see both records."""
    return {
        "changes": _changes(record),
        "kept_words": _kept_words(record),
        "kept_details": _kept_details(record),
    }


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _rows(changes: list[dict[str, Any]]) -> dict[tuple[str, int], Any]:
    """The rows the merge changed, as they are now: one query per kind of row."""
    wanted: dict[str, set[int]] = {}
    for change in changes:
        wanted.setdefault(change["model"], set()).add(change["id"])
    rows: dict[tuple[str, int], Any] = {}
    for label, ids in wanted.items():
        model = _model(label)
        if model is None:
            continue
        found = model._base_manager.filter(pk__in=ids)
        if model is DuplicatePair:
            found = found.select_related("person_a", "person_b")
        elif model is Enrollment:
            found = found.select_related("program")
        elif model is Profile:
            found = found.select_related("person")
        rows.update({(label, row.pk): row for row in found})
    return rows


def _describe(label: str, pk: int, row: Any) -> str:
    """What a changed row is, as people name it ("Enrollment: Housing (Closed)")."""
    model = _model(label)
    kind = capfirst(entity_name(model._meta.model_name or "", model)) if model else label
    if row is None:
        return _("%(kind)s (removed since)") % {"kind": kind}
    if isinstance(row, DuplicatePair):
        names = {"a": row.person_a.display_name, "b": row.person_b.display_name}
        return _("Possible duplicates: %(a)s and %(b)s") % names
    if isinstance(row, Profile):
        return f"{kind}: {row.person.display_name}"  # whose profile
    return f"{kind}: {row}"


def _users(changes: list[dict[str, Any]]) -> dict[int, str]:
    """Staff named by the values the merge set (who reviewed a pair), by id."""
    ids: set[int] = set()
    for change in changes:
        field = _field(change)
        if field is not None and field.is_relation and field.related_model is get_user_model():
            ids.update(v for v in (change["old"], change["new"]) if isinstance(v, int))
    if not ids:
        return {}
    return {user.pk: str(user) for user in get_user_model()._default_manager.filter(pk__in=ids)}


def _field(change: dict[str, Any]) -> Any:
    model = _model(change["model"])
    try:
        return model._meta.get_field(change["field"]) if model is not None else None
    except FieldDoesNotExist:
        return None


def readable(field: Any, value: Any, users: Mapping[int, str]) -> str:
    """A value the merge set or replaced, as people read it: a name, a date in the
    project's format, a choice's label, yes or no."""
    if value in ("", None):
        return _("(empty)")
    if field is None:
        return str(value)
    if field.is_relation and field.related_model is get_user_model():
        return users.get(value, _("a former colleague"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.name == "closure_note" and isinstance(value, str):
        return said_closure_note(value)  # the note a merge writes; a worker's as written
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        return date_format(localtime(moment), "DATETIME_FORMAT") if moment else str(value)
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return date_format(day) if day else str(value)
    if isinstance(field, models.TimeField):
        at = parse_time(str(value))
        return time_format(at) if at else str(value)
    return str(value)


def _changes(record: MergeRecord) -> list[dict[str, Any]]:
    """The values the merge set, for people to read; sensitive values are not shown."""
    rows = _rows(record.changed)
    users = _users(record.changed)
    shown = []
    for change in record.changed:
        field = _field(change)
        hidden = change["field"] in SENSITIVE_FIELDS
        name = field_name(_model(change["model"]), change["field"])
        shown.append(
            {
                "what": _describe(
                    change["model"], change["id"], rows.get((change["model"], change["id"]))
                ),
                "field": capfirst(str(name)),
                "old": _("(not shown)") if hidden else readable(field, change["old"], users),
                "new": _("(not shown)") if hidden else readable(field, change["new"], users),
                "why": said_why(change["why"]),
            }
        )
    return shown


def _kept_words(record: MergeRecord) -> list[tuple[str, str]]:
    """Profile sections of the merged record the survivor kept its own words for."""
    wanted = [
        (row["id"], row["field"])
        for row in record.kept
        if row["model"] == "people.profile" and row.get("field")
    ]
    if not wanted:
        return []
    profiles = {p.pk: p for p in Profile.objects.filter(pk__in={pk for pk, _ in wanted})}
    labels = dict(PROFILE_FIELDS)
    words = []
    for pk, name in wanted:
        profile = profiles.get(pk)
        if profile is None or name in SENSITIVE_FIELDS:
            continue
        words.append((labels.get(name, name), str(getattr(profile, name))))
    return words


def _person_value(name: str, value: Any) -> str:
    """An identity field's value as people read it (a date, a choice's label)."""
    if value in ("", None):
        return _("(empty)")
    field: Any = Person._meta.get_field(name)
    value = field.to_python(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return date_format(value)
    return str(value)


def _kept_details(record: MergeRecord) -> list[dict[str, str]]:
    """Identity fields where both records had their own value: the survivor's stayed,
    the merged record's is listed here to copy if it should be kept."""
    rows = []
    for row in record.kept:
        name = row.get("field")
        if row["model"] != "people.person" or not name or name in SENSITIVE_FIELDS:
            continue
        rows.append(
            {
                "field": capfirst(field_name(Person, name)),
                "survivor": _person_value(name, getattr(record.survivor, name, None)),
                "merged": _person_value(name, row.get("value")),
            }
        )
    return rows
