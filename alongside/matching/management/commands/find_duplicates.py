"""`alongside find_duplicates [--organization SLUG]`: the duplicates report, stored for
review at /matching/duplicates/."""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.matching import dedupe, services
from alongside.organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Look for people recorded more than once in each organization (or one) and store "
        "the likely and possible pairs for review. Run it again at any time: pairs found "
        "again are updated, reviews are kept, and unreviewed pairs no longer found go."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", metavar="SLUG", help="only this organization")
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

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def say(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:7.1f}s] {message}")
            self.stdout.flush()

        organizations = Organization.objects.order_by("pk")
        if options["organization"]:
            organizations = organizations.filter(slug=options["organization"])
            if not organizations.exists():
                raise CommandError(f"No organization with the slug {options['organization']!r}.")
        for organization in organizations:
            say(f"{organization.name} ({organization.slug})")
            summary = services.duplicates_refresh(
                actor=None,
                organization=organization,
                workers=max(1, options["workers"]),
                max_block=max(2, options["max_block"]),
                progress=say,
            )
            say(
                f"{organization.slug}: {summary.people:,} people, {summary.likely:,} likely and "
                f"{summary.possible:,} possible pairs ({summary.new:,} new, "
                f"{summary.removed:,} no longer found and removed)"
            )
