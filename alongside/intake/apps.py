from typing import Any

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "alongside.intake"
    label = "intake"
    verbose_name = "Intake and screening"

    def ready(self) -> None:
        from alongside.intake import audit_names
        from alongside.organizations.contributions import ManageSection, manage_sections
        from alongside.people.contributions import PersonPanel, person_panels

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
        audit_names.register()


def _needs_and_screenings(context: Any) -> dict[str, Any]:
    from alongside.intake.panel import person_panel

    return {"screening": person_panel(context.viewer, context.person, context.disclosure)}
