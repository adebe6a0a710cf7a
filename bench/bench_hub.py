"""The hub's benchmark, against a database filled by bench/generate_people.py and then
bench/generate_timeline.py (see bench/README.md, "Hub").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/bench_hub.py            # --only worklist|timeline|sweep

Measures, in this process (server time, no network), signed in as bench-coordinator:

(a) the worklist: GET / (the start page: who needs attention today, and the people
    they coordinate) through django.test.Client, for a coordinator who is the primary
    coordinator of 150 people; and `worklist.selectors.worklist_for` alone.
(b) the journey timeline of the person on that caseload with the most entries (5,000):
    GET /people/<id>/timeline/ (the first page), the same with the cursor of the 20th
    page (entries 476-500), "older entries" as htmx loads it, and the first page of other
    people on the caseload.
(c) the nightly sweep: `tasks.rules.evaluate_rules` (what the background task
    `sweep_follow_up_rules` runs) over the whole population, once, with the tasks it
    created and closed. It changes the data (that is its job): a second run finds less
    to do, so regenerate for comparable figures.

Targets (issue 11): worklist p95 <= 50 ms, timeline pages p95 <= 30 ms, sweep < 5 min.
Every latency is also printed as a multiple of the bare view of bench/calibration.py,
measured in the same run (takes before and after each section).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

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
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.people.models import Person, TimelineEntry  # noqa: E402
from alongside.people.timeline import timeline_page  # noqa: E402
from alongside.tasks import rules  # noqa: E402
from alongside.tasks.models import Task  # noqa: E402
from alongside.worklist.selectors import caseload_of, start_page, worklist_for  # noqa: E402

COORDINATOR = "bench-coordinator"
WORKLIST_P95 = 0.050
TIMELINE_P95 = 0.030
SWEEP_LIMIT = 300.0
DEEP_PAGE = 20


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def timed_calls(
    call: Callable[[], Any], count: int, warm: int = 10, cpu: list[float] | None = None
) -> list[float]:
    """Wall times of `count` calls; with `cpu`, this process's CPU time of each appended
    to it (steadier than wall time on a shared machine: no waiting for a core)."""
    for _ in range(warm):
        call()
    times = []
    for _ in range(count):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
        status = getattr(result, "status_code", 200)
        assert status == 200, (status, getattr(result, "content", b"")[:300])
    return times


def print_cpu(label: str, cpu: list[float]) -> None:
    print(
        f"  CPU of this process, {label}: median {ms(statistics.median(cpu)).strip()} ms, "
        f"p95 {ms(statistics.quantiles(cpu, n=20)[-1]).strip()} ms"
    )


Rows = list[tuple[str, list[float], float | None]]


def report(rows: Rows, near: Yardstick) -> list[tuple[str, float, float, float | None]]:
    """Print p50/p95 (and × bare) per measure; return (label, p50, p95, target)."""
    print(f"  {'measure':<52}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p95 × bare':>12}  target")
    out = []
    for label, times, target in rows:
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        verdict = ""
        if target is not None:
            verdict = f"≤ {target * 1000:.0f} ms: {'met' if p95 <= target else 'MISSED'}"
        print(
            f"  {label:<52}{len(times):>5}{ms(p50):>9}{ms(p95):>9}{near.times(p95):>10.1f} ×"
            f"  {verdict}"
        )
        out.append((label, p50, p95, target))
    return out


def bench_worklist(user: User, count: int, bare: Calibration) -> list[Any]:
    caseload = caseload_of(user).count()
    print(f"\n(a) Worklist of {COORDINATOR} ({caseload} people on the caseload)")
    before = bare.latest
    client = Client()
    client.force_login(user)
    found = worklist_for(user)
    print(f"  {found.total} people need attention; {len(found.rows)} rows shown")
    page_cpu: list[float] = []
    selector_cpu: list[float] = []
    page = timed_calls(lambda: client.get("/"), count, cpu=page_cpu)
    selector = timed_calls(lambda: worklist_for(user), count, cpu=selector_cpu)
    start = timed_calls(lambda: start_page(user), count)
    bare.take("after worklist")
    print_cpu("GET /", page_cpu)
    print_cpu("worklist_for", selector_cpu)
    return report(
        [
            ("GET / (start page with the worklist)", page, WORKLIST_P95),
            ("worklist.selectors.worklist_for alone", selector, None),
            ("worklist.selectors.start_page (both lists, 1 event)", start, None),
        ],
        bare.since(before),
    )


def bench_timeline(user: User, count: int, bare: Calibration) -> list[Any]:
    ranked = (
        TimelineEntry.objects.filter(person__in=caseload_of(user).values("pk"))
        .values("person_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    busiest = ranked[0]
    others = [r["person_id"] for r in ranked[1:41]]
    person = Person.objects.get(pk=busiest["person_id"])
    print(
        f"\n(b) Timeline of person {person.pk} ({busiest['n']:,} entries), "
        f"and of {len(others)} others on the caseload"
    )
    before = bare.latest
    # The cursor of page 20: follow "older entries" 19 times, as a reader would.
    cursor = ""
    for _ in range(DEEP_PAGE - 1):
        page = timeline_page(user, Person.objects.get(pk=person.pk), cursor=cursor)
        assert page.next_cursor, "fewer than 20 pages"
        cursor = page.next_cursor
    url = reverse("people:timeline", args=[person.pk])
    client = Client()
    client.force_login(user)
    first = timed_calls(lambda: client.get(url), count)
    deep = timed_calls(lambda: client.get(url, {"cursor": cursor}), count)
    htmx = timed_calls(lambda: client.get(url, {"cursor": cursor}, HTTP_HX_REQUEST="true"), count)
    turn = iter(range(10**9))

    def other_person() -> Any:
        pk = others[next(turn) % len(others)]
        return client.get(reverse("people:timeline", args=[pk]))

    other = timed_calls(other_person, count)
    bare.take("after timeline")
    return report(
        [
            ("GET /people/<id>/timeline/ (first page, 5,000)", first, TIMELINE_P95),
            ("... ?cursor= (20th page, entries 476-500)", deep, TIMELINE_P95),
            ("... 20th page as htmx loads it (older entries)", htmx, TIMELINE_P95),
            ("first page of others on the caseload", other, TIMELINE_P95),
        ],
        bare.since(before),
    )


class RolledBack(Exception):
    pass


def bench_sweep(rollback: bool = False) -> tuple[float, rules.Outcome]:
    print("\n(c) Nightly sweep: tasks.rules.evaluate_rules over the whole population")
    open_before = Task.objects.open().count()
    print(f"  open tasks before: {open_before:,}; {load_average()}")
    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    try:
        # With --rollback, in one transaction undone at the end: the data stays as it was
        # (on a database of your own: the audit chain's head stays locked meanwhile).
        with transaction.atomic() if rollback else nullcontext():
            with connection.execute_wrapper(count):
                start, cpu = time.perf_counter(), time.process_time()
                outcome = rules.evaluate_rules(timezone.now())
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            open_after = Task.objects.open().count()
            if rollback:
                raise RolledBack
    except RolledBack:
        print("  rolled back")
    verdict = "met" if elapsed < SWEEP_LIMIT else "MISSED"
    print(
        f"  {elapsed:.1f} s ({elapsed / 60:.1f} min; target < 5 min: {verdict}), "
        f"{cpu:.1f} s CPU in this process, {queries:,} queries: "
        f"{outcome.created:,} tasks created, {outcome.closed:,} closed; "
        f"open tasks after: {open_after:,}; {load_average()}"
    )
    return elapsed, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per measure")
    parser.add_argument("--calibrate", type=int, default=300, help="bare requests per take")
    parser.add_argument("--only", choices=["worklist", "timeline", "sweep"])
    parser.add_argument(
        "--rollback", action="store_true", help="undo the sweep's changes when it is timed"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Point DATABASE_URL at the database bench/generate_timeline.py filled.")
    print(machine())
    print(
        f"{load_average()}; {Person.objects.count():,} people, "
        f"{TimelineEntry.objects.count():,} timeline entries"
    )
    user = User.objects.get(username=COORDINATOR)
    results: list[Any] = []
    with bench_settings():
        bare = Calibration(requests=args.calibrate)
        bare.take("start")
        print(f"calibration at the start: {bare.summary()}")
        if args.only in (None, "worklist"):
            results += bench_worklist(user, args.requests, bare)
        if args.only in (None, "timeline"):
            results += bench_timeline(user, args.requests, bare)
        bare.take("end")
    sweep = bench_sweep(args.rollback) if args.only in (None, "sweep") else None
    print(f"\nSummary ({load_average()})")
    print(f"  calibration: {bare.summary()}")
    for label, p50, p95, target in results:
        verdict = "" if target is None else ("met" if p95 <= target else "MISSED")
        print(f"  {label:<52} {bare.show('p50', p50)}  {bare.show('p95', p95)}  {verdict}")
    if sweep:
        print(f"  nightly sweep {sweep[0]:.1f} s = {sweep[0] / bare.mean:,.0f} × bare")


if __name__ == "__main__":
    main()
