"""Blocking recall: how many true pairs of a generated file blocking puts among the
candidate pairs, and at what cost.

    .venv/bin/python bench/bench_blocking.py var/dedupe-100000.csv
    .venv/bin/python bench/bench_blocking.py var/dupes-b-100000.csv --missed

Prints the candidate pairs, the share of the true pairs (OUTPUT.truth.csv) among them,
and for each kind of key the true pairs only it finds; with `--missed`, the true pairs
no key finds (the two rows as read, and the generator's kinds of error).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from alongside.matching import blocking, dedupe  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv")
    parser.add_argument("--missed", action="store_true", help="print the pairs never found")
    args = parser.parse_args()
    source = Path(args.csv)
    with source.open(newline="", encoding="utf-8") as stream:
        records, _ = dedupe.read_records(stream)
    position = {r[0]: i for i, r in enumerate(records)}
    truth: dict[int, str] = {}
    with source.with_name(source.stem + ".truth.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            a, b = sorted((position[row["id_a"]], position[row["id_b"]]))
            truth[a * blocking.SHIFT + b] = row.get("kinds", "")
    started = time.monotonic()
    pairs = set(blocking.candidate_pairs(records))
    elapsed = time.monotonic() - started
    found = len(truth.keys() & pairs)
    print(
        f"{len(records):,} records: {len(pairs):,} candidate pairs in {elapsed:.1f} s, "
        f"blocking recall {found / len(truth):.4f} ({found:,} of {len(truth):,} true pairs)"
    )
    keys = blocking.BLOCKING
    for leave_out in keys:
        blocking.BLOCKING = tuple(k for k in keys if k is not leave_out)
        without = set(blocking.candidate_pairs(records))
        only = len((truth.keys() & pairs) - without)
        print(
            f"  without {leave_out.__name__.lstrip('_'):<18}: {len(without):>10,} pairs, "
            f"{only:,} true pairs lost"
        )
    blocking.BLOCKING = keys
    if args.missed:
        _print_missed(source, records, sorted(truth.keys() - pairs), truth)


def _print_missed(
    source: Path, records: list[Any], missed: list[int], truth: dict[int, str]
) -> None:
    columns = ("given_name", "family_name", "date_of_birth", "sex", "phone", "email")
    columns += ("street", "postal_code", "identifier")
    with source.open(newline="", encoding="utf-8") as stream:
        rows = {row["id"]: row for row in csv.DictReader(stream)}
    print(f"true pairs no key finds ({len(missed)}):")
    for pair in missed:
        print(f"  {truth[pair]}")
        for i in divmod(pair, blocking.SHIFT):
            row = rows[records[i][0]]
            print("    " + " | ".join(row.get(c, "") for c in columns))


if __name__ == "__main__":
    main()
