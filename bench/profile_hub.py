"""Where the worklist page (`GET /`) and the journey timeline page spend their time, on
the database bench/generate_people.py and bench/generate_timeline.py filled:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/profile_hub.py          # --requests N, --profile N, --only

Signed in as bench-coordinator. For each page: mean latency (and as a multiple of the
bare view of bench/calibration.py), queries per request and the time spent waiting on
the database (`connection.execute_wrapper`), the slowest statements, and what is left
(Python: templates, middleware, the selectors' own work). With --profile N, a cProfile
of N requests, sorted by own time and by cumulative time of the app's functions.
Writes audit events, as the pages do.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from calibration import Calibration, bench_settings, load_average  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from profile_api import DatabaseClock  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.people.models import TimelineEntry  # noqa: E402
from alongside.worklist.selectors import caseload_of  # noqa: E402


def measure(label: str, get: Callable[[], Any], count: int, bare: Calibration) -> None:
    for _ in range(5):
        get()
    clock = DatabaseClock()
    times = []
    with connection.execute_wrapper(clock):
        for _ in range(count):
            began = time.perf_counter()
            response = get()
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, response.content[:200]
    mean = statistics.fmean(times)
    in_db = clock.seconds / count
    print(
        f"\n{label}: mean {mean * 1000:.2f} ms = {bare.times(mean):.2f} × bare; "
        f"{clock.queries / count:.1f} queries, {in_db * 1000:.2f} ms in the database, "
        f"{(mean - in_db) * 1000:.2f} ms the rest; {load_average()}"
    )
    slowest = sorted(clock.by_kind.items(), key=lambda kv: -sum(kv[1]))[:8]
    for kind, took in slowest:
        print(f"    {sum(took) / count * 1000:6.2f} ms  {len(took) / count:4.1f}×  {kind}")


def profile(label: str, get: Callable[[], Any], count: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        get()
    profiler.disable()
    print(f"\n--- {label}: cProfile of {count} requests, own time")
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
    stats.print_stats(25)
    print(f"--- {label}: cumulative, the app's and Django's template functions")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(r"alongside/|template/(base|loader_tags|defaulttags)|middleware", 40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--profile", type=int, default=0, help="cProfile N requests")
    parser.add_argument("--only", choices=["worklist", "timeline"])
    args = parser.parse_args()
    user = User.objects.get(username="bench-coordinator")
    client = Client()
    client.force_login(user)
    busiest = (
        TimelineEntry.objects.filter(person__in=caseload_of(user).values("pk"))
        .values("person_id")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["person_id"]
    )
    pages = {
        "worklist": ("GET / (the worklist)", lambda: client.get("/")),
        "timeline": (
            f"GET /people/{busiest}/timeline/",
            lambda: client.get(reverse("people:timeline", args=[busiest])),
        ),
    }
    with bench_settings():
        bare = Calibration()
        bare.take("start")
        for key, (label, get) in pages.items():
            if args.only and key != args.only:
                continue
            measure(label, get, args.requests, bare)
            if args.profile:
                profile(label, get, args.profile)


if __name__ == "__main__":
    main()
