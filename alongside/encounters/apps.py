from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncountersConfig(AppConfig):
    name = "alongside.encounters"
    label = "encounters"
    verbose_name = "Encounters and notes"

    def ready(self) -> None:
        from alongside.encounters import audit_names
        from alongside.encounters.journey_words import ENCOUNTER_SENTENCES, NOTE_SENTENCES
        from alongside.encounters.worklist import register_worklist
        from alongside.organizations.contributions import ManageSection, manage_sections
        from alongside.people.contributions import (
            PersonPanel,
            TimelineKind,
            person_panels,
            timeline_kinds,
        )

        audit_names.register()
        register_worklist()

        timeline_kinds.register(
            TimelineKind(
                key="encounters.encounter",
                label=_("Encounter"),
                group="encounters",
                said=ENCOUNTER_SENTENCES.say,
            )
        )
        # A note's summary says what kind of note it is; its content is read on the note's
        # page, where the sensitivity rule decides.
        timeline_kinds.register(
            TimelineKind(
                key="encounters.note_signed",
                label=_("Note signed"),
                group="notes",
                said=NOTE_SENTENCES.say,
            )
        )
        timeline_kinds.register(
            TimelineKind(
                key="encounters.note_cosigned",
                label=_("Note co-signed"),
                group="notes",
                said=NOTE_SENTENCES.say,
            )
        )
        timeline_kinds.register(
            TimelineKind(
                key="encounters.addendum",
                label=_("Addendum"),
                group="notes",
                said=NOTE_SENTENCES.say,
            )
        )
        manage_sections.register(
            ManageSection(
                key="language",
                label=_("Respectful language"),
                prefix="language/",
                urlpatterns="alongside.encounters.urls.manage_urlpatterns",
                url_name="manage:language-terms",
                order=110,
            )
        )
        manage_sections.register(
            ManageSection(
                key="notes",
                label=_("Note settings"),
                prefix="notes/",
                urlpatterns="alongside.encounters.urls.manage_settings_urlpatterns",
                url_name="manage:note-settings",
                order=80,
            )
        )
        person_panels.register(
            PersonPanel(
                key="encounters.recent",
                template="encounters/_person_panel.html",
                load=_recent,
                queries=1,
                order=30,
            )
        )


def _recent(context: Any) -> dict[str, Any] | None:
    from alongside.encounters.selectors import person_panel

    return person_panel(context)
