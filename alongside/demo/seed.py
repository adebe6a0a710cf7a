"""Demo organizations, staff and people, written through the same services as real work
(so the demo's audit trail and history are real too). The system sets up each
organization with its programs, locations and staff, as `DEMO`; its staff do the rest:
register and follow the people (population.py, and the showcase for Riverbend's first
sign-in, showcase.py), and the duplicate finder runs over each organization."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from alongside.accounts.models import Role
from alongside.demo import plans as demo_plans
from alongside.demo import population, showcase, visits
from alongside.demo import scheduling as demo_scheduling
from alongside.intake.models import InstrumentVersion
from alongside.lib.actors import SystemActor
from alongside.matching import services as matching
from alongside.organizations.staff import Bootstrapped, organization_bootstrap, staff_provision

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


def _quiet(*args: object) -> None:
    pass


def people_total(people_count: int) -> int:
    """How many people the demo creates: as asked, but never fewer than the showcase."""
    return max(people_count, showcase.SIZE)


def seed(
    people_count: int = 300,
    rng_seed: int = 20261123,
    *,
    say: Callable[[str], None] = _quiet,
    tick: Callable[[], None] = _quiet,
) -> list[Login]:
    """Create the demo, all of it or nothing (one transaction). `say` hears each step,
    `tick` each person created."""
    rng = random.Random(rng_seed)
    logins: list[Login] = []
    versions = {
        v.instrument.slug: v
        for v in InstrumentVersion.objects.filter(status="active").select_related("instrument")
    }
    password = make_password(DEMO_PASSWORD)  # one slow Argon2 hash, shared by the demo logins
    with transaction.atomic():
        say("Setting up organizations, programs, locations and staff…")
        built = [_organization(spec, password, logins) for spec in ORGANIZATIONS]
        for _, team in built:
            team.versions = versions
        random_people = people_total(people_count) - showcase.SIZE
        shares = [random_people // len(built)] * len(built)
        shares[0] += random_people % len(built)
        say(f"Creating {people_total(people_count)} people, with their screenings and journeys…")
        staff = _showcase_staff(built[0])
        shown = showcase.build(staff, versions)
        visits.build(staff, shown)
        demo_plans.build(staff, shown)
        for _ in range(showcase.SIZE):
            tick()
        for (_, team), share in zip(built, shares, strict=True):
            for _ in range(share):
                population.person(rng, team)
                tick()
        for setup, _ in built:
            say(f"Looking for people recorded twice at {setup.organization.name}…")
            matching.duplicates_refresh(actor=DEMO, organization=setup.organization)
        showcase.merge(staff, shown)
        say("Setting up follow-up rules and the first tasks…")
        for setup, _ in built:
            showcase.follow_up_rules(setup.admin, setup.programs)
        showcase.hub(staff, shown)
        say("Booking appointments…")
        demo_scheduling.build(staff, shown, built[0][0].admin)
    return logins


def _organization(
    spec: tuple[str, str, str, list[str], list[tuple[str, str]]],
    password: str,
    logins: list[Login],
) -> tuple[Bootstrapped, population.Team]:
    name, slug, label, program_names, locations = spec
    setup = organization_bootstrap(
        actor=DEMO,
        data={"name": name, "slug": slug, "person_label": label},
        programs=[{"name": p} for p in program_names],
        locations=[{"name": n, "address": address} for n, address in locations],
        admin=_staff_data(ADMIN, slug),
        admin_password_hash=password,
    )
    return setup, _staff(setup, password, logins)


def _staff_data(member: tuple[str, str, str, str, Role, int | None], slug: str) -> dict[str, str]:
    prefix, first, last, pronouns, _, _ = member
    return {
        "username": f"{prefix}@{slug}",
        "first_name": first,
        "last_name": last,
        "pronouns": pronouns,
        "email": f"{prefix}@{slug}.example.org",
    }


def _staff(setup: Bootstrapped, password: str, logins: list[Login]) -> population.Team:
    """Create the organization's other staff (its admin came with it): its team, with
    who coordinates in each program."""
    org, programs = setup.organization, setup.programs
    team = population.Team(programs, {p.pk: [] for p in programs}, {}, {})
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
                    team.coordinators[program.pk].append(user)
        team.staff[member[0]] = user
        logins.append(Login(user.username, str(Role(role).label), org.name))
    return team


def _showcase_staff(built: tuple[Bootstrapped, population.Team]) -> showcase.Staff:
    setup, team = built
    housing, wellness, reentry = setup.programs
    return showcase.Staff(
        coordinator=team.staff["coordinator"],
        case_manager=team.staff["casemanager"],
        navigator=team.staff["navigator"],
        supervisor=team.staff["supervisor"],
        housing=housing,
        wellness=wellness,
        reentry=reentry,
    )
