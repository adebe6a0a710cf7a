from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
    label = "accounts"

    def ready(self) -> None:
        from alongside.accounts import audit_names, signals  # noqa: F401  (signals: login/logout audit)

        audit_names.register()
