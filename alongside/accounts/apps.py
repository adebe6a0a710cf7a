from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
    label = "accounts"

    def ready(self) -> None:
        from alongside.accounts import signals  # noqa: F401  (login/logout audit)
