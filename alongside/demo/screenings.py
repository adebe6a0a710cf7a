"""Demo screenings: social-needs screenings and repeated mood screenings, recorded through
the intake services as a staff member enters a whole screening at once, so the demo's
needs, urgent flags, histories and trends are real. Urgent flags are acknowledged, and
needs moved on, through the services too, by the person's coordinator."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.intake import definitions, services
from alongside.intake.definitions import Given
from alongside.intake.models import (
    InstrumentVersion,
    Need,
    ScreeningResponse,
    UrgentFlag,
    UrgentFlagAction,
)
from alongside.people.models import Person

HRSN, PHQ9 = "ahc-hrsn-core", "phq-9"
SELF_HARM = "44260-8"  # PHQ-9 item 9: any answer above "not at all" raises an urgent flag
# How likely each answer is, by option, for the social-needs items: most people report
# few needs, some one or two; the safety items (not listed) are almost always "never".
WEIGHTS = {
    "71802-3": [0.8, 0.14, 0.06],  # living situation: steady, worried, not steady
    "88122-7": [0.1, 0.2, 0.7],  # worried food would run out: often, sometimes, never
    "88123-5": [0.08, 0.17, 0.75],  # food didn't last
    "93030-5": [0.15, 0.85],  # transportation kept you from appointments: yes, no
    "96779-4": [0.1, 0.85, 0.05],  # utilities threatened: yes, no, already shut off
    SELF_HARM: [0.94, 0.045, 0.01, 0.005],  # rare, even among people screened for mood
}
SAFETY = [0.93, 0.04, 0.02, 0.005, 0.005]
# Where a need stands some weeks after it was found.
NEED_OUTCOMES = [
    (Need.Status.IDENTIFIED, 0.4),
    (Need.Status.ADDRESSING, 0.35),
    (Need.Status.RESOLVED, 0.17),
    (Need.Status.NOT_WANTED, 0.08),
]
RECENT = 7  # days: flags raised since are still waiting for someone
# What the coordinator records having done about an older flag.
DEMO_ACTION = UrgentFlagAction.Kind.CONTACTED


def screen_person(
    rng: random.Random,
    actor: User,
    person: Person,
    versions: Mapping[str, InstrumentVersion],
    *,
    since: int,
    until: int = 0,
    language: str = "en",
) -> None:
    """Screenings while the person was enrolled, `since` to `until` days ago: some have
    a social-needs screening, some have had their mood screened every few months (a trend
    to look at); a few answers are declined, as in real life. Then their needs move on."""
    roll = rng.random()
    if roll < 0.45 and HRSN in versions:
        days = rng.randint(until, max(until, min(since, 200)))
        complete(rng, actor, person, versions[HRSN], days_ago=days, language=language)
    if roll > 0.7 and PHQ9 in versions and since - until >= 60:
        days = min(since, 400) - rng.randint(0, 30)  # every few months for about a year
        drift = rng.choice([-1, -1, 0, 1])  # most people feel better over time
        level = rng.randint(1, 3)
        while days >= until:
            complete(
                rng, actor, person, versions[PHQ9], days_ago=days, level=level, language=language
            )
            level = max(0, min(3, level + drift * (rng.random() < 0.6)))
            days -= rng.randint(60, 120)
    if roll < 0.45 or roll > 0.7:
        settle_needs(rng, actor, person)


def complete(
    rng: random.Random,
    actor: User,
    person: Person,
    version: InstrumentVersion,
    *,
    days_ago: int,
    level: int | None = None,
    answers: Mapping[str, str] | None = None,
    language: str = "en",
) -> ScreeningResponse:
    """One screening, `days_ago`: answers drawn at random (around `level` for mood
    items), except those given in `answers` ({link_id: option code})."""
    if language not in definitions.languages(version.definition):
        language = "en"
    given = {}
    for entry in version.definition["items"]:
        link_id = entry["link_id"]
        if answers and link_id in answers:
            given[link_id] = Given(value=answers[link_id])
        elif rng.random() < 0.03 and link_id != SELF_HARM:
            given[link_id] = Given(declined=True)
        else:
            given[link_id] = Given(value=_pick(rng, entry, level))
    response = services.response_record(
        actor=actor, person=person, instrument_version=version, answers=given, language=language
    )
    _backdate(rng, actor, response, days_ago)
    return response


def _pick(rng: random.Random, entry: dict[str, Any], level: int | None) -> str:
    options = [o["code"] for o in entry["options"]]
    weights = WEIGHTS.get(entry["link_id"], SAFETY)
    if level is not None and entry["link_id"] != SELF_HARM:
        # A mood item: answers cluster around the person's level.
        index = max(0, min(len(options) - 1, level + rng.choice([-1, 0, 0, 1])))
        return str(options[index])
    return str(rng.choices(options, weights=weights[: len(options)])[0])


def _backdate(rng: random.Random, actor: User, response: ScreeningResponse, days_ago: int) -> None:
    """Demo history spans months, but the services stamp "now": move the stamps back (the
    one thing the demo writes outside a service; the audit trail keeps the real times).
    A flag raised more than a few days ago has been acknowledged by the coordinator."""
    when = timezone.now() - dt.timedelta(days=days_ago, minutes=rng.randint(0, 600))
    ScreeningResponse.objects.filter(pk=response.pk).update(
        started_at=when - dt.timedelta(minutes=12), completed_at=when
    )
    response.needs.update(identified_at=when)
    flags = list(UrgentFlag.objects.filter(response=response))
    UrgentFlag.objects.filter(response=response).update(raised_at=when)
    if days_ago > RECENT:
        for flag in flags:
            services.urgent_flag_acknowledge(actor=actor, flag=flag, action=DEMO_ACTION)
        UrgentFlag.objects.filter(response=response).update(
            acknowledged_at=when + dt.timedelta(hours=2)
        )
        UrgentFlagAction.objects.filter(flag__response=response).update(
            taken_at=when + dt.timedelta(hours=2)
        )


def settle_needs(rng: random.Random, actor: User, person: Person) -> None:
    """Needs found weeks ago are often being addressed by now, some resolved, a few
    declined by the person."""
    statuses, weights = zip(*NEED_OUTCOMES, strict=True)
    for need in Need.objects.filter(person=person, status=Need.Status.IDENTIFIED):
        if (timezone.now() - need.identified_at).days < 14:
            continue
        status = rng.choices(statuses, weights=weights)[0]
        if status != need.status:
            services.need_set_status(actor=actor, need=need, status=status, expected=need.status)


def acknowledge_all(actor: User, person: Person) -> None:
    """Before an enrollment closes, its team has seen every flag."""
    for flag in UrgentFlag.objects.filter(person=person, acknowledged_at__isnull=True):
        services.urgent_flag_acknowledge(actor=actor, flag=flag, action=DEMO_ACTION)
