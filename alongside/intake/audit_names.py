"""Screenings, needs, urgent flags and instruments as the audit browser names them
(`alongside.audit.readable`): "Screening: PHQ-9, 3 Nov". Nothing the sensitivity rule
withholds from the viewer (a sensitive need's kind, a flag's reason) is named."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit.readable import ObjectNamer, int_ids, object_namers, short_day
from alongside.intake.models import (
    Instrument,
    InstrumentVersion,
    Need,
    ScreeningResponse,
    UrgentFlag,
    UrgentFlagAction,
)
from alongside.intake.sensitive import visible_needs
from alongside.intake.wording import need_name, short_title
from alongside.people.models import Person
from alongside.people.sensitivity import sees_sensitive


def _visible_people(viewer: Actor) -> Any:
    return Person.objects.visible_to(viewer)


def screening_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = ScreeningResponse.objects.filter(
        pk__in=int_ids(ids), person__in=_visible_people(viewer)
    ).values_list(
        "pk",
        "started_at",
        "instrument_version__instrument__slug",
        "instrument_version__instrument__title",
    )
    return {
        str(pk): _("Screening: %(instrument)s, %(day)s")
        % {"instrument": short_title(slug, title), "day": short_day(started)}
        for pk, started, slug, title in rows
    }


def need_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    shown = ExpressionWrapper(Q(visible_needs(viewer)), output_field=BooleanField())
    rows = (
        Need.objects.filter(pk__in=int_ids(ids), person__in=_visible_people(viewer))
        .annotate(shown=shown)
        .values_list("pk", "kind", "shown")
    )
    return {
        str(pk): _("Need: %(topic)s") % {"topic": need_name(kind)}
        if visible
        else _("Need (details restricted to the care team)")
        for pk, kind, visible in rows
    }


def flag_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = UrgentFlag.objects.filter(
        pk__in=int_ids(ids), person__in=_visible_people(viewer)
    ).values_list("pk", "raised_at")
    return {str(pk): _("Urgent flag raised %(day)s") % {"day": short_day(at)} for pk, at in rows}


def flag_action_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    # What was done about a flag says what it was about: its kind only for those who may
    # read the flag's reason (as on the flag's page); its note never.
    shown = ExpressionWrapper(Q(sees_sensitive(viewer, "flag__person_id")), BooleanField())
    kinds = dict(UrgentFlagAction.Kind.choices)
    rows = (
        UrgentFlagAction.objects.filter(
            pk__in=int_ids(ids), flag__person__in=_visible_people(viewer)
        )
        .annotate(shown=shown)
        .values_list("pk", "kind", "taken_at", "shown")
    )
    return {
        str(pk): _("Action on an urgent flag: %(kind)s, %(day)s")
        % {"kind": kinds.get(kind, kind), "day": short_day(at)}
        if visible
        else _("Action on an urgent flag, %(day)s") % {"day": short_day(at)}
        for pk, kind, at, visible in rows
    }


def _usable_by(viewer: Actor) -> Q:
    return Q(organization__isnull=True) | Q(organization_id__in=scope_for(viewer).organization_ids)


def instrument_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = Instrument.objects.filter(_usable_by(viewer), pk__in=int_ids(ids)).values_list(
        "pk", "slug", "title"
    )
    return {
        str(pk): _("Instrument: %(title)s") % {"title": short_title(slug, title)}
        for pk, slug, title in rows
    }


def version_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    rows = InstrumentVersion.objects.filter(
        pk__in=int_ids(ids), instrument__in=Instrument.objects.filter(_usable_by(viewer))
    ).values_list("pk", "label", "instrument__slug", "instrument__title")
    return {
        str(pk): _("Instrument: %(title)s, version %(label)s")
        % {"title": short_title(slug, title), "label": label}
        for pk, label, slug, title in rows
    }


def register() -> None:
    for key, names in (
        ("intake.screeningresponse", screening_names),
        ("intake.need", need_names),
        ("intake.urgentflag", flag_names),
        ("intake.urgentflagaction", flag_action_names),
        ("intake.instrument", instrument_names),
        ("intake.instrumentversion", version_names),
    ):
        object_namers.register(ObjectNamer(key=key, names=names))
