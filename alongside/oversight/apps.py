from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Reading the audit trail: the audit browser, and denied attempts with their alerts.
    Above accounts and organizations (it needs who administers what); the trail itself
    (`alongside.audit`) sits below everything so every app can write to it."""

    name = "alongside.oversight"
    label = "oversight"
    verbose_name = "Oversight"
