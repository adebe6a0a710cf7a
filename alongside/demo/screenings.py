"""Demo screenings: social-needs screenings and repeated mood screenings, answered through
the intake services, so the demo's needs, urgent flags, histories and trends are real."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.intake import services
from alongside.intake.definitions import Given
from alongside.intake.models import InstrumentVersion, ScreeningResponse, UrgentFlag
from alongside.people.models import Person

# How likely each answer is, by option, for the social-needs items: most people report
# few needs, some one or two; the safety items (not listed) are almost always "never".
WEIGHTS = {
    "71802-3": [0.8, 0.14, 0.06],  # living situation: steady, worried, not steady
    "88122-7": [0.1, 0.2, 0.7],  # worried food would run out: often, sometimes, never
    "88123-5": [0.08, 0.17, 0.75],  # food didn't last
    "93030-5": [0.15, 0.85],  # transportation kept you from appointments: yes, no
    "96779-4": [0.1, 0.85, 0.05],  # utilities threatened: yes, no, already shut off
}
SAFETY = [0.93, 0.04, 0.02, 0.005, 0.005]


def screen_person(
    rng: random.Random, actor: User, person: Person, versions: dict[str, InstrumentVersion]
) -> None:
    """Some people have a social-needs screening; some have had their mood screened every
    few months (a trend to look at); a few answers are declined, as in real life."""
    if not person.enrollments.filter(status__in=("active", "paused")).exists():
        return
    roll = rng.random()
    if roll < 0.45 and "ahc-hrsn-core" in versions:
        _complete(rng, actor, person, versions["ahc-hrsn-core"], days_ago=rng.randint(5, 200))
    if roll > 0.7 and "phq-9" in versions:
        days = rng.randint(200, 400)
        drift = rng.choice([-1, -1, 0, 1])  # most people feel better over time
        level = rng.randint(1, 3)
        while days > 0:
            _complete(rng, actor, person, versions["phq-9"], days_ago=days, level=level)
            level = max(0, min(3, level + drift * (rng.random() < 0.6)))
            days -= rng.randint(60, 120)


def _complete(
    rng: random.Random,
    actor: User,
    person: Person,
    version: InstrumentVersion,
    *,
    days_ago: int,
    level: int | None = None,
) -> None:
    response = services.response_start(actor=actor, person=person, instrument_version=version)
    answers = {
        entry["link_id"]: Given(declined=True)
        if rng.random() < 0.03
        else Given(value=_pick(rng, entry, level))
        for entry in version.definition["items"]
    }
    response = services.answers_save(
        actor=actor, response=response, answers=answers, expected_version=response.version
    )
    response = services.response_complete(
        actor=actor, response=response, expected_version=response.version
    )
    _backdate(rng, response, days_ago, actor)


def _pick(rng: random.Random, entry: dict[str, Any], level: int | None) -> str:
    options = [o["code"] for o in entry["options"]]
    if level is not None:  # a mood item: answers cluster around the person's level
        index = max(0, min(len(options) - 1, level + rng.choice([-1, 0, 0, 1])))
        return str(options[index])
    weights = WEIGHTS.get(entry["link_id"], SAFETY)
    return str(rng.choices(options, weights=weights[: len(options)])[0])


def _backdate(rng: random.Random, response: ScreeningResponse, days_ago: int, actor: User) -> None:
    """Demo history spans months; the services stamp 'now', so move the stamps back.
    Flags older than a few days have been seen and acted on."""
    when = timezone.now() - dt.timedelta(days=days_ago, minutes=rng.randint(0, 600))
    ScreeningResponse.objects.filter(pk=response.pk).update(
        started_at=when - dt.timedelta(minutes=12), completed_at=when
    )
    response.needs.update(identified_at=when)
    flags = UrgentFlag.objects.filter(response=response)
    flags.update(raised_at=when)
    if days_ago > 7:
        flags.update(acknowledged_by=actor, acknowledged_at=when + dt.timedelta(hours=2))
