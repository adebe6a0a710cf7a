"""Intake's entries on the person's journey timeline, written in the transaction of the
change they describe. The kinds are registered sensitive (intake/apps.py): the summary
says only what happened, safe for anyone who sees the person; scores, a flag's reason
and what was done about it go in `details`, which only the care team reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from alongside.intake.models import Score, ScreeningResponse, UrgentFlag, UrgentFlagAction
from alongside.lib.english import in_english
from alongside.people import timeline


def _scores(scores: Iterable[Score]) -> str:
    return "; ".join(f"{s.name}: {s.value}" + (f" ({s.band})" if s.band else "") for s in scores)


def screening_completed(actor: Any, response: ScreeningResponse, at: dt.datetime) -> None:
    title = response.instrument_version.instrument.title
    timeline.add_entry(
        person=response.person,
        kind="intake.screening_completed",
        occurred_at=at,
        summary=in_english(lambda: _("Screening completed: %(title)s") % {"title": title}),
        details=_scores(response.scores.order_by("name")),
        actor=actor,
        subject=response,
        link=reverse("intake:response", args=[response.pk]),
    )


def flag_raised(actor: Any, flag: UrgentFlag) -> None:
    timeline.add_entry(
        person=flag.person,
        kind="intake.urgent_flag_raised",
        occurred_at=flag.raised_at,
        summary=in_english(lambda: _("Urgent screening result raised")),
        details=flag.reason,
        actor=actor,
        subject=flag,
        link=reverse("intake:flag", args=[flag.pk]),
    )


def flag_acknowledged(actor: Any, flag: UrgentFlag, taken: UrgentFlagAction) -> None:
    what = in_english(lambda: str(taken.get_kind_display()))
    timeline.add_entry(
        person=flag.person,
        kind="intake.urgent_flag_acknowledged",
        occurred_at=taken.taken_at,
        summary=in_english(
            lambda: (
                _("Urgent screening result acted on")
                if taken.closes_flag
                else _("Urgent screening result: attempt recorded")
            )
        ),
        details=f"{what}. {taken.note}".strip() if taken.note else what,
        actor=actor,
        subject=flag,
        link=reverse("intake:flag", args=[flag.pk]),
    )
