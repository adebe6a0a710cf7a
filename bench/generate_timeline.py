"""Add the hub's data to the database bench/generate_people.py filled: about 30,000,000
journey timeline entries, follow-up rules, the open tasks last night's sweep left, and
when each person was last contacted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/generate_timeline.py            # --events N, --budget S

Timeline entries per person are skewed as in life: most people have tens (lognormal,
median about 20), one in a thousand has thousands (1,000-6,000), and one known person,
on the bench coordinator's caseload, has exactly 5,000 (printed at the end, and found
again by bench_hub.py as the person with the most entries on that caseload). Python
draws each person's count; PostgreSQL makes the rows, INSERT ... SELECT over
generate_series for a range of people at a time on --workers connections, each entry's
random choices a seeded hash of its id (about 65,000 rows a second on two loaded cores,
where building COPY text in Python made 15,000), with generate_people.py's tricks:
secondary indexes dropped and rebuilt, triggers off. With --budget, people are
loaded in id order until the time is spent; the count loaded is printed (the full size
is the default with no budget).

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
import queue
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from generate_people import _secondary_indexes  # noqa: E402 (sets up Django)

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


# --- the entries, made by the database -----------------------------------------------
#
# Python draws how many entries each person has (events_for, as above) and gives each
# person the ids of their entries; the database makes the rows, one INSERT ... SELECT over
# generate_series per range of people, on `workers` connections at once. Each value an
# entry draws at random is a hash of its id and the seed (hashint8extended), so the data
# depends on the seed alone, not on how the people are split between connections.

ENTRY_COLUMNS = [
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
]
PEOPLE_TABLE = "bench_timeline_people"  # person, entries, first id (dropped at the end)
TEAMS_TABLE = "bench_timeline_teams"  # program -> its staff (the entries' actors)

PLAN_SQL = [
    f"""
CREATE UNLOGGED TABLE {PEOPLE_TABLE} AS
SELECT c.person_id, c.entries, c.first_id, p.organization_id, p.created_at,
    greatest(60, floor(extract(epoch FROM %(now)s::timestamptz - p.created_at))) AS span,
    e.programs
FROM bench_timeline_counts c
JOIN people_person p ON p.id = c.person_id
LEFT JOIN (
    SELECT person_id, array_agg(program_id ORDER BY id) AS programs
    FROM people_enrollment GROUP BY person_id
) e ON e.person_id = c.person_id
""",
    f"CREATE UNIQUE INDEX ON {PEOPLE_TABLE} (person_id)",
    f"""
CREATE UNLOGGED TABLE {TEAMS_TABLE} AS
SELECT program_id, array_agg(user_id ORDER BY user_id) AS users
FROM accounts_membership WHERE program_id IS NOT NULL GROUP BY program_id
""",
    f"ANALYZE {PEOPLE_TABLE}",
    f"ANALYZE {TEAMS_TABLE}",
]


def sql_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def sql_array(values: list[Any], cast: str) -> str:
    return f"ARRAY[{', '.join(map(sql_literal, values))}]::{cast}[]"


def insert_sql(seed: int) -> str:
    """The entries of one range of people (%(first)s..%(last)s), as the COPY text built
    with Python's random had them: moments spread over the person's life in id order, kinds by
    weight, 85% in one of the person's programs, 90% of those by one of the program's
    staff, 30% with details. u0..u8 are the entry's draws in [0, 1): 53 bits of a hash of
    its id seeded by --seed and the draw's number."""
    draws = ",\n        ".join(
        f"(hashint8extended(c.first_id + g, {seed * 16 + n}) & 9007199254740991)::float8"
        f" / 9007199254740992.0 AS u{n}"
        for n in range(9)
    )
    total = sum(w for _, w, _ in KINDS)
    upper, kind = 0.0, "CASE"
    for number, (_, weight, _) in enumerate(KINDS[:-1], 1):
        upper += weight / total
        kind += f" WHEN u1 < {upper!r} THEN {number}"
    kind += f" ELSE {len(KINDS)} END"
    texts: list[str] = []
    starts, sizes = [], []
    for _, _, options in KINDS:
        starts.append(len(texts) + 1)
        sizes.append(len(options))
        texts.extend(options)
    keys = [k for k, _, _ in KINDS]
    sensitive = {k.key for k in timeline_kinds if k.sensitive}
    # Every other column at its default, so columns added to the model later still load.
    fields = {f.attname: f for f in TimelineEntry._meta.concrete_fields}
    others = [f for name, f in fields.items() if name not in ENTRY_COLUMNS]
    columns = ", ".join(f'"{fields[name].column}"' for name in ENTRY_COLUMNS)
    columns += "".join(f', "{f.column}"' for f in others)
    defaults = "".join(f", {sql_literal(f.get_default())}" for f in others)
    return f"""
INSERT INTO {TimelineEntry._meta.db_table} ({columns})
SELECT r.id, r.person_id, r.organization_id, r.program_id,
    ({sql_array(keys, "text")})[r.kind], r.at, r.at,
    CASE WHEN r.program_id IS NOT NULL AND r.u4 < 0.9
         THEN t.users[1 + floor(r.u5 * cardinality(t.users))::int] END,
    ({sql_array(texts, "text")})[({sql_array(starts, "int")})[r.kind]
        + floor(r.u6 * ({sql_array(sizes, "int")})[r.kind])::int],
    CASE WHEN r.u7 < 0.3
         THEN ({sql_array(DETAILS, "text")})[1 + floor(r.u8 * {len(DETAILS)})::int]
         ELSE '' END,
    ({sql_array([k in sensitive for k in keys], "bool")})[r.kind]{defaults}
FROM (
    SELECT r.*, {kind} AS kind,
        r.created_at + make_interval(secs => floor((r.g + r.u0) / r.entries * r.span))
            AS at,
        CASE WHEN r.programs IS NOT NULL AND r.u2 < 0.85
             THEN r.programs[1 + floor(r.u3 * cardinality(r.programs))::int]
        END AS program_id
    FROM (
        SELECT c.first_id + g AS id, g, c.person_id, c.entries, c.organization_id,
            c.created_at, c.span, c.programs,
        {draws}
        FROM {PEOPLE_TABLE} c, generate_series(0, c.entries - 1) g
        WHERE c.person_id BETWEEN %(first)s AND %(last)s
        OFFSET 0  -- each draw made once, not once for every use
    ) r
) r
LEFT JOIN {TEAMS_TABLE} t ON t.program_id = r.program_id
"""


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


def plan_entries(seed: int, now: dt.datetime, target: int, known: int) -> list[int]:
    """Entries per person (index: person id), and the tables the INSERTs read: each
    person's count, first id, organization, life span and programs; each program's staff."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM people_person ORDER BY id")
        people = [pk for (pk,) in cursor.fetchall()]
    rng = random.Random(f"{seed}:counts")
    counts = [0] * (people[-1] + 1)
    for pid in people:
        counts[pid] = events_for(rng)
    # Scale the ordinary people so the total comes to the target.
    factor = target / sum(counts)
    counts = [max(1, round(c * factor)) if c else 0 for c in counts]
    counts[known] = KNOWN_EVENTS
    out = io.StringIO()
    next_id = 1
    for pid in people:
        out.write(f"{pid}\t{counts[pid]}\t{next_id}\n")
        next_id += counts[pid]
    with connection.cursor() as cursor:
        drop_plan(cursor)
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_timeline_counts "
            "(person_id integer, entries integer, first_id bigint)"
        )
        with cursor.cursor.copy("COPY bench_timeline_counts FROM STDIN") as copy:
            copy.write(out.getvalue().encode())
        for statement in PLAN_SQL:
            cursor.execute(statement, {"now": now} if "%(now)s" in statement else None)
        cursor.execute("DROP TABLE bench_timeline_counts")
    return counts


def drop_plan(cursor: Any) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {PEOPLE_TABLE}, {TEAMS_TABLE}")


def load(
    seed: int, counts: list[int], batch_size: int, workers: int, budget: float | None
) -> tuple[int, int]:
    """INSERT the entries, people in id order, a range at a time on `workers` connections
    (Django's are per thread); with a budget, no range is started once it is spent."""
    sql = insert_sql(seed)
    top = len(counts) - 1
    ranges = queue.SimpleQueue()
    for first in range(1, top + 1, batch_size):
        ranges.put((first, min(top, first + batch_size - 1)))
    started = time.perf_counter()
    lock = threading.Lock()
    done: dict[int, int] = {}  # last person of a range -> its entries
    failed: list[BaseException] = []

    def work() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
                cursor.execute("SET synchronous_commit = off")
                cursor.execute("SET jit = off")
                while not failed and (budget is None or time.perf_counter() - started < budget):
                    try:
                        first, last = ranges.get_nowait()
                    except queue.Empty:
                        return
                    cursor.execute(sql, {"first": first, "last": last})
                    with lock:
                        done[last] = cursor.rowcount
                        rows = sum(done.values())
                        elapsed = time.perf_counter() - started
                        if len(done) % 10 == 0 or last == top:
                            print(
                                f"  {min(top, len(done) * batch_size):>10,} people  {rows:>12,} "
                                f"entries  {elapsed:6.0f} s  {rows / elapsed:9,.0f} rows/s",
                                flush=True,
                            )
        except BaseException as error:
            failed.append(error)  # the other connections stop after their range
            raise
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise SystemExit(f"Loading the entries failed: {failed[0]}")
    if len(done) * batch_size < top:
        print(f"  budget of {budget} s spent: stopping after person {max(done, default=0):,}")
    return sum(done.values()), max(done, default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=30_000_000, help="timeline entries")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--batch-size", type=int, default=20_000, help="people per INSERT")
    parser.add_argument("--workers", type=int, default=2, help="connections inserting at once")
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
    counts = plan_entries(args.seed, now, args.events, known)
    table = TimelineEntry._meta.db_table
    indexes = _secondary_indexes([table])
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    rows, people = load(args.seed, counts, args.batch_size, args.workers, args.budget)
    with connection.cursor() as cursor:
        drop_plan(cursor)
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
    print(f"  known person {known}: {counts[known]:,} entries")
    print(f"  open tasks: {open_tasks:,}")
    print(f"Done in {time.perf_counter() - begin:.0f} s", flush=True)


if __name__ == "__main__":
    main()
