from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "alongside.messaging"
    label = "messaging"
    verbose_name = "Messages to people, within their safe-contact rules"

    def ready(self) -> None:
        from alongside.messaging.selectors import person_panel
        from alongside.people.contributions import (
            PersonPanel,
            TimelineKind,
            person_panels,
            timeline_kinds,
        )

        person_panels.register(
            PersonPanel(
                key="messaging.texts_stopped",
                template="messaging/_person_panel.html",
                load=person_panel,
                queries=1,
                order=5,
            )
        )

        from alongside.messaging.journey_words import said_reason, said_summary

        for key, label in (
            ("messaging.message_queued", _("Message waiting for a safe time")),
            ("messaging.message_sent", _("Message sent")),
            ("messaging.message_delivered", _("Message delivered")),
            ("messaging.message_failed", _("Message not delivered")),
            ("messaging.message_blocked", _("Message not sent: not safe")),
            ("messaging.reply_received", _("Reply received")),
            ("messaging.opted_out", _("Texts stopped by the person (STOP)")),
            ("messaging.opted_in", _("Texts turned back on at the person's request")),
        ):
            # A blocked or undelivered message's details are why (said again); a sent
            # one's, its words to the person (kept).
            reason = key in ("messaging.message_blocked", "messaging.message_failed")
            timeline_kinds.register(
                TimelineKind(
                    key=key,
                    label=label,
                    group="messages",
                    said=said_summary,
                    said_details=said_reason if reason else None,
                )
            )
