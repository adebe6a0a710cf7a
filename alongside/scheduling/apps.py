from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "alongside.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from alongside.people.contributions import (
            NavItem,
            PersonPanel,
            TimelineKind,
            WorklistReason,
            follow_up_triggers,
            nav_items,
            person_panels,
            timeline_kinds,
            worklist_reasons,
        )
        from alongside.scheduling import attendance, audit_names, common, journey_words, worklist

        audit_names.register()
        from alongside.organizations.contributions import ManageSection, manage_sections

        manage_sections.register(
            ManageSection(
                key="scheduling",
                label=_("Scheduling"),
                prefix="scheduling/",
                urlpatterns="alongside.scheduling.setup_urls.manage_urlpatterns",
                url_name="manage:scheduling",
                order=65,
            )
        )
        nav_items.register(
            NavItem(
                key="scheduling.calendar",
                label=_("Calendar"),
                url_name="scheduling:calendar",
                nav="calendar",
                order=20,
            )
        )
        follow_up_triggers.register(attendance.TRIGGER)
        person_panels.register(
            PersonPanel(
                key="scheduling.appointments",
                template="scheduling/_person_panel.html",
                load=_panel,
                queries=2,
                order=12,
            )
        )
        worklist_reasons.register(
            WorklistReason(
                key="scheduling.soon",
                label=_("Appointment today or tomorrow"),
                rows=worklist.upcoming,
                items=worklist.appointments_soon,
                urgency=60,
            )
        )
        for key, label in (
            (common.BOOKED, _("Appointment booked")),
            (common.MOVED, _("Appointment moved")),
            (common.CANCELLED, _("Appointment cancelled")),
            (common.ATTENDANCE, _("Attendance")),
            (common.WAITLIST, _("Waitlist")),
        ):
            timeline_kinds.register(
                TimelineKind(
                    key=key,
                    label=label,
                    group="appointments",
                    said=journey_words.said_summary,
                    said_details=journey_words.said_details,
                )
            )
        from alongside.scheduling import offer_messages, reminders

        reminders.register()
        offer_messages.register()


def _panel(context: Any) -> dict[str, Any] | None:
    from alongside.scheduling.selectors import person_panel

    return person_panel(context.viewer, context.person, context.disclosure)
