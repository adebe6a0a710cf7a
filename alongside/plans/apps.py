from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Individualized service plans made with the person (docs/plans.md)."""

    name = "alongside.plans"
    label = "plans"
    verbose_name = "Service plans"

    def ready(self) -> None:
        from alongside.organizations.contributions import ManageSection, manage_sections
        from alongside.people.contributions import (
            PersonPanel,
            WorklistReason,
            person_panels,
            worklist_reasons,
        )
        from alongside.plans import audit_names, hub, selectors

        audit_names.register()

        person_panels.register(
            PersonPanel(
                key="plans.plan",
                template="plans/_person_panel.html",
                load=selectors.person_panel,
                queries=2,
                order=15,
            )
        )
        worklist_reasons.register(
            WorklistReason(
                key=selectors.REVIEW_DUE,
                label=_("Plan review due"),
                rows=selectors.plans_to_review,
                items=selectors.reviews_due,
                urgency=70,
            )
        )
        manage_sections.register(
            ManageSection(
                key="plans",
                label=_("Plan settings"),
                prefix="plans/",
                urlpatterns="alongside.plans.urls.manage_urlpatterns",
                url_name="manage:plan-settings",
                order=70,
            )
        )
        # The journey and the hub's tasks follow every plan change (plans/hub.py).
        hub.register()
