"""What a merge's page shows of the values the merge changed and kept, for people to
read: the values it set, the merged record's profile words the survivor kept its own for,
and identity details where both records had their own value. Sensitive values (an
approach-with-care note) are never shown here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from alongside.matching.models import MergeRecord
from alongside.people.models import PROFILE_FIELDS, Person, Profile
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


def _model_label(label: str) -> str:
    try:
        model: Any = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name)


def _changes(record: MergeRecord) -> list[dict[str, Any]]:
    """The values the merge set, for people to read (a staff member by name, a moment
    in the project's format); sensitive values are not shown."""
    staff = _staff_names(record.changed)
    shown = []
    for change in record.changed:
        hidden = change["field"] in SENSITIVE_FIELDS
        shown.append(
            {
                "what": f"{_model_label(change['model'])} #{change['id']}",
                "field": change["field"].removesuffix("_id").replace("_", " "),
                "old": "(not shown)" if hidden else _readable(change, "old", staff),
                "new": "(not shown)" if hidden else _readable(change, "new", staff),
                "why": change["why"],
            }
        )
    return shown


def _is_staff(change: dict[str, Any]) -> bool:
    return str(change["field"]).endswith("_by_id")


def _staff_names(changes: list[dict[str, Any]]) -> dict[int, str]:
    ids = {
        change[side]
        for change in changes
        if _is_staff(change)
        for side in ("old", "new")
        if isinstance(change[side], int)
    }
    if not ids:
        return {}
    return {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=ids)}


def _readable(change: dict[str, Any], side: str, staff: dict[int, str]) -> Any:
    value = change[side]
    if _is_staff(change) and isinstance(value, int):
        return staff.get(value, "a former staff member")
    if isinstance(value, str) and "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return value


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
        return "(empty)"
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
        field: Any = Person._meta.get_field(name)
        rows.append(
            {
                "field": capfirst(str(field.verbose_name)),
                "survivor": _person_value(name, getattr(record.survivor, name, None)),
                "merged": _person_value(name, row.get("value")),
            }
        )
    return rows
