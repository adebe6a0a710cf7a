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

        for key, label in (  # labels marked below, read in the viewer's language
            ("messaging.message_queued", "Message waiting for a safe time"),
            ("messaging.message_sent", "Message sent"),
            ("messaging.message_delivered", "Message delivered"),
            ("messaging.message_failed", "Message not delivered"),
            ("messaging.message_blocked", "Message not sent: not safe"),
            ("messaging.reply_received", "Reply received"),
            ("messaging.opted_out", "Texts stopped by the person (STOP)"),
            ("messaging.opted_in", "Texts turned back on at the person's request"),
        ):
            timeline_kinds.register(TimelineKind(key=key, label=_(label), group="messages"))
