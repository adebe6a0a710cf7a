"""Shared test fixtures: an organization with two programs, another organization, and
the personas every access test uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from alongside.accounts.models import Membership, Role, User
from alongside.audit.tests.tampering import install_flush_wrapper
from alongside.organizations.models import Organization, Program
from alongside.people import services
from alongside.people.models import Person

PASSWORD = "correct horse battery staple"
# Every page that draws the main navigation for a signed-in user counts what waits in the
# pages contributed to it (people.contributions.nav_items: "Urgent results (3)"), one
# query; pinned page query counts add it.
NAV_COUNTS = 1
# On PostgreSQL a person's languages come with them, not in a query of their own
# (people/related_rows.py): pinned counts of pages that list people subtract it.
LANGUAGES_INLINE = 1 if connection.vendor == "postgresql" else 0

# The audit tables refuse DELETE and TRUNCATE. Between transactional (live-server) tests
# the test runner empties every table with Django's `flush`, which lifts the audit triggers
# for its own statements only, as a database superuser could. Every connection gets the
# wrapper when it connects: the runner's connection objects are not the ones a fixture sees.
connection_created.connect(install_flush_wrapper, dispatch_uid="audit-flush")


@pytest.fixture(autouse=True)
def _fast_tests(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def sent_ahead(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """What `lib.compiled.together` sends in one round trip (one entry a page, on
    PostgreSQL), from no page remembered."""
    from alongside.lib import compiled

    monkeypatch.setattr(compiled, "_pages", {})
    sent: list[tuple[Any, ...]] = []
    send = compiled._send_ahead

    def sending(tags: tuple[Any, ...], pk: int, *rest: Any) -> Any:
        sent.append(tags)
        return send(tags, pk, *rest)

    monkeypatch.setattr(compiled, "_send_ahead", sending)
    return sent


def make_user(username: str, **extra: Any) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )


def add_role(
    user: User,
    role: str,
    *,
    program: Program | None = None,
    organization: Organization | None = None,
) -> Membership:
    organization = organization or (program.organization if program else None)
    assert organization is not None
    return Membership.objects.create(
        user=user, organization=organization, program=program, role=role
    )


def signed_in_in_spanish(client: Any, user: User) -> Any:
    """`client` signed in as `user`, who prefers Spanish."""
    user.language = "es"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def make_person(actor: User, program: Program, **data: Any) -> Person:
    fields = {"legal_given_name": "Amara", "legal_family_name": "Okafor"} | data
    profile = fields.pop("profile", None)
    coordinator = fields.pop("primary_coordinator", None)
    return services.person_create(
        actor=actor,
        program=program,
        data=fields,
        profile=profile,
        primary_coordinator=coordinator,
    )


def add_people(world: World, count: int) -> None:
    """More people in the coordinator's program, each with a language and a phone: data
    that a pinned query count must not grow with."""
    for n in range(count):
        person = make_person(
            world.coordinator,
            world.housing,
            legal_given_name=f"Lupe{n}",
            legal_family_name="Hernández",
        )
        services.language_add(
            actor=world.coordinator,
            person=person,
            data={"language": "es", "interpreter_needed": True},
        )
        services.contact_point_create(
            actor=world.coordinator,
            person=person,
            data={"kind": "phone", "value": f"212-555-01{n:02d}"},
        )


@dataclass
class World:
    org: Organization
    housing: Program
    wellness: Program
    other_org: Organization
    other_program: Program
    coordinator: User  # on the person's team (housing), their primary coordinator
    colleague: User  # same organization, another program (wellness)
    supervisor: User  # supervises housing
    admin: User  # organization admin
    outsider: User  # coordinator in another organization
    scheduler: User  # scheduler in housing
    person: Person


@pytest.fixture
def world(db: Any) -> World:
    org = Organization.objects.create(name="Riverbend Community Services", slug="riverbend")
    housing = Program.objects.create(organization=org, name="Housing Navigation")
    wellness = Program.objects.create(organization=org, name="Wellness Recovery")
    other_org = Organization.objects.create(name="Lakeside Health", slug="lakeside")
    other_program = Program.objects.create(organization=other_org, name="Care Coordination")

    coordinator = make_user("casey", first_name="Casey", last_name="Nguyen", pronouns="they/them")
    add_role(coordinator, Role.COORDINATOR, program=housing)
    colleague = make_user("morgan", first_name="Morgan", last_name="Reyes")
    add_role(colleague, Role.COORDINATOR, program=wellness)
    supervisor = make_user("sam", first_name="Sam", last_name="Okoro")
    add_role(supervisor, Role.SUPERVISOR, program=housing)
    admin = make_user("alex", first_name="Alex", last_name="Kim")
    add_role(admin, Role.ORG_ADMIN, organization=org)
    outsider = make_user("olu", first_name="Olu", last_name="Bello")
    add_role(outsider, Role.COORDINATOR, program=other_program)
    scheduler = make_user("pat", first_name="Pat", last_name="Lee")
    add_role(scheduler, Role.SCHEDULER, program=housing)

    person = make_person(
        coordinator,
        housing,
        legal_given_name="Guadalupe",
        legal_family_name="Hernández",
        preferred_name="Lupe",
        pronouns="she/her",
        date_of_birth=dt.date(1984, 3, 9),
        primary_coordinator=coordinator,
        profile={
            "important_to": "Being there for my kids.",
            "approach_with_care": "Please knock; loud voices are hard for me.",
        },
    )
    return World(
        org,
        housing,
        wellness,
        other_org,
        other_program,
        coordinator,
        colleague,
        supervisor,
        admin,
        outsider,
        scheduler,
        person,
    )
