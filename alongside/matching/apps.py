from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "alongside.matching"
    label = "matching"
    verbose_name = "Duplicate detection"

    def ready(self) -> None:
        from alongside.matching import audit_names, panel
        from alongside.matching.journey_words import said_summary
        from alongside.matching.selectors import merged_into_ids, survivor_for
        from alongside.people.contributions import (
            FormAssist,
            PersonPanel,
            RecordLineage,
            TimelineKind,
            person_panels,
            record_lineages,
            registration_assists,
            timeline_kinds,
        )

        record_lineages.register(
            RecordLineage(
                key="matching.merge", successor=survivor_for, predecessors=merged_into_ids
            )
        )
        registration_assists.register(
            FormAssist(
                key="matching.likely_duplicates", template="matching/_registration_assist.html"
            )
        )
        audit_names.register()
        person_panels.register(
            PersonPanel(
                key="matching.might_be_the_same",
                template="matching/_person_panel.html",
                load=panel.might_be_the_same,
                queries=panel.QUERIES,
                order=5,
            )
        )
        for key, label in (
            ("matching.merged", _("Records merged")),
            ("matching.merge_undone", _("Merge undone")),
        ):
            timeline_kinds.register(
                TimelineKind(key=key, label=label, group="records", said=said_summary)
            )
