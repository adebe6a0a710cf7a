from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "alongside.people"
    label = "people"

    def ready(self) -> None:
        from alongside.people import audit_names, search

        search.install_sqlite_functions()
        audit_names.register()
