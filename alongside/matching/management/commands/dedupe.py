"""`alongside dedupe INPUT.csv --output PAIRS.csv`: likely and possible duplicate pairs."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.lib import safecsv
from alongside.matching import dedupe
from alongside.matching.fellegi_sunter import Record, explain
from alongside.matching.learned import Model, WeightsFileError
from alongside.matching.pipeline import Matches, match


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
        parser.add_argument(
            "--explain",
            action="store_true",
            help="print the weights used (learned from the input, or the prior ones)",
        )
        parser.add_argument(
            "--weights",
            metavar="FILE",
            help="reuse the weights saved in FILE; when FILE does not exist yet, learn "
            "them from the input and save them there",
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
            records, summary = dedupe.read_file(source, progress=say)
        except dedupe.DedupeInputError as error:
            raise CommandError(str(error)) from None
        say(
            f"read {summary.rows:,} rows ({summary.bad_dates:,} malformed dates of birth, "
            f"{summary.bad_phones:,} malformed phones, {summary.bad_emails:,} malformed "
            "emails, treated as missing)"
        )
        weights = Path(options["weights"]) if options["weights"] else None
        model = self._read_weights(weights, say)
        matches = match(
            records,
            max_block=max(2, options["max_block"]),
            workers=max(1, options["workers"]),
            model=model,
            summary=summary,
            progress=say,
        )
        summary.candidate_pairs = matches.candidate_pairs
        if weights is not None and model is None:
            matches.model.save(weights)
            say(f"weights saved to {weights}")
        if options["explain"]:
            for line in matches.model.explain_lines(summary.rows):
                self.stdout.write(line)
        say(f"linked groups: {len(matches.found):,} pairs")
        self._write(options["output"], records, matches, summary, reasons=options["reasons"])
        say(
            f"done: {summary.rows:,} rows, {summary.candidate_pairs:,} candidate pairs, "
            f"{summary.likely:,} likely and {summary.possible:,} possible duplicates "
            f"written to {options['output']} ({summary.skipped_blocks:,} oversized blocks "
            f"skipped; thresholds likely {matches.likely:.1f}, possible {matches.possible:.1f})"
        )

    def _read_weights(self, weights: Path | None, say: Callable[[str], None]) -> Model | None:
        if weights is None or not weights.exists():
            return None
        try:
            model = Model.load(weights)
        except WeightsFileError as error:
            raise CommandError(str(error)) from None
        say(f"weights read from {weights}")
        if model.warning:
            say(f"warning: {model.warning}")
        return model

    def _write(
        self,
        output: str,
        records: list[Record],
        matches: Matches,
        summary: dedupe.Summary,
        *,
        reasons: bool,
    ) -> None:
        with open(output, "w", newline="", encoding="utf-8") as out:
            writer = safecsv.writer(out)
            header = ["id_a", "id_b", "score", "decision"]
            writer.writerow([*header, "reasons"] if reasons else header)
            for a, b, score, decision in matches.found:
                score_cell = Decimal(f"{score:.2f}")  # a number: never given the text quote
                row: list[Any] = [records[a][0], records[b][0], score_cell, decision]
                if reasons:
                    said = explain(records[a], records[b], matches.frequencies).reasons
                    row.append("; ".join(said))
                writer.writerow(row)
                if decision == "likely":
                    summary.likely += 1
                else:
                    summary.possible += 1
