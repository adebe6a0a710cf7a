"""Worklist decisions as the audit browser names them (`alongside.audit.readable`):
"Worklist: snoozed until 10 Dec (No recent contact)", for people the viewer sees. The
note saying why is never part of the name."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.audit.readable import ObjectNamer, int_ids, object_namers, short_day
from alongside.people.contributions import worklist_reasons
from alongside.people.models import Person
from alongside.worklist.models import WorklistDecision


def _reason(key: str) -> str:
    reason = worklist_reasons.get(key)
    return str(reason.label) if reason is not None else key


def decision_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = WorklistDecision.objects.filter(
        pk__in=int_ids(ids), person__in=Person.objects.visible_to(viewer, include_merged=True)
    ).values_list("pk", "action", "until", "created_at", "reason_key")
    named = {}
    for pk, action, until, at, reason in rows:
        if action == WorklistDecision.Action.SNOOZED:
            text = _("Worklist: snoozed until %(day)s (%(reason)s)")
            day = until
        else:
            text = _("Worklist: done on %(day)s (%(reason)s)")
            day = at
        named[str(pk)] = text % {"day": short_day(day), "reason": _reason(reason)}
    return named


def register() -> None:
    object_namers.register(ObjectNamer(key="worklist.worklistdecision", names=decision_names))
