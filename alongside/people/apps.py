from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "alongside.people"
    label = "people"

    def ready(self) -> None:
        from alongside.people import audit_names, search
        from alongside.people.contributions import (
            PersonPanel,
            TimelineKind,
            person_panels,
            timeline_kinds,
        )
        from alongside.people.enrollment_words import said_summary

        search.install_sqlite_functions()
        audit_names.register()
        for key, label in (
            ("people.enrollment_created", _("Enrollment")),
            ("people.enrollment_status_changed", _("Enrollment status changed")),
            ("people.enrollment_coordinator_changed", _("Coordinator changed")),
        ):
            timeline_kinds.register(
                TimelineKind(key=key, label=label, group="enrollments", said=said_summary)
            )
        person_panels.register(
            PersonPanel(
                key="people.journey",
                template="people/_timeline_panel.html",
                load=_journey,
                queries=1,
                order=90,
            )
        )


def _journey(context: Any) -> dict[str, Any]:
    from alongside.people.timeline import person_panel

    return person_panel(context)
