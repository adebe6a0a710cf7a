"""Duplicate pairs and merges as the audit browser names them
(`alongside.audit.readable`): by the people's names, for people the viewer sees."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.audit.readable import ObjectNamer, int_ids, object_namers, short_day
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.people.models import Person

NAME_FIELDS = ("preferred_name", "legal_given_name", "legal_family_name")


def _name(row: dict[str, Any], prefix: str) -> str:
    person = Person(**{field: row[f"{prefix}__{field}"] for field in NAME_FIELDS})
    return person.display_name


def _values(model: Any, viewer: Actor, ids: Collection[str], first: str, second: str) -> Any:
    """Rows of `model` both of whose people the viewer sees, with their names."""
    visible = Person.objects.visible_to(viewer, include_merged=True)
    names = [f"{who}__{field}" for who in (first, second) for field in NAME_FIELDS]
    return model.objects.filter(
        pk__in=int_ids(ids), **{f"{first}__in": visible, f"{second}__in": visible}
    ).values("pk", *names, *(["merged_at"] if model is MergeRecord else []))


def pair_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    return {
        str(row["pk"]): _("Possible duplicates: %(first)s and %(second)s")
        % {"first": _name(row, "person_a"), "second": _name(row, "person_b")}
        for row in _values(DuplicatePair, viewer, ids, "person_a", "person_b")
    }


def merge_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    return {
        str(row["pk"]): _("Merge of %(merged)s into %(survivor)s, %(day)s")
        % {
            "merged": _name(row, "merged"),
            "survivor": _name(row, "survivor"),
            "day": short_day(row["merged_at"]),
        }
        for row in _values(MergeRecord, viewer, ids, "merged", "survivor")
    }


def register() -> None:
    object_namers.register(ObjectNamer(key="matching.duplicatepair", names=pair_names))
    object_namers.register(ObjectNamer(key="matching.mergerecord", names=merge_names))
