"""Demo organizations, staff and people, written through the same services as real work
(so the demo's audit trail and history are real too). The system sets up each
organization with its programs, locations and staff, as `DEMO`; its staff do the rest."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import Role, User
from alongside.demo import screenings, stories
from alongside.demo.names import random_full_name, random_identity
from alongside.intake.models import InstrumentVersion
from alongside.lib.actors import SystemActor
from alongside.organizations.models import Program
from alongside.organizations.staff import Bootstrapped, organization_bootstrap, staff_provision
from alongside.people import services
from alongside.people.models import Enrollment, Person

DEMO_PASSWORD = "alongside-demo-2026"  # noqa: S105 (printed for everyone: it is the demo)
DEMO = SystemActor(username="system:demo", name="The Alongside demo")

ORGANIZATIONS = [
    (
        "Riverbend Community Services",
        "riverbend",
        "person",
        ["Housing Navigation", "Wellness & Recovery", "Re-entry Support"],
        [("Riverbend Main Office", "210 Water St, Riverbend"), ("Eastside Drop-in", "14 Elm Ave")],
    ),
    (
        "Lakeside Community Health Center",
        "lakeside",
        "patient",
        ["Care Coordination", "Behavioral Health Integration"],
        [("Lakeside Clinic", "900 Shore Rd, Lakeside")],
    ),
    (
        "Harbor Family Resource Network",
        "harbor",
        "participant",
        ["Family Navigation", "Food & Benefits Access"],
        [("Harbor Family Center", "5 Dock St, Harbor City")],
    ),
]

# (username prefix, first, last, pronouns, role, which program: index, or None for all)
STAFF = [
    ("coordinator", "Casey", "Nguyen", "they/them", Role.COORDINATOR, 0),
    ("casemanager", "Jordan", "Washington", "he/him", Role.CASE_MANAGER, 1),
    ("navigator", "Marisol", "Quispe", "she/her", Role.NAVIGATOR, 2),
    ("clinician", "Amina", "Yusuf", "she/her", Role.CLINICIAN, None),
    ("supervisor", "Sam", "Okoro", "he/him", Role.SUPERVISOR, None),
    ("scheduler", "Pat", "Kowalski", "she/her", Role.SCHEDULER, None),
    ("admin", "Alex", "Kim", "he/they", Role.ORG_ADMIN, None),
]
COORDINATING_ROLES = {Role.COORDINATOR, Role.CASE_MANAGER, Role.NAVIGATOR}
ADMIN = next(member for member in STAFF if member[4] == Role.ORG_ADMIN)


@dataclass
class Login:
    username: str
    role: str
    organization: str


def seed(people_count: int = 300, rng_seed: int = 20261123) -> list[Login]:
    rng = random.Random(rng_seed)
    logins: list[Login] = []
    versions = {
        v.instrument.slug: v
        for v in InstrumentVersion.objects.filter(status="active").select_related("instrument")
    }
    password = make_password(DEMO_PASSWORD)  # one slow Argon2 hash, shared by the demo logins
    with transaction.atomic():
        for index, (name, slug, label, program_names, locations) in enumerate(ORGANIZATIONS):
            setup = organization_bootstrap(
                actor=DEMO,
                data={"name": name, "slug": slug, "person_label": label},
                programs=[{"name": p} for p in program_names],
                locations=[{"name": n, "address": address} for n, address in locations],
                admin=_staff_data(ADMIN, slug),
                admin_password_hash=password,
            )
            programs = setup.programs
            staff = _staff(setup, password, logins)
            share = people_count // len(ORGANIZATIONS) + (1 if index == 0 else 0) * (
                people_count % len(ORGANIZATIONS)
            )
            for _ in range(share):
                person, actor = _person(rng, programs, staff)
                screenings.screen_person(rng, actor, person, versions)
    return logins


def _staff_data(member: tuple[str, str, str, str, Role, int | None], slug: str) -> dict[str, str]:
    prefix, first, last, pronouns, _, _ = member
    return {
        "username": f"{prefix}@{slug}",
        "first_name": first,
        "last_name": last,
        "pronouns": pronouns,
        "email": f"{prefix}@{slug}.example.org",
    }


def _staff(setup: Bootstrapped, password: str, logins: list[Login]) -> dict[int, list[User]]:
    """Create the organization's other staff (its admin came with it); return who
    coordinates in each program."""
    org, programs = setup.organization, setup.programs
    team: dict[int, list[User]] = {p.pk: [] for p in programs}
    for member in STAFF:
        *_, role, where = member
        if role == Role.ORG_ADMIN:
            user = setup.admin
        else:
            member_of = programs if where is None else [programs[where % len(programs)]]
            user = staff_provision(
                actor=DEMO,
                organization=org,
                data=_staff_data(member, org.slug),
                roles=[(role, program) for program in member_of],
                password_hash=password,
            )
            if role in COORDINATING_ROLES:
                for program in member_of:
                    team[program.pk].append(user)
        logins.append(Login(user.username, str(Role(role).label), org.name))
    return team


def _pick(rng: random.Random, pool: list[str], chance: float = 0.8) -> str:
    return rng.choice(pool) if rng.random() < chance else ""


def _person(
    rng: random.Random, programs: list[Program], team: dict[int, list[User]]
) -> tuple[Person, User]:
    drawn = random_identity(rng)
    languages = drawn["languages"]
    identity = {k: v for k, v in drawn.items() if k not in ("languages", "heritage")}
    program = programs[0] if rng.random() < 0.5 else rng.choice(programs)
    actor = rng.choice(team[program.pk])
    profile = {
        "appreciated": _pick(rng, stories.APPRECIATED),
        "important_to": _pick(rng, stories.IMPORTANT_TO, 0.9),
        "important_for": _pick(rng, stories.IMPORTANT_FOR),
        "how_to_support": _pick(rng, stories.HOW_TO_SUPPORT),
        "strengths": _pick(rng, stories.STRENGTHS),
        "hopes": _pick(rng, stories.HOPES),
        "want_to_change": _pick(rng, stories.WANT_TO_CHANGE, 0.6),
        "culture_identity": _pick(rng, stories.CULTURE, 0.5),
        "stress_helps": _pick(rng, stories.STRESS_HELPS, 0.6),
        "approach_with_care": _pick(rng, stories.APPROACH_WITH_CARE, 0.3),
    }
    person = services.person_create(
        actor=actor, program=program, data=identity, profile=profile, primary_coordinator=actor
    )
    for position, (code, interpreter) in enumerate(languages):
        services.language_add(
            actor=actor,
            person=person,
            data={
                "language": code,
                "is_preferred": position == 0,
                "interpreter_needed": interpreter,
            },
        )
    _contacts(rng, actor, person)
    _journey(rng, actor, person)
    return person, actor


def _contacts(rng: random.Random, actor: User, person: Person) -> None:
    area = rng.choice(["212", "347", "718", "646", "201", "973", "914", "516"])
    services.contact_point_create(
        actor=actor,
        person=person,
        data={
            "kind": "phone",
            "label": rng.choice(["mobile", "mobile", "work", "home"]),
            "value": f"({area}) 555-{rng.randint(100, 199):04d}",
            "is_preferred": True,
            "may_leave_voicemail": rng.random() < 0.6,
            "may_text": rng.random() < 0.7,
            "best_times": rng.choice(["", "Mornings", "After 3 pm", "Weekdays at lunch"]),
            "never_contact_times": rng.choice(["", "", "Sundays", "After 8 pm"]),
            "safety_note": rng.choice(stories.SAFETY_NOTES),
        },
    )
    if rng.random() < 0.5:
        handle = "".join(ch for ch in person.search_text.split()[0] if ch.isascii()) or "person"
        services.contact_point_create(
            actor=actor,
            person=person,
            data={"kind": "email", "value": f"{handle}{rng.randint(1, 999)}@example.net"},
        )
    if rng.random() < 0.4:
        services.support_contact_create(
            actor=actor,
            person=person,
            data={
                "name": random_full_name(rng),
                "relationship": rng.choice(["family", "friend", "partner", "peer", "caregiver"]),
                "may_involve": rng.random() < 0.7,
            },
        )
    if rng.random() < 0.6:
        services.identifier_create(
            actor=actor,
            person=person,
            data={
                "kind": "medicaid",
                "issuer": "NY Medicaid",
                "value": _medicaid_id(rng),
            },
        )


def _medicaid_id(rng: random.Random) -> str:
    letters = "ABCDEFGHJK"
    prefix = rng.choice(letters) + rng.choice(letters)
    return f"{prefix}{rng.randint(10000, 99999)}{rng.choice(letters)}"


def _journey(rng: random.Random, actor: User, person: Person) -> None:
    enrollment = person.enrollments.get()
    started = timezone.localdate() - dt.timedelta(days=rng.randint(10, 700))
    roll = rng.random()
    if roll < 0.15:
        return  # still a referral
    data: dict[str, object] = {
        "status": "active",
        "started_on": started,
        "referred_on": started - dt.timedelta(days=rng.randint(1, 20)),
    }
    if roll > 0.85:
        ended = started + dt.timedelta(days=rng.randint(30, 300))
        data |= {
            "status": "closed",
            "closure_reason": rng.choice(
                [c for c, _ in Enrollment.ClosureReason.choices if c != "deceased"]
            ),
            "ended_on": min(ended, timezone.localdate()),
        }
    elif roll > 0.78:
        data["status"] = "paused"
    services.enrollment_update(actor=actor, enrollment=enrollment, data=data, version=None)
