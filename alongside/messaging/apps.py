from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "alongside.messaging"
    label = "messaging"
    verbose_name = "Messages to people, within their safe-contact rules"
