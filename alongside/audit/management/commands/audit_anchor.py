from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alongside.audit.anchors import AnchorError, write_anchor


class Command(BaseCommand):
    help = (
        "Write a signed anchor of the audit chain (its newest event, hash and count) to "
        "AUDIT_ANCHOR_PATH, and email it to AUDIT_ANCHOR_EMAIL if set. Run it periodically."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchor = write_anchor()
        except AnchorError as exc:
            raise CommandError(str(exc)) from exc
        newest = f"event #{anchor.event_id}" if anchor.event_id is not None else "no events"
        sent = f", emailed to {', '.join(settings.AUDIT_ANCHOR_EMAIL)}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Anchored {anchor.count:,} events ({newest}) in {settings.AUDIT_ANCHOR_PATH}"
                f"{sent if settings.AUDIT_ANCHOR_EMAIL else ''}."
            )
        )
