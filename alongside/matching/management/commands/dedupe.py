"""`alongside dedupe INPUT.csv --output PAIRS.csv`: likely and possible duplicate pairs."""

from __future__ import annotations

import csv
import os
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.lib import safecsv
from alongside.matching import dedupe
from alongside.matching.fellegi_sunter import Frequencies, explain, thresholds


class Command(BaseCommand):
    help = (
        "Find people recorded more than once in a CSV file (columns: id, given_name, "
        "family_name, date_of_birth YYYY-MM-DD, sex, phone, email, street, city, "
        "postal_code, state, identifier; all but id optional). Writes id_a, id_b, score, "
        "decision for each pair scored likely or possible."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="CSV file with a header row")
        parser.add_argument("--output", required=True, help="CSV file to write the pairs to")
        parser.add_argument(
            "--workers",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="processes scoring pairs (default: the CPUs, at most 4)",
        )
        parser.add_argument(
            "--max-block",
            type=int,
            default=dedupe.MAX_BLOCK,
            help=f"skip blocks of more records than this (default {dedupe.MAX_BLOCK})",
        )
        parser.add_argument(
            "--reasons", action="store_true", help="add a reasons column to the output"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def say(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:7.1f}s] {message}")
            self.stdout.flush()

        source = Path(options["input"])
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        say(f"reading {source}")
        try:
            with source.open(newline="", encoding="utf-8-sig") as stream:
                records, summary = dedupe.read_records(stream)
        except dedupe.DedupeInputError as error:
            raise CommandError(str(error)) from None
        except (UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"Could not read {source} as UTF-8 CSV: {error}") from None
        say(
            f"read {summary.rows:,} rows ({summary.bad_dates:,} malformed dates of birth, "
            f"{summary.bad_phones:,} malformed phones, {summary.bad_emails:,} malformed "
            "emails, treated as missing)"
        )
        pairs = dedupe.candidate_pairs(
            records, max_block=options["max_block"], summary=summary, progress=say
        )
        summary.candidate_pairs = len(pairs)
        likely, possible = thresholds()
        frequencies = Frequencies.count(records)
        found = dedupe.find_matches(
            records,
            pairs,
            likely,
            possible,
            frequencies=frequencies,
            workers=options["workers"],
            progress=say,
        )
        del pairs
        found = dedupe.link_groups(records, found, frequencies)
        say(f"linked groups: {len(found):,} pairs")
        with open(options["output"], "w", newline="", encoding="utf-8") as out:
            writer = safecsv.writer(out)
            header = ["id_a", "id_b", "score", "decision"]
            writer.writerow([*header, "reasons"] if options["reasons"] else header)
            for a, b, score, decision in found:
                score_cell = Decimal(f"{score:.2f}")  # a number: never given the text quote
                row: list[Any] = [records[a][0], records[b][0], score_cell, decision]
                if options["reasons"]:
                    row.append("; ".join(explain(records[a], records[b], frequencies).reasons))
                writer.writerow(row)
                if decision == "likely":
                    summary.likely += 1
                else:
                    summary.possible += 1
        say(
            f"done: {summary.rows:,} rows, {summary.candidate_pairs:,} candidate pairs, "
            f"{summary.likely:,} likely and {summary.possible:,} possible duplicates "
            f"written to {options['output']} ({summary.skipped_blocks:,} oversized blocks "
            f"skipped; thresholds likely {likely:g}, possible {possible:g})"
        )
