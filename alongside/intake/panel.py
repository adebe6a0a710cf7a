"""The "Needs and screenings" panel on a person's page (worded by `wording`, as the record
screens are): urgent flags, needs, and the latest screenings with their score lines. The
panel reads as the one sensitivity rule lets its viewer see: what is sensitive is
counted as restricted, never read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Case, DateTimeField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce, Now

from alongside.accounts.models import User
from alongside.intake import sensitive
from alongside.intake.flag_forms import FlagActionForm
from alongside.intake.models import (
    Instrument,
    InstrumentVersion,
    Need,
    ScreeningResponse,
    UrgentFlag,
    UrgentFlagAction,
)
from alongside.intake.selectors import with_attempts
from alongside.intake.wording import NeedView, need_view, short_title, status_choices
from alongside.lib import compiled
from alongside.people.contributions import PanelContext
from alongside.people.sensitivity import RESTRICTED

RECENTLY_ACKNOWLEDGED = dt.timedelta(days=30)
LATEST_SCREENINGS = 3
MAX_NEEDS = 50


@dataclass(frozen=True)
class ScoreLine:
    name: str
    value: int
    band: str
    items_missing: int


@dataclass
class ScreeningLine:
    """One screening as the panel lists it: what, when, and its scores (with
    `restricted` set when scores were left out for the reader)."""

    pk: int
    title: str
    version_label: str
    retired: bool
    status: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    scores: list[ScoreLine] = field(default_factory=list)
    restricted: bool = False

    @property
    def is_completed(self) -> bool:
        return self.status == ScreeningResponse.Status.COMPLETED

    @property
    def status_label(self) -> str:
        return str(ScreeningResponse.Status(self.status).label)


# ---------------------------------------------------------------- the panel


def person_flags(context: PanelContext) -> list[UrgentFlag]:
    """The person's open flags and those closed in the last 30 days, open ones first, in
    one query shared by the page's panels (`PanelContext.shared`). For a reader who may
    see their details, each carries what has been done so far (`selectors.with_attempts`)
    and, if open, the form to record what was done; for anyone else they are read
    without their reason (`Disclosure.sensitive`)."""
    if "intake.flags" in context.shared:
        return list(context.shared["intake.flags"])
    shown = context.disclosure.sensitive
    loaded = _flags(context.person.pk, sensitive=shown)
    for flag in loaded:
        if not shown:
            sensitive.restrict_flag(flag)
            continue
        closed_with = getattr(flag, "closed_with", None)
        flag.closed_with_label = (  # type: ignore[attr-defined]
            UrgentFlagAction.Kind(closed_with).label if closed_with else ""
        )
        if flag.is_open:
            flag.action_form = FlagActionForm(flag_pk=flag.pk)  # type: ignore[attr-defined]
    context.shared["intake.flags"] = loaded
    return list(loaded)


# What a flag's panel lines say of who closed it (`User.__str__`), in the model's field
# order as `Model.from_db` takes a subset of fields.
_CLOSER = tuple(
    f.attname
    for f in User._meta.concrete_fields
    if f.attname in {"id", "display_name", "first_name", "last_name", "username"}
)
_ATTEMPTS = ("attempts", "last_attempt_at", "closed_with")


def _flag_fields(sensitive: bool) -> list[str]:
    left_out = () if sensitive else ("reason", "guidance")
    return [f.attname for f in UrgentFlag._meta.concrete_fields if f.name not in left_out]


def _flags_query(person_id: int, sensitive: bool) -> Any:
    """Open flags and those closed in the last 30 days (by the database's clock, so the
    statement is the same every time), open ones first; for a reader who may see their
    details, with what has been done so far (`selectors.with_attempts`)."""
    recent = ExpressionWrapper(Now() - Value(RECENTLY_ACKNOWLEDGED), output_field=DateTimeField())
    flags = (
        UrgentFlag.objects.filter(person_id=person_id)
        .filter(Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=recent))
        .order_by(F("acknowledged_at").desc(nulls_first=True), "raised_at", "id")
    )
    extra = _ATTEMPTS if sensitive else ()
    if sensitive:
        flags = with_attempts(flags)
    closer = [f"acknowledged_by__{name}" for name in _CLOSER]
    return flags.values_list(*_flag_fields(sensitive), *closer, *extra)


def _flags(person_id: int, *, sensitive: bool) -> list[UrgentFlag]:
    """The flags of `_flags_query` as model instances (their reason and guidance left
    out without `sensitive`), in one statement compiled once per process."""
    fields = _flag_fields(sensitive)
    flags: list[UrgentFlag] = []
    for row in compiled.rows(
        "intake.flags", sensitive, lambda pk: _flags_query(pk, sensitive), person_id
    ):
        flag = UrgentFlag.from_db(DEFAULT_DB_ALIAS, fields, row[: len(fields)])
        closer = row[len(fields) : len(fields) + len(_CLOSER)]
        if closer[0] is not None:
            flag.acknowledged_by = User.from_db(DEFAULT_DB_ALIAS, list(_CLOSER), closer)
        else:
            flag.acknowledged_by = None
        for name, value in zip(_ATTEMPTS, row[len(fields) + len(_CLOSER) :], strict=False):
            setattr(flag, name, value)
        flags.append(flag)
    return flags


def urgent_alert(context: PanelContext) -> dict[str, Any] | None:
    """The alert above everything else on a person's page while a flag is open (one
    query, shared with the "Needs and screenings" panel); nothing when none is."""
    open_flags = [f for f in person_flags(context) if f.is_open]
    if not open_flags:
        return None
    return {
        "urgent": {
            "flags": open_flags,
            "sensitive": context.disclosure.sensitive,
            "restricted": RESTRICTED,
        }
    }


def person_panel(context: PanelContext) -> dict[str, Any]:
    """What the "Needs and screenings" panel on a person's page shows, in three queries
    whatever the record holds (two when the urgent alert has read the flags): flags
    closed in the last 30 days, needs, and the latest screenings with their scores. The
    caller has already read the person through `visible_to` (with their enrollments).
    For a user who may not see sensitive details (`Disclosure.sensitive`) flags are read
    without their reason, and safety and behavioral-health needs and scores of sensitive
    items are counted as restricted, never shown. Open flags are the urgent alert's."""
    person, disclosure = context.person, context.disclosure
    flag_list = person_flags(context)
    shown: list[NeedView] = []
    restricted: list[Need] = []
    for need in person_needs(person.pk):
        if disclosure.sensitive or not sensitive.is_sensitive_need(need.kind):
            shown.append(need_view(need))
        else:
            restricted.append(need)
    return {
        "open_flags": [f for f in flag_list if f.is_open],
        "acknowledged_flags": [f for f in flag_list if not f.is_open],
        "open_needs": [n for n in shown if n.is_open],
        "closed_needs": [n for n in shown if not n.is_open],
        "restricted_open_needs": sum(1 for n in restricted if n.status in Need.OPEN_STATUSES),
        "restricted_closed_needs": sum(1 for n in restricted if n.status not in Need.OPEN_STATUSES),
        "latest": latest_screenings(person.pk, sensitive=disclosure.sensitive),
        "status_choices": status_choices(),
        "sensitive": disclosure.sensitive,
        "on_team": disclosure.on_team,
        "restricted": RESTRICTED,
    }


_NEED_COLUMNS = (
    "pk",
    "kind",
    "status",
    "identified_at",
    "source_response_id",
    "source_response__completed_at",
    "source_response__instrument_version__instrument__slug",
    "source_response__instrument_version__instrument__title",
)


def _needs_query(person_id: int) -> Any:
    return (
        Need.objects.filter(person_id=person_id)
        .order_by("-identified_at", "-id")
        .values_list(*_NEED_COLUMNS)[:MAX_NEEDS]
    )


def person_needs(person_id: int) -> list[Need]:
    """The person's latest needs (at most `MAX_NEEDS`), each with the screening it came
    from (its id, when it was completed and its instrument's names: what the panel
    shows), in one statement compiled once per process (`lib.compiled.rows`)."""
    needs: list[Need] = []
    for pk, kind, status, identified_at, source_pk, completed_at, slug, title in compiled.rows(
        "intake.needs", None, _needs_query, person_id
    ):
        need = Need(
            pk=pk,
            person_id=person_id,
            kind=kind,
            status=status,
            identified_at=identified_at,
            source_response_id=source_pk,
        )
        if source_pk is not None:
            source = ScreeningResponse(pk=source_pk, completed_at=completed_at)
            source.instrument_version = InstrumentVersion(
                instrument=Instrument(slug=slug, title=title)
            )
            need.source_response = source
        needs.append(need)
    return needs


_SCREENING_COLUMNS = (
    "pk",
    "status",
    "started_at",
    "completed_at",
    "instrument_version__label",
    "instrument_version__status",
    "instrument_version__instrument__slug",
    "instrument_version__instrument__title",
    "scores__name",
    "scores__items_missing",
    "score_value",
    "score_band",
    "score_hidden",
)


def _screenings_query(person_id: int, limit: int, sensitive: bool) -> Any:
    """The responses joined to their scores, one row per score (or one row for a
    response without). Without `sensitive`, scores of sensitive items are not read:
    the database answers null instead."""
    latest = (
        ScreeningResponse.objects.filter(person_id=person_id)
        .order_by("-started_at", "-id")
        .values("pk")[:limit]
    )
    value: Any = F("scores__value")
    band: Any = F("scores__band")
    hidden: Any = Value(False)
    if not sensitive:
        value = Case(When(scores__sensitive=True, then=Value(None)), default=value)
        band = Case(When(scores__sensitive=True, then=Value("")), default=band)
        hidden = Coalesce(F("scores__sensitive"), Value(False))
    return (
        ScreeningResponse.objects.filter(pk__in=latest)
        .annotate(score_value=value, score_band=band, score_hidden=hidden)
        .order_by("-started_at", "-id", "scores__id")
        .values_list(*_SCREENING_COLUMNS)
    )


def latest_screenings(
    person_id: int, limit: int = LATEST_SCREENINGS, *, sensitive: bool = True
) -> list[ScreeningLine]:
    """The person's latest screenings with their scores, in one statement compiled once
    per process and answer (`lib.compiled.rows`). Without `sensitive`, scores of
    sensitive items are not read: the line says they are restricted."""
    rows = compiled.rows(
        "intake.latest_screenings",
        (limit, sensitive),
        lambda pk: _screenings_query(pk, limit, sensitive),
        person_id,
    )
    lines: dict[int, ScreeningLine] = {}
    for row in rows:
        (pk, status, started_at, completed_at, label, version_status, slug, title) = row[:8]
        score_name, items_missing, score_value, score_band, score_hidden = row[8:]
        line = lines.get(pk)
        if line is None:
            line = lines[pk] = ScreeningLine(
                pk=pk,
                title=short_title(slug, title),
                version_label=label,
                retired=version_status == "retired",
                status=status,
                started_at=started_at,
                completed_at=completed_at,
            )
        if score_name is None:
            continue
        if score_hidden:
            line.restricted = True
            continue
        line.scores.append(ScoreLine(score_name, score_value, score_band, items_missing))
    return list(lines.values())
