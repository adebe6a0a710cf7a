from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "alongside.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from alongside.scheduling import reminders

        reminders.register()
