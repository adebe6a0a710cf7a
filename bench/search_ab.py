"""People search, this checkout's `people/search.py` against another commit's, on the
database bench/generate_people.py filled (see bench/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/search_ab.py --ref main

The searches are bench_people.py's (same seed, same kinds, same personas). Each is run
through `people.selectors.people_search` by both versions in turn (the order alternating),
`--repeat` times each, in one process. Printed per persona: queries per search, this
process's CPU and its PostgreSQL backend's (from /proc, so only on the database's
machine), wall p50/p95 (the minimum of the repeats), and whether both versions returned
the same people in the same order (a version without `search_page` reads the page
through the ORM, as its own `selectors` did). Where they differ, "tied" means the pages
differ only among people who match equally well at the page's end (which of them fill a
full page is up to the database, also for one version run twice); "different" pages are
listed.
"""

from __future__ import annotations

import argparse
import inspect
import random
import subprocess
import sys
import time
import types
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_people import PERSONAS, search_plan  # noqa: E402
from calibration import load_average, percentile  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.people import search as current  # noqa: E402
from alongside.people import selectors  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TICK = 0.01  # /proc/<pid>/stat counts in clock ticks of 10 ms


def version_at(ref: str) -> types.ModuleType:
    """`people/search.py` as it is at `ref`, loaded beside this checkout's."""
    source = subprocess.run(  # noqa: S603 (a developer's own ref, as given)
        ["git", "show", f"{ref}:alongside/people/search.py"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType(f"search_at_{ref}")
    module.__file__ = f"{ref}:alongside/people/search.py"
    sys.modules[module.__name__] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102
    if "key" not in inspect.signature(module.search).parameters:
        searched = module.search  # older: no key; called as this checkout's selectors call it
        module.search = lambda people, query, *, limit, key=None: searched(  # type: ignore[attr-defined]
            people, query, limit=limit
        )
    if not hasattr(module, "search_page"):  # older: the page read through the ORM each time
        older = module.search

        def search_page(people: Any, query: str, *, limit: int, key: Any = None, shown: Any) -> Any:
            return list(shown(older(people, query, limit=limit, key=key))[:limit])

        module.search_page = search_page  # type: ignore[attr-defined]
    if "reach" not in inspect.signature(module.search_page).parameters:
        paged = module.search_page  # older: no scope read first

        def without_reach(*args: Any, reach: Any = None, **kwargs: Any) -> Any:
            return paged(*args, **kwargs)

        module.search_page = without_reach  # type: ignore[attr-defined]
        module.Reach = current.Reach  # type: ignore[attr-defined]
    return module


def backend_cpu() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK


def plan_for(user: User, per_category: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query) as bench_people.bench_search builds them."""
    return [(kind, query) for kind, query, _ in search_plan(user, per_category, rng)]


def ranked(found: list[Any]) -> list[tuple[float, float, int]]:
    return [(round(p.match_score, 6), round(p.name_score, 6), p.pk) for p in found]


def same_but_ties(a: list[tuple[float, float, int]], b: list[tuple[float, float, int]]) -> bool:
    """Whether two pages hold the same scores in the same order, and differ only among
    people tied with the page's last (a full page's choice among equals)."""
    if [r[:2] for r in a] != [r[:2] for r in b]:
        return False
    last = a[-1][:2]
    return [r for r in a if r[:2] != last] == [r for r in b if r[:2] != last]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="main", help="the commit to compare with")
    parser.add_argument("--per-category", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--persona", choices=list(PERSONAS), action="append")
    parser.add_argument("--only-names", action="store_true", help="skip dates, phones, ids")
    parser.add_argument(
        "--scope-first-below",
        type=int,
        help="this checkout's SCOPE_FIRST_BELOW (e.g. 1000000000: every scope read first)",
    )
    args = parser.parse_args()
    if args.scope_first_below is not None:
        current.SCOPE_FIRST_BELOW = args.scope_first_below
    versions = {"old": version_at(args.ref), "new": current}
    rng = random.Random(args.seed)
    print(f"{args.ref} against this checkout; {load_average()}")
    for label, username in PERSONAS.items():
        user = User.objects.get(username=username)
        plan = plan_for(user, args.per_category, rng)
        if args.persona and label not in args.persona:
            continue
        if args.only_names:
            plan = [(k, q) for k, q in plan if k not in {"date of birth", "phone", "identifier"}]
        cpu: dict[str, float] = defaultdict(float)
        db: dict[str, float] = defaultdict(float)
        queries: dict[str, int] = defaultdict(int)
        wall: dict[str, list[float]] = defaultdict(list)
        pages: dict[str, dict[str, list[tuple[float, float, int]]]] = defaultdict(dict)
        for n, (_, query) in enumerate(plan):
            order = ["old", "new"] if n % 2 else ["new", "old"]
            best: dict[str, float] = {}
            for _ in range(args.repeat):
                for name in order:
                    selectors.finder = versions[name]  # type: ignore[attr-defined]
                    reset_queries()
                    before_db = backend_cpu()
                    start_cpu, start = time.process_time(), time.perf_counter()
                    with CaptureQueriesContext(connection) as captured:
                        found = selectors.people_search(user, query)
                    took = time.perf_counter() - start
                    cpu[name] += time.process_time() - start_cpu
                    db[name] += backend_cpu() - before_db
                    queries[name] += len(captured)
                    best[name] = min(best.get(name, took), took)
                    pages[name][query] = ranked(found)
            for name in order:
                wall[name].append(best[name])
        selectors.finder = current  # type: ignore[attr-defined]
        runs = len(plan) * args.repeat
        same = sum(pages["old"][q] == pages["new"][q] for _, q in plan)
        tied = [q for _, q in plan if pages["old"][q] != pages["new"][q]]
        differ = [q for q in tied if not same_but_ties(pages["old"][q], pages["new"][q])]
        print(f"\n  as {label}: {len(plan)} searches, {load_average()}")
        for name in ("old", "new"):
            print(
                f"    {name}: {queries[name] / runs:.2f} queries, process CPU "
                f"{cpu[name] / runs * 1000:.2f} ms, PostgreSQL CPU {db[name] / runs * 1000:.2f} ms,"
                f" wall p50 {percentile(wall[name], 0.5) * 1000:.1f} ms"
                f" p95 {percentile(wall[name], 0.95) * 1000:.1f} ms"
            )
        print(
            f"    same page: {same} of {len(plan)}; tied at the page's end: "
            f"{len(tied) - len(differ)}; different: {len(differ)}"
        )
        for query in differ:
            print(f"      {query!r}: old {pages['old'][query][:5]}… new {pages['new'][query][:5]}…")


if __name__ == "__main__":
    main()
