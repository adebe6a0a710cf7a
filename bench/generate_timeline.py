"""Add the hub's data to the database bench/generate_people.py filled: about 30,000,000
journey timeline entries, follow-up rules, the open tasks last night's sweep left, and
when each person was last contacted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/generate_timeline.py            # --events N, --budget S

Timeline entries per person are skewed as in life: most people have tens (lognormal,
median about 20), one in a thousand has thousands (1,000-6,000), and one known person,
on the bench coordinator's caseload, has exactly 5,000 (printed at the end, and found
again by bench_hub.py as the person with the most entries on that caseload). Rows go in
with COPY (the layout and the tricks of generate_people.py: secondary indexes dropped
and rebuilt, triggers off). With --budget, people are loaded in id order until the time
is spent; the count loaded is printed (the full size is the default with no budget).

The hub's state is what a nightly sweep finds on a working system: every program has
two follow-up rules ("no contact for 30 days", "new enrollment not contacted"), the
tasks for every occurrence up to yesterday already exist (with the keys the triggers
give, so the sweep does not make them again), some people's silence reaches 30 days
today (new tasks), and some people with an open task were contacted today (tasks that
close themselves). "bench-coordinator" is the primary coordinator of 150 people.
The same --seed gives the same data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import multiprocessing
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from generate_people import Table, _copy, _secondary_indexes  # noqa: E402 (sets up Django)

from alongside.accounts.models import Membership, User  # noqa: E402
from alongside.people.contributions import timeline_kinds  # noqa: E402
from alongside.people.models import TimelineEntry  # noqa: E402
from alongside.tasks.models import FollowUpRule, Priority, Task  # noqa: E402
from alongside.tasks.triggers import NEW_ENROLLMENT, NO_CONTACT  # noqa: E402

CASELOAD = 150
KNOWN_EVENTS = 5_000
NO_CONTACT_DAYS = 30
# Kinds and how often they occur; summaries say what happened without sensitive detail.
KINDS: list[tuple[str, float, list[str]]] = [
    (
        "encounters.encounter",
        0.40,
        ["Phone call", "Office visit", "Home visit", "Text exchange", "Video visit"],
    ),
    ("encounters.note_signed", 0.20, ["Progress note signed", "MI progress note signed"]),
    ("encounters.addendum", 0.01, ["Addendum to a progress note"]),
    ("tasks.task_created", 0.10, ["Task created: call back", "Task created: follow-up"]),
    ("tasks.task_completed", 0.09, ["Task done: call back", "Task done: follow-up"]),
    ("tasks.task_cancelled", 0.01, ["Task cancelled: duplicate"]),
    ("intake.screening_completed", 0.08, ["PHQ-9 completed", "GAD-7 completed", "PHQ-2"]),
    ("intake.urgent_flag_raised", 0.01, ["Urgent screening result"]),
    ("intake.urgent_flag_acknowledged", 0.01, ["Urgent result acknowledged"]),
    ("people.enrollment_status_changed", 0.05, ["Enrollment now active", "Enrollment paused"]),
    ("people.enrollment_coordinator_changed", 0.02, ["New coordinator"]),
    ("people.enrollment_created", 0.02, ["Enrolled"]),
]
DETAILS = [
    "Talked about housing options and the next appointment.",
    "Feeling better this week; sleeping more.",
    "Asked for help with the benefits renewal form.",
    "Discussed what matters most this month.",
]


def events_for(rng: random.Random) -> int:
    """How many timeline entries one person has: tens for most, thousands for a few."""
    if rng.random() < 0.001:
        return rng.randint(1_000, 6_000)
    return max(1, int(rng.lognormvariate(math.log(20), 0.75)))


# --- shared with the forked workers -----------------------------------------------------

STATE: dict[str, Any] = {}


def build_batch(bounds: tuple[int, int, int]) -> str:
    """COPY text of the entries of people first..last (ids from `first_id`)."""
    first, last, next_id = bounds
    counts, people, programs, actors = (
        STATE["counts"],
        STATE["people"],
        STATE["programs"],
        STATE["actors"],
    )
    table: Table = STATE["table"]
    now: dt.datetime = STATE["now"]
    rng = random.Random(f"{STATE['seed']}:timeline:{first}")
    keys = [k for k, _, _ in KINDS]
    weights = [w for _, w, _ in KINDS]
    texts = {k: t for k, _, t in KINDS}
    sensitive = {k.key for k in timeline_kinds if k.sensitive}
    out = io.StringIO()
    for pid in range(first, last + 1):
        n = counts[pid]
        if not n or pid not in people:
            continue
        org, created = people[pid]
        own = programs.get(pid) or [None]
        span = max(60.0, (now - created).total_seconds())
        moments = sorted(rng.random() for _ in range(n))
        chosen = rng.choices(keys, weights=weights, k=n)
        for moment, kind in zip(moments, chosen, strict=True):
            at = created + dt.timedelta(seconds=int(moment * span))
            program = rng.choice(own) if rng.random() < 0.85 else None
            team = actors.get(program) if program else None
            actor = rng.choice(team) if team and rng.random() < 0.9 else None
            details = rng.choice(DETAILS) if rng.random() < 0.3 else ""
            out.write(
                table.line(
                    [
                        next_id,
                        pid,
                        org,
                        program,
                        kind,
                        at,
                        at,
                        actor,
                        rng.choice(texts[kind]),
                        details,
                        kind in sensitive,
                    ]
                )
            )
            next_id += 1
    return out.getvalue()


# --- the caseload, the rules, contacts and tasks ---------------------------------------


def set_up_caseload(cursor: Any, coordinator: User) -> list[int]:
    """Make the bench coordinator the primary coordinator of 150 people with an open
    enrollment in their programs (low ids, so a budgeted load still covers them)."""
    program_ids = list(
        Membership.objects.filter(user=coordinator, program__isnull=False).values_list(
            "program_id", flat=True
        )
    )
    cursor.execute(
        """
        WITH chosen AS (
            SELECT DISTINCT ON (person_id) id, person_id FROM people_enrollment
            WHERE program_id = ANY(%s) AND status IN ('active', 'referred', 'paused')
            ORDER BY person_id, id LIMIT %s
        )
        UPDATE people_enrollment e SET primary_coordinator_id = %s
        FROM chosen WHERE e.id = chosen.id RETURNING e.person_id
        """,
        [program_ids, CASELOAD, coordinator.pk],
    )
    return sorted(row[0] for row in cursor.fetchall())


def set_contacts(cursor: Any, now: dt.datetime, seed: int) -> None:
    """When each person was last contacted (whole seconds: the triggers' keys name it):
    a tenth never, the rest a few days to months ago (exponential, mean 15 days), and a
    share of those due a task today contacted today instead."""
    cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
    cursor.execute(
        """
        UPDATE people_person SET last_contacted_at = CASE
            WHEN random() < 0.1 THEN NULL
            ELSE date_trunc('second', %s::timestamptz
                 - make_interval(secs => -ln(1 - random()) * 15 * 86400))
        END
        """,
        [now],
    )


def create_rules(now: dt.datetime) -> list[FollowUpRule]:
    FollowUpRule.objects.filter(trigger__in=[NO_CONTACT, NEW_ENROLLMENT]).delete()
    rules = []
    from alongside.organizations.models import Program

    for program in Program.objects.order_by("pk"):
        rules.append(
            FollowUpRule(
                organization_id=program.organization_id,
                program=program,
                trigger=NO_CONTACT,
                days=NO_CONTACT_DAYS,
                deadline=FollowUpRule.Deadline.BUSINESS_DAYS,
                deadline_amount=2,
                title="Reach out: no contact for 30 days",
            )
        )
        rules.append(
            FollowUpRule(
                organization_id=program.organization_id,
                program=program,
                trigger=NEW_ENROLLMENT,
                deadline=FollowUpRule.Deadline.BUSINESS_DAYS,
                deadline_amount=2,
                priority=Priority.URGENT,
                title="First contact with a new enrollment",
            )
        )
    return FollowUpRule.objects.bulk_create(rules)


# The tasks yesterday's sweep made: one per occurrence, keyed as tasks/triggers.py keys
# them ("<person>:no-contact:<last contact, ISO>" or "...:never"), assigned to the
# enrollment's primary coordinator, due two days after the occurrence.
NO_CONTACT_TASKS = """
INSERT INTO tasks_task (organization_id, program_id, person_id, assignee_id, title,
    description, why, due_at, priority, status, resolution, origin, rule_id,
    occurrence_key, occurred_at, created_by_id, created_at, updated_at, version)
SELECT DISTINCT ON (r.id, e.person_id)
    r.organization_id, r.program_id, e.person_id, e.primary_coordinator_id, r.title,
    'no contact for 30 days', 'no contact for 30 days',
    COALESCE(p.last_contacted_at, e.created_at) + interval '32 days', 'routine', 'todo',
    '', 'rule', r.id,
    e.person_id || ':no-contact:' || COALESCE(
        to_char(p.last_contacted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
        'never'),
    COALESCE(p.last_contacted_at, e.created_at) + interval '30 days',
    NULL, %(yesterday)s, %(yesterday)s, 1
FROM tasks_followuprule r
JOIN people_enrollment e ON e.program_id = r.program_id
JOIN people_person p ON p.id = e.person_id
WHERE r.trigger = %(trigger)s AND e.status IN ('active', 'referred')
  AND p.merged_into_id IS NULL
  AND COALESCE(p.last_contacted_at, e.created_at) < %(yesterday)s - interval '30 days'
ORDER BY r.id, e.person_id, e.id
"""
# A few recent enrollments (a new-enrollment rule's work), their tasks up to yesterday.
RECENT_ENROLLMENTS = """
UPDATE people_enrollment
SET created_at = %(now)s - make_interval(secs => random() * 30 * 86400), status = 'referred'
WHERE id IN (
    SELECT id FROM people_enrollment WHERE status = 'referred' ORDER BY id DESC LIMIT 10000
)
"""
NEW_ENROLLMENT_TASKS = """
INSERT INTO tasks_task (organization_id, program_id, person_id, assignee_id, title,
    description, why, due_at, priority, status, resolution, origin, rule_id,
    occurrence_key, occurred_at, created_by_id, created_at, updated_at, version)
SELECT r.organization_id, r.program_id, e.person_id, e.primary_coordinator_id, r.title,
    'new enrollment, not contacted yet', 'new enrollment, not contacted yet',
    e.created_at + interval '2 days', 'urgent', 'todo', '', 'rule', r.id,
    e.person_id || ':enrollment:' || e.id, e.created_at, NULL,
    %(yesterday)s, %(yesterday)s, 1
FROM tasks_followuprule r
JOIN people_enrollment e ON e.program_id = r.program_id
JOIN people_person p ON p.id = e.person_id
WHERE r.trigger = %(trigger)s AND e.status IN ('active', 'referred')
  AND e.created_at >= %(now)s - interval '30 days' AND e.created_at < %(yesterday)s
  AND (p.last_contacted_at IS NULL OR p.last_contacted_at < e.created_at)
"""
# People with an open rule task who were reached today: the sweep closes their tasks.
CONTACTED_TODAY = """
UPDATE people_person SET last_contacted_at = date_trunc('second', %(now)s::timestamptz)
    - interval '1 hour'
WHERE id IN (SELECT person_id FROM tasks_task WHERE status = 'todo' AND origin = 'rule'
             AND person_id %% 50 = 0)
"""


def hub_state(now: dt.datetime, seed: int, coordinator: User) -> list[int]:
    yesterday = now - dt.timedelta(days=1)
    with connection.cursor() as cursor:
        caseload = set_up_caseload(cursor, coordinator)
        set_contacts(cursor, now, seed)
        cursor.execute(RECENT_ENROLLMENTS, {"now": now})
        cursor.execute(
            "UPDATE people_person p SET last_contacted_at = NULL FROM people_enrollment e "
            "WHERE e.person_id = p.id AND e.created_at >= %s - interval '30 days'",
            [now],
        )
        Task.objects.filter(origin=Task.Origin.RULE).delete()
        create_rules(now)
        params = {"now": now, "yesterday": yesterday}
        cursor.execute(NO_CONTACT_TASKS, {**params, "trigger": NO_CONTACT})
        print(f"  tasks for no contact up to yesterday: {cursor.rowcount:,}", flush=True)
        cursor.execute(NEW_ENROLLMENT_TASKS, {**params, "trigger": NEW_ENROLLMENT})
        print(f"  tasks for new enrollments up to yesterday: {cursor.rowcount:,}", flush=True)
        cursor.execute(CONTACTED_TODAY, params)
        print(f"  people with an open task contacted today: {cursor.rowcount:,}", flush=True)
    return caseload


# --- loading ---------------------------------------------------------------------------


def load_state(seed: int, now: dt.datetime, target: int, known: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, organization_id, created_at FROM people_person")
        people = {pk: (org, created) for pk, org, created in cursor.fetchall()}
        cursor.execute("SELECT person_id, program_id FROM people_enrollment")
        programs: dict[int, list[int]] = {}
        for pid, program in cursor.fetchall():
            programs.setdefault(pid, []).append(program)
        cursor.execute(
            "SELECT program_id, array_agg(user_id) FROM accounts_membership "
            "WHERE program_id IS NOT NULL GROUP BY program_id"
        )
        actors = dict(cursor.fetchall())
    rng = random.Random(f"{seed}:counts")
    top = max(people)
    counts = [0] * (top + 1)
    for pid in people:
        counts[pid] = events_for(rng)
    # Scale the ordinary people so the total comes to the target.
    total = sum(counts)
    factor = target / total
    counts = [max(1, round(c * factor)) if c else 0 for c in counts]
    counts[known] = KNOWN_EVENTS
    STATE.update(
        seed=seed,
        now=now,
        counts=counts,
        people=people,
        programs=programs,
        actors=actors,
        table=Table.of(
            TimelineEntry,
            [
                "id",
                "person_id",
                "organization_id",
                "program_id",
                "kind",
                "occurred_at",
                "recorded_at",
                "actor_id",
                "summary",
                "details",
                "sensitive",
            ],
        ),
    )


def load(batch_size: int, workers: int, budget: float | None) -> tuple[int, int]:
    counts = STATE["counts"]
    top = len(counts) - 1
    bounds = []
    next_id = 1
    for first in range(1, top + 1, batch_size):
        last = min(top, first + batch_size - 1)
        bounds.append((first, last, next_id))
        next_id += sum(counts[first : last + 1])
    started = time.perf_counter()
    rows = 0
    people = 0
    connection.close()
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    try:
        with connection.cursor() as wrapper:
            wrapper.execute("SET session_replication_role = replica")
            wrapper.execute("SET synchronous_commit = off")
            built = pool.imap(build_batch, bounds) if pool else map(build_batch, bounds)
            for (_, last, _), text in zip(bounds, built, strict=False):
                _copy(wrapper.cursor, STATE["table"], text)
                rows += text.count("\n")
                people = last
                elapsed = time.perf_counter() - started
                if (last // batch_size) % 20 == 0 or last == top:
                    print(
                        f"  {last:>10,} people  {rows:>12,} entries  {elapsed:6.0f} s  "
                        f"{rows / elapsed:9,.0f} rows/s",
                        flush=True,
                    )
                if budget is not None and elapsed > budget:
                    print(f"  budget of {budget:.0f} s spent: stopping after person {last:,}")
                    break
    finally:
        if pool:
            pool.terminate()
            pool.join()
    return rows, people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=30_000_000, help="timeline entries")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--batch-size", type=int, default=5_000, help="people per COPY")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=float, help="seconds of loading, then stop")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the database bench/generate_people.py filled.")
    begin = time.perf_counter()
    if TimelineEntry.objects.exists():
        raise SystemExit("people_timelineentry already has rows: TRUNCATE it first.")
    now = timezone.now().replace(microsecond=0)
    coordinator = User.objects.get(username="bench-coordinator")
    print("Hub state: caseload, contacts, rules, last night's tasks", flush=True)
    caseload = hub_state(now, args.seed, coordinator)
    known = caseload[0]
    print(f"  bench-coordinator's caseload: {len(caseload)} people", flush=True)

    print(f"Timeline: about {args.events:,} entries", flush=True)
    load_state(args.seed, now, args.events, known)
    table = TimelineEntry._meta.db_table
    indexes = _secondary_indexes([table])
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    rows, people = load(args.batch_size, args.workers, args.budget)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        print(f"Recreating {len(indexes)} indexes", flush=True)
        for name, definition in indexes:
            tick = time.perf_counter()
            cursor.execute(definition)
            print(f"  {name:<48} {time.perf_counter() - tick:6.1f} s", flush=True)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        )
        print("VACUUM ANALYZE", flush=True)
        for name in (table, "tasks_task", "people_person", "people_enrollment"):
            cursor.execute(f"VACUUM ANALYZE {name}")
        cursor.execute("SELECT count(*) FROM tasks_task WHERE status = 'todo'")
        open_tasks = cursor.fetchone()[0]
    print(f"  {table}: {rows:,} entries for people 1..{people:,}")
    print(f"  known person {known}: {STATE['counts'][known]:,} entries")
    print(f"  open tasks: {open_tasks:,}")
    print(f"Done in {time.perf_counter() - begin:.0f} s", flush=True)


if __name__ == "__main__":
    main()
