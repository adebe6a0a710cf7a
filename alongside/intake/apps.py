from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "alongside.intake"
    label = "intake"
    verbose_name = "Intake and screening"

    def ready(self) -> None:
        from alongside.intake import audit_names, follow_up
        from alongside.intake.journey_words import said_action, said_summary
        from alongside.organizations.contributions import ManageSection, manage_sections
        from alongside.people.contributions import (
            NavItem,
            PersonPanel,
            TimelineKind,
            nav_items,
            person_panels,
            timeline_kinds,
        )

        follow_up.register()

        manage_sections.register(
            ManageSection(
                key="instruments",
                label=_("Instruments"),
                prefix="instruments/",
                urlpatterns="alongside.intake.urls.builder_urlpatterns",
                url_name="manage:instruments",
            )
        )

        # "Urgent results (3)": the open flags the viewer may act on, counted in one query.
        nav_items.register(
            NavItem(
                key="intake.urgent",
                label=_("Urgent results"),
                url_name="intake:urgent",
                nav="urgent",
                count=_open_flags,
                order=30,
            )
        )
        # An open urgent flag comes before anything else on the person's page; the alert
        # and the panel read the flags once between them (panel.person_flags).
        person_panels.register(
            PersonPanel(
                key="intake.urgent_alert",
                template="intake/record/_urgent_alert.html",
                load=_urgent_alert,
                queries=1,
                region="alerts",
                order=10,
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
        from alongside.intake.worklist import register_worklist

        register_worklist()

        # Written by intake's services (screening completed, urgent flags): results and
        # flags' reasons are sensitive, so their details go to the care team only.
        for key, label, group in (
            ("intake.screening_completed", _("Screening completed"), "screenings"),
            ("intake.urgent_flag_raised", _("Urgent result"), "urgent flags"),
            ("intake.urgent_flag_acknowledged", _("Urgent result acknowledged"), "urgent flags"),
        ):
            timeline_kinds.register(
                TimelineKind(
                    key=key,
                    label=label,
                    group=group,
                    sensitive=True,
                    said=said_summary,
                    # What was done is said again; the worker's note stays as written.
                    said_details=said_action if key.endswith("acknowledged") else None,
                )
            )


def _open_flags(viewer: Any) -> int:
    from alongside.intake.selectors import open_urgent_flag_count

    return open_urgent_flag_count(viewer)


def _urgent_alert(context: Any) -> dict[str, Any] | None:
    from alongside.intake.panel import urgent_alert

    return urgent_alert(context)


def _needs_and_screenings(context: Any) -> dict[str, Any]:
    from alongside.intake.panel import person_panel

    return {"screening": person_panel(context)}
