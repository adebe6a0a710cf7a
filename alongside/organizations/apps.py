from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "alongside.organizations"
    label = "organizations"

    def ready(self) -> None:
        from alongside.organizations import audit_names

        audit_names.register()
