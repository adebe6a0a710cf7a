from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.audit.anchors import AnchorError, read_anchors
from alongside.audit.selectors import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain and chain head and report the first broken "
        "link; with --anchors, also check it against the signed anchors kept outside the "
        "database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchors",
            nargs="?",
            const="",
            default=None,
            metavar="PATH",
            help="Check the chain against every anchor in this file (default: "
            "AUDIT_ANCHOR_PATH). Needs AUDIT_ANCHOR_KEY.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors, problems, path = [], [], None
        if options["anchors"] is not None:
            path = Path(options["anchors"] or settings.AUDIT_ANCHOR_PATH)
            try:
                found = read_anchors(path)
            except AnchorError as exc:
                raise CommandError(str(exc)) from exc
            anchors, problems = found.anchors, found.problems
        report = verify_chain(anchors=anchors)
        if not report.ok:
            where = f" at event #{report.broken_at}" if report.broken_at is not None else ""
            problems.insert(
                0,
                f"Audit chain broken{where}: {report.reason} ({report.checked:,} events verified).",
            )
        if problems:
            raise CommandError("\n".join(problems))
        message = f"Audit chain intact: {report.checked} events."
        if path is not None:
            count = report.anchors_checked
            message += f" It agrees with the {count} anchor{'' if count == 1 else 's'} in {path}."
        self.stdout.write(self.style.SUCCESS(message))
