"""The demo's many people: random but coherent (their profile fits their age, heritage and
contact rules; screenings fall while they were enrolled), each registered and followed
through the people and intake services by a coordinator of their program."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo import screenings
from alongside.demo.names import (
    HERITAGES,
    random_full_name,
    random_given_name,
    random_identity,
)
from alongside.demo.stories import PHONE_RULES, PhoneRules, Who, profile_for
from alongside.intake.models import InstrumentVersion
from alongside.organizations.models import Program
from alongside.people import services
from alongside.people.models import Enrollment, Person

HERITAGE = {h.key: h for h in HERITAGES}
AREA_CODES = ["212", "347", "718", "646", "201", "973", "914", "516"]
CLOSURE_REASONS = [c.value for c in Enrollment.CHOSEN_CLOSURE_REASONS if c != "deceased"]


@dataclass
class Team:
    """An organization's programs, who coordinates in each, its staff by username prefix
    ("coordinator", "supervisor", ...) and the screening instruments in use."""

    programs: list[Program]
    coordinators: dict[int, list[User]]
    staff: dict[str, User]
    versions: Mapping[str, InstrumentVersion]


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def fictional_phone(rng: random.Random) -> str:
    """555-0100 to 555-0199: reserved for fiction, so no one real is ever called."""
    return f"({rng.choice(AREA_CODES)}) 555-{rng.randint(100, 199):04d}"


def medicaid_id(rng: random.Random) -> str:
    letters = "ABCDEFGHJK"
    prefix = rng.choice(letters) + rng.choice(letters)
    return f"{prefix}{rng.randint(10000, 99999)}{rng.choice(letters)}"


def person(rng: random.Random, team: Team) -> Person:
    """One adult (the programs serve adults), registered, reached, screened and moved
    along their journey."""
    today = timezone.localdate()
    while True:
        drawn = random_identity(rng)
        if age_on(drawn["date_of_birth"], today) >= 18:
            break
    heritage = drawn["heritage"]
    languages = drawn["languages"]
    identity = {k: v for k, v in drawn.items() if k not in ("languages", "heritage")}
    rules = rng.choice(PHONE_RULES)
    who = Who(
        age=age_on(drawn["date_of_birth"], today),
        heritage=heritage,
        languages=tuple(code for code, _ in languages),
        may_text=rules.may_text,
    )
    program = team.programs[0] if rng.random() < 0.5 else rng.choice(team.programs)
    actor = rng.choice(team.coordinators[program.pk])
    record = services.person_create(
        actor=actor,
        program=program,
        data=identity,
        profile=profile_for(rng, who),
        primary_coordinator=actor,
    )
    for position, (code, interpreter) in enumerate(languages):
        services.language_add(
            actor=actor,
            person=record,
            data={
                "language": code,
                "is_preferred": position == 0,
                "interpreter_needed": interpreter,
            },
        )
    _reach(rng, actor, record, rules, heritage)
    _journey(rng, actor, record, team, language=languages[0][0])
    return record


def _reach(
    rng: random.Random, actor: User, record: Person, rules: PhoneRules, heritage: str
) -> None:
    services.contact_point_create(
        actor=actor,
        person=record,
        data={
            "kind": "phone",
            "label": rules.label,
            "value": fictional_phone(rng),
            "is_preferred": True,
            "may_leave_voicemail": rules.may_leave_voicemail,
            "may_text": rules.may_text,
            "best_times": rng.choice(["", "Mornings", "After 3 pm", "Weekdays at lunch"]),
            "never_contact_times": rng.choice(["", "", "Sundays", "After 8 pm"]),
            "safety_note": rules.safety_note,
        },
    )
    if rng.random() < 0.5:
        handle = "".join(ch for ch in record.search_text.split()[0] if ch.isascii()) or "person"
        services.contact_point_create(
            actor=actor,
            person=record,
            data={"kind": "email", "value": f"{handle}{rng.randint(1, 999)}@example.net"},
        )
    if rng.random() < 0.4:
        relationships = ["family", "friend", "peer", "caregiver"]
        if not rules.partner_is_unsafe:
            relationships.append("partner")
        relationship = rng.choice(relationships)
        if relationship == "family":
            sex = rng.choice(("female", "male"))
            name = f"{random_given_name(rng, HERITAGE[heritage], sex)} {record.legal_family_name}"
        else:
            name = random_full_name(rng)
        services.support_contact_create(
            actor=actor,
            person=record,
            data={
                "name": name.strip(),
                "relationship": relationship,
                "may_involve": rng.random() < 0.7,
            },
        )
    if rng.random() < 0.6:
        services.identifier_create(
            actor=actor,
            person=record,
            data={"kind": "medicaid", "issuer": "NY Medicaid", "value": medicaid_id(rng)},
        )


def _last_contact(record: Person, *, since: int, until: int) -> None:
    """When the care team last reached the person: most within the last three weeks, a
    few longer ago than the worklist's contact rule. From its own generator, seeded by
    the record, so the other draws (and so the rest of the demo) stay as they were."""
    days = min(since, until + int(random.Random(record.pk).triangular(0, 45, 4)))
    at = timezone.now() - dt.timedelta(days=days, hours=3)
    services.record_contact(person=record, at=at)


def _journey(rng: random.Random, actor: User, record: Person, team: Team, language: str) -> None:
    """Referred (and waiting), active, paused or closed; screened while enrolled."""
    enrollment = record.enrollments.get()
    today = timezone.localdate()
    roll = rng.random()
    if roll < 0.15:  # still a referral, from the last three weeks
        referred = today - dt.timedelta(days=rng.randint(0, 21))
        services.enrollment_update(
            actor=actor, enrollment=enrollment, data={"referred_on": referred}, version=None
        )
        return
    since = rng.randint(10, 700)
    started = today - dt.timedelta(days=since)
    enrollment = services.enrollment_update(
        actor=actor,
        enrollment=enrollment,
        data={
            "status": Enrollment.Status.ACTIVE,
            "started_on": started,
            "referred_on": started - dt.timedelta(days=rng.randint(1, 20)),
        },
        version=None,
    )
    closing = roll > 0.85
    until = max(0, since - rng.randint(30, 300)) if closing else 0
    screenings.screen_person(
        rng, actor, record, team.versions, since=since, until=until, language=language
    )
    _last_contact(record, since=since, until=until)
    if closing:
        screenings.acknowledge_all(actor, record)
        services.enrollment_update(
            actor=actor,
            enrollment=enrollment,
            data={
                "status": Enrollment.Status.CLOSED,
                "closure_reason": rng.choice(CLOSURE_REASONS),
                "ended_on": today - dt.timedelta(days=until),
            },
            version=None,
        )
    elif roll > 0.78:
        services.enrollment_update(
            actor=actor,
            enrollment=enrollment,
            data={"status": Enrollment.Status.PAUSED},
            version=None,
        )
