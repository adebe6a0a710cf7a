"""Benchmarks for duplicate detection (see bench/README.md and docs/matching.md).

(a) dedupe: generates a CSV with known duplicates (bench/generate_duplicates.py) unless
    it exists, runs `alongside dedupe` on it in a subprocess, timing the whole command,
    and prints precision, recall and F1 of its decisions against the truth ("likely"
    counted as a match; also "likely or possible"), with recall by kind of mistake.

        .venv/bin/python bench/bench_matching.py dedupe --records 1000000

    With --errors the command also writes its reasons, and the false matches and the
    true pairs left at "possible" are listed by them (an error analysis; slower).

(b) fit: estimates the model's m and u probabilities from a CSV, without labels: u (how
    often two *different* people agree at each level) from a million random pairs, m
    (how often records of the *same* person do) by expectation-maximisation on pairs
    sharing a date of birth (for the name levels and the rest) and on pairs sharing a
    whole name (for the date-of-birth levels), with u held fixed, as Splink does. Prints
    them next to the values in use and, when the truth file exists, the m measured on
    the true pairs.

        .venv/bin/python bench/bench_matching.py fit --csv var/dedupe-100000.csv

(c) selector: `matching.candidates.likely_duplicates` against the million people of
    alongside_bench (bench/generate_people.py), as a coordinator and an organization
    admin, with candidate fields built from real records (exact, nickname or typo in
    the name, transposed date of birth, phone or identifier only). Prints p50/p95 and
    how often the intended person was the first candidate. Writes audit events.

        DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
            .venv/bin/python bench/bench_matching.py selector

Latencies are also printed as multiples of the bare view's mean (bench/calibration.py),
measured in the same run: always for `selector`; for `dedupe` when DATABASE_URL points at
the benchmark database (the command itself reads only the CSV).
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
    """As calibration.percentile, which needs Django set up to import."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def calibration_if_possible() -> Any:
    """A started Calibration when DATABASE_URL names a database with people, else None."""
    if not os.environ.get("DATABASE_URL"):
        print("no calibration: DATABASE_URL does not point at the benchmark database")
        return None
    import django

    django.setup()
    from calibration import Calibration, bench_settings

    from alongside.people.models import Person

    if not Person.objects.exists():
        print("no calibration: the database in DATABASE_URL has no people")
        return None
    with bench_settings():
        bare = Calibration()
        bare.take("start")
    return bare


def calibrate_again(bare: Any, label: str) -> None:
    from calibration import bench_settings

    with bench_settings():
        bare.take(label)


def evaluate(pairs_path: Path, truth_path: Path) -> None:
    truth: dict[frozenset[str], str] = {}
    with truth_path.open(newline="") as f:
        for row in csv.DictReader(f):
            truth[frozenset((row["id_a"], row["id_b"]))] = row["kinds"]
    likely: set[frozenset[str]] = set()
    possible: set[frozenset[str]] = set()
    reasons: dict[frozenset[str], str] = {}
    with pairs_path.open(newline="") as f:
        for row in csv.DictReader(f):
            pair = frozenset((row["id_a"], row["id_b"]))
            (likely if row["decision"] == "likely" else possible).add(pair)
            if "reasons" in row:
                reasons[pair] = row["reasons"]
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
    kin_path = truth_path.with_name(truth_path.name.replace(".truth.csv", ".kin.csv"))
    if kin_path.exists():
        kin: dict[frozenset[str], str] = {}
        with kin_path.open(newline="") as f:
            for row in csv.DictReader(f):
                kin[frozenset((row["id_a"], row["id_b"]))] = row["kind"]
        marked = Counter(kin[pair] for pair in likely if pair in kin)
        among = Counter(kin.values())
        for kind in sorted(among):
            print(
                f"  {kind} pairs (different people) marked likely: "
                f"{marked[kind]:,} of {among[kind]:,}"
            )
    if reasons:
        false = Counter(reasons[pair] for pair in likely - truth.keys())
        print("  false matches by the reasons given (most common first):")
        for text, count in false.most_common(15):
            print(f"    {count:6,}  {text}")
        near = Counter(reasons[pair] for pair in possible & truth.keys())
        print("  true pairs only 'possible', by the reasons given:")
        for text, count in near.most_common(15):
            print(f"    {count:6,}  {text}")


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
    bare = calibration_if_possible()
    before = bare.latest if bare is not None else None
    load = os.getloadavg()[0]
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "dedupe", str(source), "--output", str(output)]
        + (["--reasons"] if args.errors else []),
        check=True,
    )
    elapsed = time.monotonic() - started
    after = os.getloadavg()[0]
    print(f"\ndedupe of {source} took {elapsed:.1f} s", end="")
    if bare is not None:
        calibrate_again(bare, "end")
        print(f" = {bare.since(before).times(elapsed):,.0f} × bare", end="")
    print(f" (load average {load:.1f} before, {after:.1f} after)")
    if bare is not None:
        print(f"  calibration: {bare.summary()}")
    evaluate(output, truth)


def _em_session(
    records: list[Any],
    key: Any,
    held: set[str],
    u: dict[str, dict[str, float]],
    truth: set[tuple[int, int]],
) -> tuple[dict[str, dict[str, float]], dict[str, Counter[str]], int, float]:
    """m of every field not in `held`, by EM on the pairs of records sharing `key` (in
    blocks of at most 50), u fixed. Returns m, the level counts of the true pairs among
    them, the number of pairs and the estimated share of matches."""
    from itertools import combinations

    from alongside.matching.fellegi_sunter import PROBABILITIES, compare

    blocks: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        k = key(r)
        if k:
            blocks.setdefault(k, []).append(i)
    patterns: Counter[tuple[tuple[str, str], ...]] = Counter()
    true_levels: dict[str, Counter[str]] = {}
    for block in blocks.values():
        if len(block) > 50:
            continue
        for a, b in combinations(block, 2):
            levels = tuple(
                lv for lv in compare(records[a], records[b]) if lv[0] not in held | {"swap"}
            )
            patterns[levels] += 1
            if (a, b) in truth:
                for f, level in levels:
                    true_levels.setdefault(f, Counter())[level] += 1
    total = sum(patterns.values())
    m = {f: {lv: p[0] for lv, p in levels.items()} for f, levels in PROBABILITIES.items()}
    share = 0.1
    for _ in range(200):
        counts: dict[str, Counter[str]] = {f: Counter() for f in m}
        matches = 0.0
        for pattern, n in patterns.items():
            pm, pu = share, 1 - share
            for f, level in pattern:
                pm *= m[f][level]
                pu *= u[f][level]
            w = n * pm / (pm + pu)
            matches += w
            for f, level in pattern:
                counts[f][level] += w
        share = matches / total
        for f in m:
            if f in held:
                continue
            seen = sum(counts[f].values())
            if seen:
                m[f] = {lv: max(counts[f][lv] / seen, 1e-5) for lv in m[f]}
    return m, true_levels, total, share


def fit(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from alongside.matching.dedupe import read_records
    from alongside.matching.fellegi_sunter import PROBABILITIES, compare

    source = Path(args.csv)
    with source.open(newline="", encoding="utf-8") as f:
        records, _ = read_records(f)
    position = {r[0]: i for i, r in enumerate(records)}
    truth: set[tuple[int, int]] = set()
    truth_path = source.with_name(source.stem + ".truth.csv")
    if truth_path.exists():
        with truth_path.open(newline="") as f:
            for row in csv.DictReader(f):
                a, b = sorted((position[row["id_a"]], position[row["id_b"]]))
                truth.add((a, b))
    rng = random.Random(args.seed)
    agree: dict[str, Counter[str]] = {f: Counter() for f in PROBABILITIES}
    for _ in range(args.random_pairs):
        a, b = rng.randrange(len(records)), rng.randrange(len(records))
        if a != b:
            for f, level in compare(records[a], records[b]):
                if f != "swap":
                    agree[f][level] += 1
    u = {
        f: {lv: max(agree[f][lv], 1) / max(sum(agree[f].values()), 1) for lv in levels}
        for f, levels in PROBABILITIES.items()
    }
    sessions = (
        ("same date of birth", lambda r: r[8], {"dob"}),
        (
            "same whole name",
            lambda r: f"{r[1]}|{r[5]}" if r[1] and r[5] else "",
            {"given", "family"},
        ),
    )
    fitted: dict[str, dict[str, float]] = {}
    measured: dict[str, Counter[str]] = {}
    for label, key, held in sessions:
        m, true_levels, total, share = _em_session(records, key, held, u, truth)
        print(f"EM on {total:,} pairs with the {label}: {share * total:,.0f} estimated matches")
        for f in m:
            if f not in held and f not in fitted:
                fitted[f], measured[f] = m[f], true_levels.get(f, Counter())
    print(
        f"\n{'field':>10} {'level':>12} {'m (EM)':>8} {'m (truth)':>9} {'m in use':>8} "
        f"{'u (random)':>11} {'u in use':>9}"
    )
    for f, levels in PROBABILITIES.items():
        seen = sum(measured[f].values())
        for lv, (m_used, u_used) in levels.items():
            m_true = f"{measured[f][lv] / seen:.4f}" if seen else "-"
            print(
                f"{f:>10} {lv:>12} {fitted[f][lv]:8.4f} {m_true:>9} {m_used:8.4f} "
                f"{u[f][lv]:11.6f} {u_used:9.6f}"
            )


def candidate_fields(person: Any, kind: str, rng: random.Random) -> dict[str, Any] | None:
    from alongside.matching.text import NICKNAME_ROOTS
    from alongside.people.normalize import normalize

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
    from calibration import load_average, machine
    from django.db.models import Prefetch

    from alongside.accounts.models import User
    from alongside.matching.candidates import likely_duplicates
    from alongside.people import selectors
    from alongside.people.models import ContactPoint, Person

    rng = random.Random(args.seed)
    kinds = ["exact", "nickname", "typo", "transposed", "phone", "identifier"]
    print(machine())
    print(load_average())
    bare = calibration_if_possible()
    if bare is None:
        raise SystemExit("Point DATABASE_URL at the database bench/generate_people.py filled.")
    print(f"calibration at the start: {bare.summary()}")
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
        before = bare.latest
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
        calibrate_again(bare, f"after {label}")
        near = bare.since(before)  # the bare takes either side of these checks
        print(
            f"\n  as {label}: {len(every)} checks, {near.show('p50', percentile(every, 0.5))}, "
            f"{near.show('p95', percentile(every, 0.95))}"
        )
        for kind in kinds:
            t = times[kind]
            if t:
                print(
                    f"    {kind:>10}: {near.show('p50', percentile(t, 0.5))}, "
                    f"{near.show('p95', percentile(t, 0.95))}, intended person first "
                    f"{first[kind]}/{len(t)}"
                )
    print(f"\n{load_average()}; calibration: {bare.summary()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    dedupe = sub.add_parser("dedupe")
    dedupe.add_argument("--records", type=int, default=1_000_000)
    dedupe.add_argument("--csv", help="existing input (with its .truth.csv next to it)")
    dedupe.add_argument("--seed", type=int, default=20261123)
    dedupe.add_argument(
        "--errors",
        action="store_true",
        help="write reasons and list false and missed matches by them (slower)",
    )
    fitting = sub.add_parser("fit")
    fitting.add_argument(
        "--csv", required=True, help="people CSV (a .truth.csv next to it is used)"
    )
    fitting.add_argument("--random-pairs", type=int, default=1_000_000)
    fitting.add_argument("--seed", type=int, default=1)
    selector = sub.add_parser("selector")
    selector.add_argument("--samples", type=int, default=50, help="checks per kind")
    selector.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.what == "dedupe":
        bench_dedupe(args)
    elif args.what == "fit":
        fit(args)
    else:
        bench_selector(args)


if __name__ == "__main__":
    main()
