"""The plan page and the printed plan at scale: after bench/generate_people.py and
bench/generate_plans.py have filled a PostgreSQL database,

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/bench_plans.py

prints p50/p95 of whole requests (django.test.Client, signed in as the coordinator
bench/bench_people.py measures as) of the plan page (GET /plans/<id>/: scoping, audit,
the snapshot, the balance view, the GAS chart, the template) for plans of people the
coordinator sees, and of the plan the person keeps for plans with ten goals
(GET /plans/<id>/print/?lang=es: the read and WeasyPrint's tagged PDF), each also as a
multiple of the bare view's mean measured in the same run (bench/calibration.py), and
the mean CPU time of this process per request (`time.process_time`: the Django side,
steadier than wall time on a shared machine; the database's own time is not in it). The
targets: plan page p95 ≤ 25 ms, and the ten-goal PDF ≤ 1 s. Reads only; writes nothing
but the audit events the pages record.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from calibration import (  # noqa: E402
    Calibration,
    Yardstick,
    bench_settings,
    load_average,
    machine,
    percentile,
)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.people.models import Person  # noqa: E402
from alongside.plans.models import Goal, Plan, Step  # noqa: E402

COORDINATOR = "bench-coordinator"  # the persona bench/bench_people.py measures as
PAGE_P95 = 0.025  # seconds
PDF_P95 = 1.0
TEN_GOALS_EVERY = 97  # bench/generate_plans.py gives every 97th plan ten goals


def measure(
    client: Client, label: str, urls: list[str], bare: Calibration
) -> tuple[float, Yardstick]:
    """p95 of the requests to `urls`, and the bare takes either side of them."""
    for url in urls[:5]:  # warm up
        client.get(url)
    before = bare.latest
    times = []
    cpu = 0.0
    for url in urls:
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        cpu += time.process_time() - began_cpu
        assert response.status_code == 200, (url, response.status_code)
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    bare.take(f"after {label}")
    near = bare.since(before)
    print(
        f"  {label:<40}{len(times):>5}{p50 * 1000:>9.1f}{p95 * 1000:>9.1f}"
        f"{near.times(p95):>10.1f} ×{cpu / len(times) * 1000:>9.1f}",
        flush=True,
    )
    return p95, near


def _plans(user: User, rng: random.Random, count: int, *, ten_goals: bool) -> list[int]:
    """Ids of up to `count` plans of people the user sees, picked at random; with
    `ten_goals`, among those bench/generate_plans.py gave ten goals (every 97th)."""
    visible = Plan.objects.filter(person__in=Person.objects.visible_to(user))
    top = Plan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    step = TEN_GOALS_EVERY if ten_goals else 1
    picks = [step * rng.randint(1, max(1, top // step)) for _ in range(count * 30)]
    return list(visible.filter(pk__in=picks).values_list("pk", flat=True)[:count])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="plan pages to request")
    parser.add_argument("--pdfs", type=int, default=20, help="ten-goal plans to print")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--calibrate", type=int, default=300, help="bare requests per take")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Point DATABASE_URL at the benchmark database.")
    rng = random.Random(args.seed)
    user = User.objects.get(username=COORDINATOR)
    pages = _plans(user, rng, args.pages, ten_goals=False)
    printed = _plans(user, rng, args.pdfs, ten_goals=True)
    if len(pages) < args.pages or not printed:
        raise SystemExit("Too few plans visible to the coordinator: run generate_plans.py.")
    print(machine())
    print(
        f"{Person.objects.count():,} people, {Plan.objects.count():,} plans, "
        f"{Goal.objects.count():,} goals, {Step.objects.count():,} steps; {load_average()}"
    )
    client = Client()
    client.force_login(user)
    results = {}
    with bench_settings():
        bare = Calibration(requests=args.calibrate)
        bare.take("start")
        print(f"calibration at the start: {bare.summary()}")
        print(
            f"  {'as ' + COORDINATOR:<40}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'p95 × bare':>12}{'CPU ms':>9}"
        )
        results["plan page"] = (
            measure(client, "plan page", [reverse("plans:plan", args=[p]) for p in pages], bare),
            PAGE_P95,
        )
        urls = [reverse("plans:print", args=[p]) + "?lang=es" for p in printed]
        results["printed plan, ten goals (PDF)"] = (
            measure(client, "printed plan, ten goals (PDF)", urls, bare),
            PDF_P95,
        )
    print(f"\nSummary ({load_average()})")
    print(f"  calibration: {bare.summary()}")
    print("  (each figure below against the bare takes just before and after it)")
    for label, ((p95, near), limit) in results.items():
        verdict = "meets" if p95 <= limit else "MISSES"
        print(
            f"  {label:<40} {near.show('p95', p95)}  "
            f"({verdict} the target of {limit * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
