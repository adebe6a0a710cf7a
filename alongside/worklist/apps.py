from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistConfig(AppConfig):
    """The coordinator's home page: who needs attention today, from every app's reasons."""

    name = "alongside.worklist"
    label = "worklist"
    verbose_name = "Worklist"

    def ready(self) -> None:
        from alongside.people.contributions import WorklistReason, worklist_reasons
        from alongside.worklist import audit_names, reasons

        audit_names.register()

        worklist_reasons.register(
            WorklistReason(
                key="worklist.not_yet_contacted",
                label=_("New, not yet contacted"),
                rows=reasons.new_people,
                items=reasons.not_yet_contacted,
                urgency=40,
            )
        )
        worklist_reasons.register(
            WorklistReason(
                key="worklist.no_recent_contact",
                label=_("No recent contact"),
                rows=reasons.out_of_touch,
                items=reasons.no_recent_contact,
                urgency=60,
            )
        )
