from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "alongside.tasks"
    label = "tasks"
    verbose_name = "Tasks and follow-up rules"

    def ready(self) -> None:
        from alongside.organizations.contributions import ManageSection, manage_sections
        from alongside.people.contributions import (
            PersonPanel,
            TimelineKind,
            WorklistReason,
            follow_up_triggers,
            person_panels,
            timeline_kinds,
            worklist_reasons,
        )
        from alongside.tasks import audit_names, selectors, triggers
        from alongside.tasks.stored import said_summary

        audit_names.register()

        for trigger in triggers.TRIGGERS:
            follow_up_triggers.register(trigger)
        person_panels.register(
            PersonPanel(
                key="tasks.open_tasks",
                template="tasks/_person_panel.html",
                load=_open_tasks,
                queries=1,
                order=15,
            )
        )
        worklist_reasons.register(
            WorklistReason(
                key="tasks.due",
                label=_("Task overdue or due today"),
                rows=selectors.due_tasks,
                items=selectors.worklist_due,
                urgency=30,
            )
        )
        for key, label in (
            ("tasks.task_created", _("Task created")),
            ("tasks.task_completed", _("Task completed")),
            ("tasks.task_cancelled", _("Task cancelled")),
        ):
            timeline_kinds.register(
                TimelineKind(key=key, label=label, group="tasks", said=said_summary)
            )
        manage_sections.register(
            ManageSection(
                key="follow-up",
                label=_("Follow-up rules"),
                prefix="follow-up/",
                urlpatterns="alongside.tasks.urls.manage_urlpatterns",
                url_name="manage:follow-up",
                order=60,
            )
        )


def _open_tasks(context: Any) -> dict[str, Any] | None:
    from alongside.tasks.selectors import person_panel

    return person_panel(context.viewer, context.person, context.disclosure)
