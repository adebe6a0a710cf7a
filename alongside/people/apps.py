from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "alongside.people"
    label = "people"

    def ready(self) -> None:
        from alongside.people import search

        search.install_sqlite_functions()
