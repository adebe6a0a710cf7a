"""Benchmarks for duplicate detection (see bench/README.md and docs/matching.md).

(a) dedupe: generates a CSV with known duplicates (bench/generate_duplicates.py) unless
    it exists, runs `alongside dedupe` on it in a subprocess, timing the whole command,
    and prints precision, recall and F1 of its decisions against the truth ("likely"
    counted as a match; also "likely or possible"), with recall by kind of mistake.

        .venv/bin/python bench/bench_matching.py dedupe --records 1000000

(b) selector: `matching.selectors.likely_duplicates` against the million people of
    alongside_bench (bench/generate_people.py), as a coordinator and an organization
    admin, with candidate fields built from real records (exact, nickname or typo in
    the name, transposed date of birth, phone or identifier only). Prints p50/p95 and
    how often the intended person was the first candidate. Writes audit events.

        DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
            .venv/bin/python bench/bench_matching.py selector
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def evaluate(pairs_path: Path, truth_path: Path) -> None:
    truth: dict[frozenset[str], str] = {}
    with truth_path.open(newline="") as f:
        for row in csv.DictReader(f):
            truth[frozenset((row["id_a"], row["id_b"]))] = row["kinds"]
    likely: set[frozenset[str]] = set()
    possible: set[frozenset[str]] = set()
    with pairs_path.open(newline="") as f:
        for row in csv.DictReader(f):
            pair = frozenset((row["id_a"], row["id_b"]))
            (likely if row["decision"] == "likely" else possible).add(pair)
    for label, found in (("likely", likely), ("likely or possible", likely | possible)):
        hits = len(found & truth.keys())
        precision = hits / len(found) if found else 0.0
        recall = hits / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        print(
            f"  {label:>18}: {len(found):,} pairs, {hits:,} true of {len(truth):,}; "
            f"precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}"
        )
    by_kind: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for pair, kinds in truth.items():
        for kind in kinds.split():
            by_kind[kind] += 1
            missed[kind] += pair not in likely
    print("  recall of 'likely' by kind of mistake (a pair may have several):")
    for kind, count in sorted(by_kind.items()):
        print(f"    {kind:>16}: {1 - missed[kind] / count:.4f} of {count:,}")
    print(f"  possible pairs that are true: {len(possible & truth.keys()):,} of {len(possible):,}")


def bench_dedupe(args: argparse.Namespace) -> None:
    source = Path(args.csv or f"var/dedupe-{args.records}.csv")
    truth = source.with_name(source.stem + ".truth.csv")
    if not source.exists() or not truth.exists():
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench/generate_duplicates.py"), str(source)]
            + ["--records", str(args.records), "--seed", str(args.seed)],
            check=True,
        )
        print(f"generated in {time.monotonic() - started:.1f} s")
    output = source.with_name(source.stem + ".pairs.csv")
    load = os.getloadavg()[0]
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/alongside"), "dedupe", str(source), "--output", str(output)],
        check=True,
    )
    elapsed = time.monotonic() - started
    print(
        f"\ndedupe of {source} took {elapsed:.1f} s (load average {load:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after)"
    )
    evaluate(output, truth)


def candidate_fields(person: Any, kind: str, rng: random.Random) -> dict[str, Any] | None:
    from alongside.matching.text import NICKNAME_ROOTS
    from alongside.people.search import normalize

    phones = [c.normalized for c in person.contact_points.all() if c.kind == "phone"]
    identifiers = [i.value for i in person.identifiers.all()]
    fields: dict[str, Any] = {
        "given_name": person.legal_given_name,
        "family_name": person.legal_family_name,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
    }
    if kind == "exact":
        return fields
    if kind == "nickname":
        given = normalize(person.legal_given_name)
        nicks = [n for n, roots in NICKNAME_ROOTS.items() if given in roots and n != given]
        if not nicks:
            return None
        return fields | {"given_name": rng.choice(nicks).title()}
    if kind == "typo":
        family = person.legal_family_name
        if len(family) < 4:
            return None
        i = rng.randrange(1, len(family) - 2)
        return fields | {"family_name": family[:i] + family[i + 1] + family[i] + family[i + 2 :]}
    if kind == "transposed":
        born = person.date_of_birth
        if born is None or born.day > 12 or born.day == born.month:
            return None
        return fields | {"date_of_birth": born.replace(month=born.day, day=born.month)}
    if kind == "phone":
        return {"given_name": person.legal_given_name, "phone": phones[0]} if phones else None
    if kind == "identifier":
        if not identifiers:
            return None
        return {"family_name": person.legal_family_name, "identifier": identifiers[0]}
    raise ValueError(kind)


def bench_selector(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.db.models import Prefetch

    from alongside.accounts.models import User
    from alongside.matching.selectors import likely_duplicates
    from alongside.people import selectors
    from alongside.people.models import ContactPoint, Person

    rng = random.Random(args.seed)
    kinds = ["exact", "nickname", "typo", "transposed", "phone", "identifier"]
    print(f"load average {os.getloadavg()[0]:.1f}")
    for label, username in (("coordinator", "bench-coordinator"), ("org admin", "bench-admin")):
        user = User.objects.get(username=username)
        visible = selectors.people_for(user)
        top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        people: list[Person] = []
        while len(people) < args.samples * 3:
            ids = [rng.randint(1, top) for _ in range(args.samples * 10)]
            people += list(
                visible.filter(pk__in=ids).prefetch_related(
                    "identifiers",
                    Prefetch("contact_points", queryset=ContactPoint.objects.filter(kind="phone")),
                )
            )
        times: dict[str, list[float]] = {k: [] for k in kinds}
        first: Counter[str] = Counter()
        for person in people[:5]:  # warm up, as a long-running server process would be
            likely_duplicates(user, candidate_fields(person, "exact", rng) or {})
        for n, person in enumerate(people[5:]):
            kind = kinds[n % len(kinds)]
            if len(times[kind]) >= args.samples:
                continue
            fields = candidate_fields(person, kind, rng)
            if fields is None:
                continue
            started = time.perf_counter()
            found = likely_duplicates(user, fields)
            times[kind].append(time.perf_counter() - started)
            first[kind] += bool(found) and found[0].person.pk == person.pk
        every = sum(times.values(), [])
        print(
            f"\n  as {label}: {len(every)} checks, p50 {percentile(every, 0.5) * 1000:.1f} ms, "
            f"p95 {percentile(every, 0.95) * 1000:.1f} ms"
        )
        for kind in kinds:
            t = times[kind]
            if t:
                print(
                    f"    {kind:>10}: p50 {percentile(t, 0.5) * 1000:6.1f} ms, "
                    f"p95 {percentile(t, 0.95) * 1000:6.1f} ms, intended person first "
                    f"{first[kind]}/{len(t)}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    dedupe = sub.add_parser("dedupe")
    dedupe.add_argument("--records", type=int, default=1_000_000)
    dedupe.add_argument("--csv", help="existing input (with its .truth.csv next to it)")
    dedupe.add_argument("--seed", type=int, default=20261123)
    selector = sub.add_parser("selector")
    selector.add_argument("--samples", type=int, default=50, help="checks per kind")
    selector.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.what == "dedupe":
        bench_dedupe(args)
    else:
        bench_selector(args)


if __name__ == "__main__":
    main()
