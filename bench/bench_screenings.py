"""Screening pages and API at scale: after bench/generate_people.py and
bench/generate_screenings.py have filled a PostgreSQL database,

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/bench_screenings.py

prints p50/p95 of whole requests (django.test.Client, signed in as a coordinator) for
people who have screenings: the person page with its "Needs and screenings" panel, the
screening history with its trend charts, a completed screening's results, the API list
of a person's screenings, and the urgent-results queue, each also as a multiple of the
bare view's mean measured in the same run (bench/calibration.py). The target for every
page is the person page's: p95 at most 3 × bare. Reads only; writes nothing but the
audit events the pages record.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
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
from alongside.intake.models import ScreeningResponse  # noqa: E402
from alongside.people.models import Person  # noqa: E402

COORDINATOR = "bench-coordinator"  # the persona bench/bench_people.py measures as
TARGET_P95 = 3.0  # × the bare view's mean, as for the person page in bench_people.py


def measure(
    client: Client, label: str, urls: list[str], bare: Calibration
) -> tuple[float, Yardstick]:
    """p95 of the pages at `urls`, and the bare takes either side of them."""
    for url in urls[:10]:  # warm up
        client.get(url)
    before = bare.latest
    times = []
    for url in urls:
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    bare.take(f"after {label}")
    near = bare.since(before)
    print(
        f"  {label:<40}{len(times):>5}{p50 * 1000:>9.1f}{p95 * 1000:>9.1f}"
        f"{near.times(p95):>10.1f} ×",
        flush=True,
    )
    return p95, near


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="requests per kind of page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--calibrate", type=int, default=300, help="bare requests per take")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Point DATABASE_URL at the benchmark database.")
    rng = random.Random(args.seed)
    user = User.objects.get(username=COORDINATOR)
    visible = Person.objects.visible_to(user)
    top = ScreeningResponse.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = [rng.randint(1, top) for _ in range(args.pages * 30)]
    responses = list(
        ScreeningResponse.objects.filter(pk__in=picks, person__in=visible).values_list(
            "pk", "person_id"
        )[: args.pages]
    )
    if len(responses) < args.pages:
        raise SystemExit("Too few screenings visible to the coordinator: run generate_screenings.")
    people = [person for _, person in responses]
    print(machine())
    print(
        f"{Person.objects.count():,} people, {ScreeningResponse.objects.count():,} screenings; "
        f"{load_average()}"
    )
    client = Client()
    client.force_login(user)
    pages: dict[str, Callable[[int, int], str]] = {
        "person page with the screening panel": lambda r, p: reverse("people:detail", args=[p]),
        "screening history with trend charts": lambda r, p: reverse("intake:history", args=[p]),
        "a completed screening's results": lambda r, p: reverse("intake:response", args=[r]),
        "API: a person's screenings": lambda r, p: f"/api/v1/people/{p}/screenings",
    }
    results = {}
    with bench_settings():
        bare = Calibration(requests=args.calibrate)
        bare.take("start")
        print(f"calibration at the start: {bare.summary()}")
        print(f"  {'as ' + COORDINATOR:<40}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p95 × bare':>12}")
        for label, url in pages.items():
            results[label] = measure(client, label, [url(r, p) for r, p in responses], bare)
        results["urgent results queue"] = measure(
            client, "urgent results queue", [reverse("intake:urgent")] * 30, bare
        )
    print(f"\nSummary ({load_average()}; people seen {len(set(people))})")
    print(f"  calibration: {bare.summary()}")
    print("  (each figure below against the bare takes just before and after it)")
    for label, (p95, near) in results.items():
        print(f"  {label:<40} {near.show('p95', p95)}  ({near.verdict(p95, TARGET_P95)})")


if __name__ == "__main__":
    main()
