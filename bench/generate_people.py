"""Fill a PostgreSQL database with N people for benchmarks (default 1,000,000).

    createdb -h 127.0.0.1 -U postgres alongside_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/generate_people.py --people 1000000

Runs migrations, then creates organizations, programs, staff with memberships, and people
with profiles, languages, contact points, identifiers, enrollments and support contacts.
Rows go in with COPY through Django's connection; derived columns (`Person.search_text`,
the `normalized` columns) are computed with the app's own functions, so the data is what
the services would have written. The same --seed always gives the same data.

The load is fastest with secondary indexes and triggers out of the way, so the script
drops the secondary indexes of the tables it fills, loads with triggers off, fills what
the triggers would have (the name words of people/search.py), recreates the indexes from
their saved definitions, and then runs VACUUM ANALYZE. Turning triggers off
(session_replication_role) needs a superuser; without one they run as usual.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.utils import timezone  # noqa: E402

from alongside.accounts.models import Membership, Role, User  # noqa: E402
from alongside.demo import names  # noqa: E402
from alongside.organizations.models import Organization, Program  # noqa: E402
from alongside.people.models import (  # noqa: E402
    ContactPoint,
    Enrollment,
    Identifier,
    Person,
    PersonLanguage,
    Profile,
    SupportContact,
)
from alongside.people.normalize import normalize_identifier  # noqa: E402

# What the trigger of people migration 0003 does for each person, for all at once.
NAME_WORDS_SQL = """
INSERT INTO people_nameword (word)
SELECT DISTINCT unnest(string_to_array(search_text::text, ' ')) FROM people_person
ON CONFLICT DO NOTHING
"""
BENCH_PASSWORD = "bench-password-not-for-production"  # noqa: S105 (benchmark data only)
TODAY = dt.date(2026, 1, 1)

# (name, slug, share of people, programs from the largest to the smallest)
ORGANIZATIONS: list[tuple[str, str, float, list[str]]] = [
    (
        "Riverbend Community Services",
        "riverbend",
        0.30,
        [
            "Housing Navigation",
            "Care Coordination",
            "Wellness & Recovery",
            "Re-entry Support",
            "Youth & Family",
            "Peer Support",
        ],
    ),
    (
        "Lakeside Community Health Center",
        "lakeside",
        0.22,
        [
            "Care Coordination",
            "Behavioral Health Integration",
            "Chronic Care Management",
            "Prenatal Navigation",
            "Community Health Workers",
        ],
    ),
    (
        "Harbor Family Resource Network",
        "harbor",
        0.16,
        [
            "Family Navigation",
            "Food & Benefits Access",
            "Early Childhood",
            "Kinship Care",
            "Domestic Violence Advocacy",
        ],
    ),
    (
        "Northside Housing Alliance",
        "northside",
        0.13,
        [
            "Coordinated Entry",
            "Rapid Rehousing",
            "Permanent Supportive Housing",
            "Street Outreach",
            "Eviction Prevention",
        ],
    ),
    (
        "Mesa Behavioral Health",
        "mesa",
        0.11,
        [
            "Outpatient Therapy",
            "Substance Use Recovery",
            "Crisis Stabilization",
            "Assertive Community Treatment",
            "Medication for Opioid Use Disorder",
        ],
    ),
    (
        "Prairie Re-entry Network",
        "prairie",
        0.08,
        ["Re-entry Coordination", "Employment Pathways", "Family Reunification", "Mentoring"],
    ),
]
PROGRAM_WEIGHTS = [0.32, 0.22, 0.16, 0.12, 0.10, 0.08]
ENROLLMENT_COUNTS = ((1, 0.65), (2, 0.27), (3, 0.08))
STATUSES = (("active", 0.45), ("closed", 0.35), ("referred", 0.12), ("paused", 0.08))
CLOSURE_REASONS = [c for c, _ in Enrollment.ClosureReason.choices]
# Who the benchmark acts as: a coordinator in two mid-sized programs, an organization
# admin of the largest organization, and a coordinator in one small program.
BENCH_USERS: list[tuple[str, str, str, list[int]]] = [
    ("bench-coordinator", Role.COORDINATOR, "riverbend", [2, 3]),
    ("bench-admin", Role.ORG_ADMIN, "riverbend", []),
    ("bench-small-program", Role.COORDINATOR, "prairie", [3]),
]

PROFILE_TEXT = {
    "appreciated": [
        "My sense of humor.",
        "I show up for my friends.",
        "I am honest.",
        "People say I am a good listener.",
        "I never give up on my family.",
    ],
    "important_to": [
        "Being there for my kids.",
        "My faith community.",
        "Keeping my apartment.",
        "Cooking for my family on Sundays.",
        "Staying sober one day at a time.",
        "Getting back to work.",
    ],
    "important_for": [
        "Taking my blood pressure medicine.",
        "Regular meals.",
        "Keeping appointments with my doctor.",
        "A safe place to sleep.",
    ],
    "how_to_support": [
        "Text before calling.",
        "Explain things slowly and write them down.",
        "Meet me at the library, not at home.",
        "Use my name, not 'client'.",
    ],
    "strengths": [
        "Resourceful.",
        "Good with my hands.",
        "Strong support from my sister.",
        "I know my neighborhood.",
    ],
    "hopes": [
        "A place of my own.",
        "Finish my GED.",
        "See my grandchildren grow up.",
        "Open a small restaurant someday.",
    ],
    "want_to_change": ["Less stress about money.", "Sleep better.", "Drink less."],
    "culture_identity": [
        "Proud Diné.",
        "Ramadan is an important time for me.",
        "Catholic; church matters to me.",
        "Vietnamese Buddhist.",
        "Somali; family decisions are made together.",
    ],
    "stress_helps": ["Walking outside.", "Music.", "Talking to my mom.", "Prayer."],
    "approach_with_care": [
        "Please knock; loud voices are hard for me.",
        "Do not bring up my father.",
        "Ask before touching my shoulder, even to comfort me.",
    ],
}
STREETS = [
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Washington Blvd",
    "MLK Jr Way",
    "Elm St",
    "Cedar Ln",
    "Lakeview Rd",
    "Calle Sol",
    "Riverside Dr",
    "Park Ave",
    "2nd St",
]
CITIES = [
    ("Riverbend", "NY", "12"),
    ("Lakeside", "NY", "13"),
    ("Harbor City", "NJ", "07"),
    ("Northside", "NY", "10"),
    ("Mesa", "NY", "14"),
    ("Prairie", "NY", "11"),
]
SAFETY_NOTES = [
    "",
    "",
    "",
    "",
    "Use the work phone only.",
    "Do not leave voicemail.",
    "Ask for Lupe if someone else answers.",
    "Only text; calls are not safe.",
]
BEST_TIMES = ["", "", "Mornings", "After 3 pm", "Weekdays at lunch", "Evenings"]


# --- COPY formatting -------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value).translate(_ESCAPES)
    return str(value)


@dataclass
class Table:
    """COPY layout of one model: the columns we give, then every other column at its
    default, so columns added to the model later still load."""

    model: type[models.Model]
    given: list[str]
    columns: list[str]
    suffix: str

    @classmethod
    def of(cls, model: type[models.Model], given: Sequence[str]) -> Table:
        now = timezone.now()
        columns, defaults = [], []
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        for attname in given:
            columns.append(by_attname[attname].column)
        for field in model._meta.concrete_fields:
            if field.attname in given or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default: Any = now
            else:
                default = field.get_default()
            if default is None and not field.null:
                raise SystemExit(f"{model.__name__}.{field.name} needs a value in the generator")
            columns.append(field.column)
            defaults.append(copy_value(default))
        suffix = "".join("\t" + d for d in defaults)
        return cls(model, list(given), columns, suffix)

    def line(self, values: Iterable[Any]) -> str:
        return "\t".join(map(copy_value, values)) + self.suffix + "\n"

    @property
    def sql(self) -> str:
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.model._meta.db_table}" ({quoted}) FROM STDIN'


# --- the plan: organizations, programs, staff -------------------------------------------


@dataclass
class Plan:
    seed: int
    people: int
    batch_size: int
    org_ids: list[int]
    org_weights: list[float]
    programs: dict[int, list[int]]  # organization id -> program ids, largest first
    coordinators: dict[int, list[int]]  # program id -> users who coordinate there


def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def create_plan(people: int, seed: int, batch_size: int) -> Plan:
    rng = random.Random(f"{seed}:staff")
    password = make_password(BENCH_PASSWORD)
    org_ids: list[int] = []
    org_weights: list[float] = []
    programs: dict[int, list[int]] = {}
    coordinators: dict[int, list[int]] = {}
    users: list[User] = []
    memberships: list[tuple[str, int, int | None, str]] = []
    now = timezone.now()
    by_slug: dict[str, tuple[Organization, list[Program]]] = {}

    def staff(prefix: str, role: str, org: Organization, program: Program | None) -> str:
        given, family = names.random_full_name(rng).split(" ", 1)
        username = f"{prefix}{len(users) + 1:05d}@{org.slug}"
        users.append(
            User(
                username=username,
                password=password,
                first_name=given[:150],
                last_name=family[:150],
                display_name=f"{given} {family}"[:150],
                email=f"{prefix}{len(users) + 1:05d}@{org.slug}.example.org",
                pronouns=rng.choice(["she/her", "he/him", "they/them", ""]),
                date_joined=now,
            )
        )
        memberships.append((username, org.pk, program.pk if program else None, role))
        return username

    coordinator_names: dict[int, list[str]] = {}
    for name, slug, share, program_names in ORGANIZATIONS:
        org = Organization.objects.create(name=name, slug=slug)
        org_programs = [Program.objects.create(organization=org, name=p) for p in program_names]
        by_slug[slug] = (org, org_programs)
        org_ids.append(org.pk)
        org_weights.append(share)
        programs[org.pk] = [p.pk for p in org_programs]
        staff("admin", Role.ORG_ADMIN, org, None)
        staff("admin", Role.ORG_ADMIN, org, None)
        for index, program in enumerate(org_programs):
            expected = people * share * PROGRAM_WEIGHTS[index] * 1.45
            team = max(4, int(expected // 1500))
            coordinator_names[program.pk] = [
                staff(
                    rng.choice(["coord", "coord", "casemgr", "navigator"]),
                    rng.choice(
                        [Role.COORDINATOR, Role.COORDINATOR, Role.CASE_MANAGER, Role.NAVIGATOR]
                    ),
                    org,
                    program,
                )
                for _ in range(team)
            ]
            staff("supervisor", Role.SUPERVISOR, org, program)
            staff("clinician", Role.CLINICIAN, org, program)
            staff("scheduler", Role.SCHEDULER, org, program)
    for username, role, slug, program_indexes in BENCH_USERS:
        org, org_programs = by_slug[slug]
        users.append(
            User(
                username=username,
                password=password,
                first_name="Bench",
                last_name=username.split("-", 1)[1].title(),
                date_joined=now,
                email=f"{username}@example.org",
            )
        )
        if role == Role.ORG_ADMIN:
            memberships.append((username, org.pk, None, role))
        for index in program_indexes:
            memberships.append((username, org.pk, org_programs[index].pk, role))
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(User.objects.values_list("username", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(user_id=ids[u], organization_id=o, program_id=p, role=r)
            for u, o, p, r in memberships
        ],
        batch_size=1000,
    )
    for program_id, usernames in coordinator_names.items():
        coordinators[program_id] = [ids[u] for u in usernames]
    print(
        f"  {len(org_ids)} organizations, {sum(map(len, programs.values()))} programs, "
        f"{len(users)} staff, {len(memberships)} memberships",
        flush=True,
    )
    return Plan(seed, people, batch_size, org_ids, org_weights, programs, coordinators)


# --- people, one batch at a time ------------------------------------------------------

TABLES: dict[str, Table] = {}


def define_tables() -> dict[str, Table]:
    return {
        "person": Table.of(
            Person,
            [
                "id",
                "organization_id",
                "legal_given_name",
                "legal_family_name",
                "preferred_name",
                "pronouns",
                "date_of_birth",
                "sex",
                "gender_identity",
                "search_text",
                "created_at",
                "updated_at",
                "created_by_id",
            ],
        ),
        "profile": Table.of(Profile, ["person_id", *PROFILE_TEXT]),
        "language": Table.of(
            PersonLanguage, ["person_id", "language", "is_preferred", "interpreter_needed"]
        ),
        "contact": Table.of(
            ContactPoint,
            [
                "person_id",
                "kind",
                "label",
                "value",
                "normalized",
                "is_preferred",
                "may_leave_voicemail",
                "may_text",
                "safe_hours_start",
                "safe_hours_end",
                "best_times",
                "safety_note",
            ],
        ),
        "identifier": Table.of(Identifier, ["person_id", "kind", "issuer", "value", "normalized"]),
        "enrollment": Table.of(
            Enrollment,
            [
                "person_id",
                "program_id",
                "status",
                "referred_on",
                "started_on",
                "ended_on",
                "closure_reason",
                "primary_coordinator_id",
                "created_at",
            ],
        ),
        "support": Table.of(
            SupportContact, ["person_id", "name", "relationship", "phone", "may_involve"]
        ),
    }


def _search_text(given: str, family: str, preferred: str) -> str:
    # The model's own method, on a stand-in object, so the rule lives in one place.
    holder = SimpleNamespace(
        legal_given_name=given, legal_family_name=family, preferred_name=preferred, search_text=""
    )
    Person.refresh_search_text(holder)  # type: ignore[arg-type]
    return holder.search_text


def _scramble(number: int, modulus: int, factor: int = 48271, offset: int = 12345) -> int:
    """A one-to-one shuffle of 0..modulus-1, so identifiers look random but never repeat."""
    return (number * factor + offset) % modulus


def _letters(number: int, count: int) -> str:
    out = []
    for _ in range(count):
        number, digit = divmod(number, 26)
        out.append(chr(65 + digit))
    return "".join(out)


def _address(rng: random.Random) -> str:
    city, state, zip_prefix = rng.choice(CITIES)
    unit = f", Apt {rng.randint(1, 40)}{rng.choice('ABCD')}" if rng.random() < 0.4 else ""
    return (
        f"{rng.randint(1, 9999)} {rng.choice(STREETS)}{unit}, {city}, {state} "
        f"{zip_prefix}{rng.randint(100, 999)}"
    )


def build_batch(batch: int) -> dict[str, str]:
    """Rows of one batch of people, as COPY text per table. Deterministic per batch."""
    plan, tables = PLAN, TABLES
    rng = random.Random(f"{plan.seed}:{batch}")
    first = batch * plan.batch_size + 1
    last = min(plan.people, first + plan.batch_size - 1)
    out: dict[str, io.StringIO] = {key: io.StringIO() for key in tables}
    tz = dt.UTC
    for pid in range(first, last + 1):
        who = names.random_identity(rng, today=TODAY)
        org_id = rng.choices(plan.org_ids, weights=plan.org_weights)[0]
        org_programs = plan.programs[org_id]
        count = _weighted(rng, ENROLLMENT_COUNTS)
        chosen: list[int] = []
        while len(chosen) < count:
            program = rng.choices(org_programs, weights=PROGRAM_WEIGHTS[: len(org_programs)])[0]
            if program not in chosen:
                chosen.append(program)
        referred = TODAY - dt.timedelta(days=rng.randint(5, 2500))
        created_at = dt.datetime.combine(referred, dt.time(14, rng.randint(0, 59)), tz)
        creator = rng.choice(plan.coordinators[chosen[0]])
        out["person"].write(
            tables["person"].line(
                [
                    pid,
                    org_id,
                    who["legal_given_name"],
                    who["legal_family_name"],
                    who["preferred_name"],
                    who["pronouns"],
                    who["date_of_birth"],
                    who["sex"],
                    who["gender_identity"],
                    _search_text(
                        who["legal_given_name"], who["legal_family_name"], who["preferred_name"]
                    ),
                    created_at,
                    created_at,
                    creator,
                ]
            )
        )
        profile = [pid]
        shares = rng.random() < 0.6
        for key, pool in PROFILE_TEXT.items():
            chance = 0.15 if key == "approach_with_care" else 0.6
            profile.append(rng.choice(pool) if shares and rng.random() < chance else "")
        out["profile"].write(tables["profile"].line(profile))
        for position, (code, interpreter) in enumerate(who["languages"]):
            out["language"].write(tables["language"].line([pid, code, position == 0, interpreter]))
        _contacts(rng, pid, who["legal_given_name"], out["contact"], tables["contact"])
        _identifiers(rng, pid, org_id, out["identifier"], tables["identifier"])
        for index, program in enumerate(chosen):
            _enrollment(
                rng,
                pid,
                program,
                referred if index == 0 else None,
                plan,
                out["enrollment"],
                tables["enrollment"],
            )
        if rng.random() < 0.3:
            typed, _ = names.random_phone(rng)
            out["support"].write(
                tables["support"].line(
                    [
                        pid,
                        names.random_full_name(rng),
                        rng.choice(["family", "family", "friend", "partner", "peer", "caregiver"]),
                        typed if rng.random() < 0.8 else "",
                        rng.random() < 0.7,
                    ]
                )
            )
    return {key: buffer.getvalue() for key, buffer in out.items()}


def _contacts(rng: random.Random, pid: int, given: str, out: io.StringIO, table: Table) -> None:
    phones = 0 if rng.random() < 0.1 else (2 if rng.random() < 0.22 else 1)
    for index in range(phones):
        typed, e164 = names.random_phone(rng)
        safe = rng.random() < 0.15
        out.write(
            table.line(
                [
                    pid,
                    "phone",
                    rng.choice(["mobile", "mobile", "home", "work"]),
                    typed,
                    e164,
                    index == 0,
                    rng.random() < 0.55,
                    rng.random() < 0.65,
                    dt.time(9) if safe else None,
                    dt.time(17) if safe else None,
                    rng.choice(BEST_TIMES),
                    rng.choice(SAFETY_NOTES),
                ]
            )
        )
    if rng.random() < 0.4:
        handle = "".join(ch for ch in given.lower() if ch.isascii() and ch.isalnum()) or "me"
        email = f"{handle}.{pid}@example.net"
        out.write(
            table.line(
                [
                    pid,
                    "email",
                    "",
                    email,
                    email.lower(),
                    phones == 0,
                    False,
                    False,
                    None,
                    None,
                    "",
                    "",
                ]
            )
        )
    if rng.random() < 0.45:
        address = _address(rng)
        out.write(
            table.line(
                [
                    pid,
                    "address",
                    "home",
                    address,
                    " ".join(address.lower().split()),
                    False,
                    False,
                    False,
                    None,
                    None,
                    "",
                    "",
                ]
            )
        )


def _identifiers(rng: random.Random, pid: int, org_id: int, out: io.StringIO, table: Table) -> None:
    if rng.random() < 0.45:
        number = _scramble(pid, 26**2 * 10**5)
        letters, digits = divmod(number, 10**5)
        value = f"{_letters(letters, 2)}{digits:05d}{_letters(pid % 26, 1)}"
        out.write(table.line([pid, "medicaid", "NY Medicaid", value, normalize_identifier(value)]))
    if rng.random() < 0.6:
        value = f"MRN-{_scramble(pid, 10**8, 7919, 104729):08d}"
        out.write(
            table.line(
                [pid, "mrn", f"Organization {org_id} EHR", value, normalize_identifier(value)]
            )
        )
    if rng.random() < 0.2:
        number = _scramble(pid, 10**9, 69069, 1)
        value = f"{number // 10**5:04d}-{number % 10**5:05d}"
        out.write(
            table.line([pid, "hmis", "Coordinated Entry HMIS", value, normalize_identifier(value)])
        )


def _enrollment(
    rng: random.Random,
    pid: int,
    program: int,
    referred: dt.date | None,
    plan: Plan,
    out: io.StringIO,
    table: Table,
) -> None:
    referred = referred or TODAY - dt.timedelta(days=rng.randint(5, 2000))
    status = _weighted(rng, STATUSES)
    started = ended = None
    reason = ""
    if status != "referred":
        started = min(TODAY, referred + dt.timedelta(days=rng.randint(1, 30)))
    if status == "closed":
        ended = min(TODAY, started + dt.timedelta(days=rng.randint(30, 700)))  # type: ignore[operator]
        reason = rng.choice(CLOSURE_REASONS)
    coordinator = rng.choice(plan.coordinators[program]) if rng.random() < 0.9 else None
    created = dt.datetime.combine(referred, dt.time(15, rng.randint(0, 59)), dt.UTC)
    out.write(
        table.line([pid, program, status, referred, started, ended, reason, coordinator, created])
    )


# --- loading --------------------------------------------------------------------------

PLAN: Plan


def _secondary_indexes(tables: Iterable[str]) -> list[tuple[str, str]]:
    """(name, definition) of indexes that back neither a primary key nor a constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
            ORDER BY i.relname
            """,
            [list(tables)],
        )
        return list(cursor.fetchall())


def _copy(cursor: Any, table: Table, text: str) -> None:
    with cursor.copy(table.sql) as copy:
        copy.write(text.encode())


def load(plan: Plan, workers: int) -> dict[str, int]:
    counts = dict.fromkeys(TABLES, 0)
    batches = range((plan.people + plan.batch_size - 1) // plan.batch_size)
    started = time.perf_counter()
    # Workers are forked without a database connection; only this process copies.
    connection.close()
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    try:
        with connection.cursor() as wrapper:
            try:
                wrapper.execute("SET session_replication_role = replica")
            except Exception:  # noqa: BLE001 (not a superuser: keep the checks)
                print("  (not a superuser: foreign keys are checked during the load)")
            wrapper.execute("SET synchronous_commit = off")
            rows = pool.imap(build_batch, batches) if pool else map(build_batch, batches)
            for batch, built in zip(batches, rows, strict=True):
                _write_batch(wrapper.cursor, built, counts, batch, plan, started)
    finally:
        if pool:
            pool.close()
            pool.join()
    return counts


def _write_batch(
    cursor: Any,
    rows: dict[str, str],
    counts: dict[str, int],
    batch: int,
    plan: Plan,
    started: float,
) -> None:
    for key, text in rows.items():
        if text:
            _copy(cursor, TABLES[key], text)
            counts[key] += text.count("\n")
    done = min(plan.people, (batch + 1) * plan.batch_size)
    if batch % 10 == 9 or done == plan.people:
        elapsed = time.perf_counter() - started
        print(
            f"  {done:>10,} people  {elapsed:6.1f} s  {done / elapsed:8,.0f} people/s", flush=True
        )


def main() -> None:
    global PLAN, TABLES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes that build rows while this one copies them in",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (COPY is PostgreSQL's).")
    begin = time.perf_counter()
    print(f"Database {connection.settings_dict['NAME']}: migrating", flush=True)
    call_command("migrate", verbosity=0)
    if Person.objects.exists() or Organization.objects.exists():
        raise SystemExit("The database already has data; use a fresh one (dropdb/createdb).")

    print("Organizations, programs and staff", flush=True)
    PLAN = create_plan(args.people, args.seed, args.batch_size)
    TABLES = define_tables()
    table_names = [t.model._meta.db_table for t in TABLES.values()]
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(table_names)
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')

    print(
        f"People: {args.people:,} in batches of {args.batch_size:,}, {args.workers} worker(s)",
        flush=True,
    )
    counts = load(PLAN, args.workers)

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        # Triggers were off during the load; fill what they would have (people/search.py).
        cursor.execute("SELECT to_regclass('people_nameword') IS NOT NULL")
        if cursor.fetchone()[0]:
            print("Name words for search", flush=True)
            cursor.execute(NAME_WORDS_SQL)
        print(f"Recreating {len(indexes)} indexes", flush=True)
        for name, definition in indexes:
            tick = time.perf_counter()
            cursor.execute(definition)
            print(f"  {name:<48} {time.perf_counter() - tick:6.1f} s", flush=True)
        for table in table_names:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
            )
        print("VACUUM ANALYZE", flush=True)
        tick = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"  {time.perf_counter() - tick:.1f} s", flush=True)
    check_sample()
    for key, count in counts.items():
        print(f"  {TABLES[key].model._meta.db_table:<28} {count:>12,}")
    print(f"Done in {time.perf_counter() - begin:.0f} s", flush=True)


def check_sample() -> None:
    """Re-derive the computed columns of a sample through the models' own clean()."""
    from django.db.models.functions import Random

    for person in Person.objects.order_by(Random())[:200]:
        stored = person.search_text
        person.refresh_search_text()
        assert person.search_text == stored, (person.pk, stored, person.search_text)
    for contact in ContactPoint.objects.order_by(Random())[:500]:
        stored = contact.normalized
        contact.clean()
        assert contact.normalized == stored, (contact.pk, contact.value, stored)
    for identifier in Identifier.objects.order_by(Random())[:200]:
        stored = identifier.normalized
        identifier.clean()
        assert identifier.normalized == stored, (identifier.pk, identifier.value)
    print("Sample check: computed columns match the models' clean()", flush=True)


if __name__ == "__main__":
    main()
