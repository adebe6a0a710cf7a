"""Add service plans to a benchmark database of people (bench/generate_people.py), so the
plan page and the printed plan are measured against realistic volumes:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/generate_plans.py

With the defaults, at 1,000,000 people: an active plan for each person with an open
enrollment (in the first of them), 1 to 6 goals each and 10 in one plan of every 97
(about 3,000,000 goals, in every life domain, a quarter about mental health, substance
use or safety), and 1 to 6 steps a goal (about 10,000,000), a quarter of them owned by
the enrollment's coordinator and a third done; the script prints how many of each.

Rows are written by set-based SQL inside PostgreSQL (INSERT … SELECT), not through the
services: at this volume the services would take hours, and what is measured here is
reading. No `PlanVersion` rows are made (the plan page draws the plan as it is now).
Run it once on a database; it refuses to run twice.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from alongside.plans.models import Goal, Plan  # noqa: E402

DOMAINS = list(Goal.Domain.values)
TEN_GOALS_EVERY = 97  # one plan in this many has ten goals (the printed-plan benchmark's)


def _run(label: str, sql: str, params: list[object] | None = None) -> None:
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        rows = cursor.rowcount
    print(f"  {label:38} {rows:>11,} rows {time.perf_counter() - began:7.1f} s", flush=True)


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the PostgreSQL benchmark database.")
    call_command("migrate", verbosity=0)
    if Plan.objects.exists():
        raise SystemExit("This database already has plans.")
    began = time.perf_counter()
    print("Plans", flush=True)
    with transaction.atomic():  # all or nothing, so a failed run can simply be rerun
        _generate()
    _run("analyze", "ANALYZE plans_plan, plans_goal, plans_step")
    print(f"Done in {time.perf_counter() - began:.0f} s", flush=True)


def _generate() -> None:
    _run(
        "plans (one per open enrollment's person)",
        """INSERT INTO plans_plan (person_id, enrollment_id, status, ended_reason, started_on,
               activated_at, next_review_on, version, created_at)
           SELECT DISTINCT ON (e.person_id) e.person_id, e.id, 'active', '',
               current_date - (e.id %% 200)::int, now() - (e.id %% 200) * interval '1 day',
               current_date + (e.id %% 90)::int, 1, now() - (e.id %% 200) * interval '1 day'
           FROM people_enrollment e WHERE e.status IN ('referred', 'active', 'paused')
           ORDER BY e.person_id, e.id""",
    )
    _run(
        "goals",
        """INSERT INTO plans_goal (plan_id, words, restatement, domain, importance,
               profile_link, priority, target_date, lifecycle, achievement, gas_minus2,
               gas_minus1, gas_0, gas_plus1, gas_plus2, weight, created_at)
           SELECT p.id, 'In my words, goal ' || n || ': ' || md5(p.id::text || n),
               CASE WHEN n %% 2 = 0 THEN 'A restatement by staff.' ELSE '' END,
               (%s::text[])[1 + (p.id + n) %% %s],
               (ARRAY['to', 'for', 'both'])[1 + (p.id + n) %% 3],
               CASE WHEN n = 1 THEN 'hopes' ELSE '' END, n,
               p.started_on + (30 * n)::int, 'active',
               (ARRAY['', 'in-progress', 'improving', 'no-change'])[1 + (p.id + n) %% 4],
               '', '', 'What we expect for goal ' || n, '', '', 1, p.created_at
           FROM plans_plan p CROSS JOIN LATERAL generate_series(
               1, CASE WHEN p.id %% %s = 0 THEN 10 ELSE 1 + p.id %% 6 END) AS n""",
        [DOMAINS, len(DOMAINS), TEN_GOALS_EVERY],
    )
    _run(
        "steps",
        """INSERT INTO plans_step (goal_id, text, owner_kind, owner_user_id, due_on, done_at,
               created_at)
           SELECT g.id, 'Step ' || n || ' toward goal ' || g.priority,
               CASE WHEN (g.id + n) %% 4 = 0 AND e.primary_coordinator_id IS NOT NULL
                   THEN 'staff' ELSE 'person' END,
               CASE WHEN (g.id + n) %% 4 = 0 THEN e.primary_coordinator_id END,
               p.started_on + (7 * n)::int,
               CASE WHEN (g.id + n) %% 3 = 0 THEN p.created_at + n * interval '7 days' END,
               g.created_at
           FROM plans_goal g JOIN plans_plan p ON p.id = g.plan_id
           JOIN people_enrollment e ON e.id = p.enrollment_id
           CROSS JOIN LATERAL generate_series(1, 1 + g.id %% 6) AS n""",
    )


if __name__ == "__main__":
    main()
