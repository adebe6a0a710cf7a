from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "alongside.intake"
    label = "intake"
    verbose_name = "Intake and screening"

    def ready(self) -> None:
        from alongside.organizations.contributions import ManageSection, manage_sections
        from alongside.people.contributions import (
            PersonPanel,
            TimelineKind,
            person_panels,
            timeline_kinds,
        )

        manage_sections.register(
            ManageSection(
                key="instruments",
                label="Instruments",
                prefix="instruments/",
                urlpatterns="alongside.intake.urls.builder_urlpatterns",
                url_name="manage:instruments",
            )
        )

        person_panels.register(
            PersonPanel(
                key="intake.needs_and_screenings",
                template="intake/record/_person_panel.html",
                load=_needs_and_screenings,
                queries=3,
                order=10,
            )
        )
        # Written by intake's services (screening completed, urgent flags): results and
        # flags' reasons are sensitive, so their details go to the care team only.
        for key, label, group in (
            ("intake.screening_completed", _("Screening completed"), "screenings"),
            ("intake.urgent_flag_raised", _("Urgent result"), "urgent flags"),
            ("intake.urgent_flag_acknowledged", _("Urgent result acknowledged"), "urgent flags"),
        ):
            timeline_kinds.register(TimelineKind(key=key, label=label, group=group, sensitive=True))


def _needs_and_screenings(context: Any) -> dict[str, Any]:
    from alongside.intake.panel import person_panel

    return {"screening": person_panel(context.viewer, context.person, context.disclosure)}
