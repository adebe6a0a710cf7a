"""Error analysis of the bulk matcher on a generated file with its truth (bench/README.md,
"Duplicate detection"): runs the matcher in process (`pipeline.match`, as `alongside
dedupe` does) and sorts its false and missed "likely" pairs by where they were lost
(blocking, below possible, only possible, a linked group) and by the levels compared.

    .venv/bin/python bench/analyse_matching.py var/dupes-b-100000.csv --show 20
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")


def read_pairs(path: Path, column: str) -> dict[frozenset[str], str]:
    found: dict[frozenset[str], str] = {}
    if path.exists():
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                found[frozenset((row["id_a"], row["id_b"]))] = row[column]
    return found


def truth_of(source: Path) -> tuple[dict[frozenset[str], str], dict[frozenset[str], str]]:
    """The true pairs of a generated file (with their kinds of error) and its pairs of
    household members (with their kind), from the files written beside it."""
    return (
        read_pairs(source.with_name(source.stem + ".truth.csv"), "kinds"),
        read_pairs(source.with_name(source.stem + ".kin.csv"), "kind"),
    )


def read_input(
    path: str,
) -> tuple[Path, Any, Any, dict[frozenset[str], str], dict[frozenset[str], str], float]:
    """Django set up, then (the file, its records and reading summary, its true pairs,
    its household pairs, the CPU clock before reading)."""
    import django

    django.setup()
    from alongside.matching import dedupe

    source = Path(path)
    truth, kin = truth_of(source)
    started = time.process_time()
    records, summary = dedupe.read_file(source)
    return source, records, summary, truth, kin, started


def main() -> None:  # noqa: C901, PLR0912, PLR0915 - a report, section by section
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv")
    parser.add_argument("--show", type=int, default=10, help="examples per class")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    source, records, summary, truth, kin, started = read_input(args.csv)
    from alongside.matching import dedupe, pipeline
    from alongside.matching.blocking import SHIFT
    from alongside.matching.fellegi_sunter import compare, weigh

    matches = pipeline.match(records, workers=args.workers, summary=summary)
    cpu = time.process_time() - started
    ids = [r[0] for r in records]
    position = {r: i for i, r in enumerate(ids)}
    found = {frozenset((ids[a], ids[b])): (s, d) for a, b, s, d in matches.found}
    likely = {p for p, (_, d) in found.items() if d == "likely"}
    hits = len(likely & truth.keys())
    precision = hits / max(len(likely), 1)
    recall = hits / max(len(truth), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(
        f"{source}: {len(records):,} rows, {matches.candidate_pairs:,} candidate pairs, "
        f"likely at {matches.likely:.1f}, possible at {matches.possible:.1f}; "
        f"CPU {cpu:.1f} s (this process)"
    )
    print(
        f"likely: {len(likely):,} pairs, precision {precision:.4f}, recall {recall:.4f}, "
        f"F1 {f1:.4f}"
    )
    linked = {p for p, (s, d) in found.items() if d == "likely" and s < matches.likely}
    sweep = []
    for shift in (-3, -2, -1.5, -1, -0.5, 0, 1, 2):
        t = matches.likely + shift
        chosen = linked | {p for p, (s, _) in found.items() if s >= t}
        h = len(chosen & truth.keys())
        p_, r_ = h / max(len(chosen), 1), h / max(len(truth), 1)
        sweep.append(f"{t:.1f}: P {p_:.4f} R {r_:.4f} F1 {2 * p_ * r_ / max(p_ + r_, 1e-9):.4f}")
    print("  by likely threshold (linked pairs kept):\n    " + "\n    ".join(sweep))
    marked = Counter(kin[p] for p in likely if p in kin)
    for kind, n in sorted(Counter(kin.values()).items()):
        print(f"  {kind} pairs marked likely: {marked[kind]:,} of {n:,}")

    def levels_of(pair: frozenset[str]) -> tuple[list[tuple[str, str]], float]:
        a, b = sorted(position[x] for x in pair)
        levels = compare(records[a], records[b])
        return levels, weigh(records[b], levels, matches.frequencies, records[a])

    def text(levels: list[tuple[str, str]]) -> str:
        return " ".join(f"{f}={lv}" for f, lv in levels)

    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for pair in likely:
        first, second = sorted(pair)
        ra, rb = root(first), root(second)
        if ra != rb:
            parent[ra] = rb
    sizes = Counter(root(x) for pair in likely for x in pair)
    blocked = set(dedupe.candidate_pairs(records)) if truth else set()
    where: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    by_levels: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for pair, kinds in truth.items():
        if pair in likely:
            continue
        a, b = sorted(position[x] for x in pair)
        if a * SHIFT + b not in blocked:
            cls = "not blocked"
        elif pair in found:
            cls = "possible"
        else:
            cls = "below possible"
        x, y = sorted(pair)
        if root(x) == root(y):
            cls = f"in one likely group of {min(sizes[root(x)] // 2, 9)}+"  # counts doubled
        where[cls] += 1
        for kind in kinds.split():
            by_kind[kind] += 1
        levels, total = levels_of(pair)
        key = text([lv for lv in levels if lv[1] not in ("exact", "same")])
        by_levels[key] += 1
        examples.setdefault(cls, []).append(
            f"{total:6.1f} [{kinds}] {text(levels)}\n"
            f"        {records[a][1:2] + records[a][4:5] + records[a][8:15]}\n"
            f"        {records[b][1:2] + records[b][4:5] + records[b][8:15]}"
        )
    for line in matches.model.explain_lines(len(records)):
        print("  " + line)
    print(
        f"\nmissed ({sum(where.values()):,}): " + ", ".join(f"{k} {n:,}" for k, n in where.items())
    )
    print("  by kind of error:", ", ".join(f"{k} {n}" for k, n in by_kind.most_common()))
    print("  by levels other than agreement:")
    for key, n in by_levels.most_common(25):
        print(f"    {n:5}  {key}")
    for cls, shown in examples.items():
        print(f"  examples, {cls}:")
        for line in shown[: args.show]:
            print(f"    {line}")
    false = likely - truth.keys()
    fp_levels: Counter[str] = Counter()
    fp_examples = []
    for pair in false:
        levels, total = levels_of(pair)
        fp_levels[text(levels)] += 1
        a, b = sorted(position[x] for x in pair)
        fp_examples.append(
            f"{total:6.1f} {found[pair][0]:6.1f} {kin.get(pair, '-')} {text(levels)}\n"
            f"        {records[a][1:2] + records[a][4:5] + records[a][8:15]}\n"
            f"        {records[b][1:2] + records[b][4:5] + records[b][8:15]}"
        )
    print(f"\nfalse likely ({len(false):,}), by levels:")
    for key, n in fp_levels.most_common(20):
        print(f"    {n:5}  {key}")
    for line in fp_examples[: args.show]:
        print(f"    {line}")


if __name__ == "__main__":
    main()
