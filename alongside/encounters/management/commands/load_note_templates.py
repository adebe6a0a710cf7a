from typing import Any

from django.core.management.base import BaseCommand

from alongside.encounters.loading import load_shipped
from alongside.encounters.models import LabelingTerm, NoteTemplate, NoteTemplateVersion


class Command(BaseCommand):
    help = "Load the shipped note templates (a new version where one changed) and terms."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = load_shipped(NoteTemplate, NoteTemplateVersion, LabelingTerm)
        self.stdout.write(
            f"New versions: {', '.join(changed)}" if changed else "Note templates up to date."
        )
