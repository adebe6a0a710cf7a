"""Where GET /api/v1/people/<id> spends its time, next to the bare view of
bench/calibration.py, on the database bench/generate_people.py filled:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/profile_api.py            # --requests N, --profile N

For each view: mean latency (and as a multiple of the bare mean), queries per request
and the time spent waiting on the database (connection.execute_wrapper), so what is
left is Python. With --profile N, a cProfile of N API requests sorted by own time, and
by cumulative time for the app's functions. With --page, the person page (signed in as
the benchmark coordinator) instead of the API. Writes audit events and one API token.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
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

from calibration import BARE_URL, Calibration, bench_settings, load_average  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.accounts.tokens import token_create  # noqa: E402
from alongside.people import selectors  # noqa: E402


class DatabaseClock:
    """Counts queries and the time spent in them, per statement's first words."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0
        self.by_kind: dict[str, list[float]] = {}

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - began
            self.queries += 1
            self.seconds += took
            kind = " ".join(sql.split()[:3])[:50]
            self.by_kind.setdefault(kind, []).append(took)


def measure(label: str, call: Callable[[int], Any], ids: list[int], bare: Calibration) -> None:
    clock = DatabaseClock()
    times = []
    cpu_began = time.process_time()
    with connection.execute_wrapper(clock):
        for pk in ids:
            began = time.perf_counter()
            response = call(pk)
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, response.content[:200]
    n = len(ids)
    cpu = (time.process_time() - cpu_began) / n
    mean = statistics.fmean(times)
    times.sort()
    p95 = times[min(n - 1, int(n * 0.95))]
    print(
        f"\n{label}: mean {mean * 1000:.2f} ms = {bare.times(mean):.2f} × bare, "
        f"p95 {p95 * 1000:.2f} ms = {bare.times(p95):.2f} × bare; "
        f"{clock.queries / n:.1f} queries, {clock.seconds / n * 1000:.2f} ms in the database, "
        f"{(mean - clock.seconds / n) * 1000:.2f} ms the rest; "
        f"this process's CPU {cpu * 1000:.2f} ms a request"
    )
    for kind, spent in sorted(clock.by_kind.items(), key=lambda item: -sum(item[1])):
        print(f"    {sum(spent) / n * 1000:6.2f} ms  {len(spent) / n:4.1f} ×  {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", type=int, default=0, help="cProfile this many requests")
    parser.add_argument("--lines", type=int, default=35)
    parser.add_argument(
        "--page", action="store_true", help="the person page (GET /people/<id>/) instead"
    )
    args = parser.parse_args()
    user = User.objects.get(username="bench-coordinator")
    _, secret = token_create(
        user=user, name=f"profile {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}", days=1, actor=user
    )
    people = list(selectors.people_for(user).order_by("?").values_list("pk", flat=True)[:200])
    ids = (people * (args.requests // len(people) + 1))[: args.requests]
    client = Client()
    headers = {"Authorization": f"Bearer {secret}"}

    page_client = Client()
    page_client.force_login(user)

    def api(pk: int) -> Any:
        if args.page:
            return page_client.get(f"/people/{pk}/")
        return client.get(f"/api/v1/people/{pk}", headers=headers)

    def bare_view(pk: int) -> Any:
        return client.get(BARE_URL.format(pk=pk))

    print(load_average())
    with bench_settings():
        bare = Calibration()
        for pk in ids[:30]:
            api(pk)
        bare.take("start")
        measure("bare view", bare_view, ids, bare)
        measure("person page" if args.page else "API", api, ids, bare)
        bare.take("end")
        print(f"\n{load_average()}; calibration: {bare.summary()}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for pk in ids[: args.profile]:
                api(pk)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("tottime").print_stats(args.lines)
            stats.sort_stats("cumulative").print_stats(r"alongside|ninja", args.lines)


if __name__ == "__main__":
    main()
