"""People search's two plans (people/search.py: the scope's people read first, or the
name-word index first) at scopes of several sizes, on the database
bench/generate_people.py filled (see bench/README.md, "Search: small scopes read first"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/search_scope_sizes.py

The bench database's smallest program has 18,161 people, so smaller scopes are made from
it: the program's people whose id is a multiple of k (spread over the table as a
program's people are), searched as the queryset `Person.objects` filtered to them, with
a `Reach` of the same rows. Every name query of bench_people.py's small program (seed 7)
is run with each plan in turn (the order alternating), twice, the faster kept; printed
per size: each plan's wall p50 / p95 / max and mean CPU of the PostgreSQL backend, and
how many pages were the same, differed only among people tied at the page's end, or had
each place scoring at least as well when read scope first (more than a page of one tier:
the index gives any of them, the scope's read the best ranked).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_people import PERSONAS, search_plan  # noqa: E402
from calibration import load_average, percentile  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.expressions import RawSQL  # noqa: E402
from search_ab import backend_cpu, ranked, same_but_ties  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.people import search  # noqa: E402
from alongside.people.models import Person  # noqa: E402

PLANS = {"index": 0, "scope": 10**9}  # SCOPE_FIRST_BELOW forcing each plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, nargs="+", default=[36, 18, 9, 4, 2, 1])
    parser.add_argument("--per-category", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    user = User.objects.get(username=PERSONAS["small program"])
    (program,) = user.memberships.values_list("program_id", flat=True)
    plan = search_plan(user, args.per_category, random.Random(args.seed))
    queries = [q for kind, q, _ in plan if kind not in {"date of birth", "phone", "identifier"}]
    print(f"{len(queries)} name searches a size; {load_average()}")
    for every in args.every:
        rows = (
            "SELECT e.person_id AS id FROM people_enrollment e "  # noqa: S608
            f"WHERE e.program_id = {int(program)} AND mod(e.person_id, {int(every)}) = 0"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({rows}) r")  # noqa: S608
            (size,) = cursor.fetchone()
        within = RawSQL(rows.replace(" AS id", ""), ())  # noqa: S611 (numbers of our own)
        people = Person.objects.filter(pk__in=within)
        people = people.filter(merged_into__isnull=True)
        key = ("scope sizes", every)
        reach = search.Reach(key, rows, ())
        wall: dict[str, list[float]] = {name: [] for name in PLANS}
        db = dict.fromkeys(PLANS, 0.0)
        pages: dict[str, dict[str, Any]] = {name: {} for name in PLANS}
        for n, query in enumerate(queries):
            order = list(PLANS) if n % 2 else list(reversed(PLANS))
            best: dict[str, float] = {}
            for _ in range(2):
                for name in order:
                    search.SCOPE_FIRST_BELOW = PLANS[name]
                    search._reach_sizes.clear()
                    before = backend_cpu()
                    start = time.perf_counter()
                    found = search.search_page(people, query, limit=25, key=key, reach=reach)
                    best[name] = min(best.get(name, 1e9), time.perf_counter() - start)
                    db[name] += backend_cpu() - before
                    pages[name][query] = ranked(found)
            for name in PLANS:
                wall[name].append(best[name])
        same = sum(pages["index"][q] == pages["scope"][q] for q in queries)
        differ = [q for q in queries if pages["index"][q] != pages["scope"][q]]
        tied = sum(same_but_ties(pages["index"][q], pages["scope"][q]) for q in differ)
        better = sum(
            all(s[:2] >= i[:2] for s, i in zip(pages["scope"][q], pages["index"][q], strict=True))
            and len(pages["scope"][q]) == len(pages["index"][q])
            for q in differ
        )
        print(f"\n  {size:,} rows (every {every}th of the program's people), {load_average()}")
        for name in PLANS:
            print(
                f"    {name:5} first: wall p50 {percentile(wall[name], 0.5) * 1000:6.1f} ms"
                f"  p95 {percentile(wall[name], 0.95) * 1000:6.1f} ms"
                f"  max {max(wall[name]) * 1000:6.1f} ms"
                f"  PostgreSQL CPU {db[name] / len(queries) / 2 * 1000:6.2f} ms"
            )
        print(
            f"    same page: {same} of {len(queries)}; tied at the page's end: {tied}; each place"
            f" scoring at least as well read scope first: {better - tied} more;"
            f" other: {len(differ) - better}"
        )


if __name__ == "__main__":
    main()
